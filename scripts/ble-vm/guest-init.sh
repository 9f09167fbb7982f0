#!/bin/bash
# SPDX-License-Identifier: MIT
# PID 1 in the VM (its root is the host's, read-only over 9p): the minimum of a system
# (tmpfs where programs write, /dev/fd, the results share), then the scenarios, then power off.
HERE=$(cd "$(dirname "$0")" && pwd)
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
for d in /run /tmp /var/tmp /var/lib/bluetooth /root; do mount -t tmpfs tmpfs "$d" 2>/dev/null; done
mkdir -p /run/out /run/dbus /dev/pts /dev/shm
# devtmpfs has no /dev/fd: bash's >(…) needs it.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t 9p -o trans=virtio,version=9p2000.L,rw outdir /run/out || echo "guest: no results share"
arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
CACHE=$(arg ble_cache)
# The guest has no /lib/modules: the kernel's own module requests go through the cache.
echo "$CACHE/kmodprobe" > /proc/sys/kernel/modprobe
echo "[guest $(cut -d' ' -f1 /proc/uptime)s] guest up, kernel $(uname -r)"
CACHE=$CACHE BIN=$(arg ble_bin) SCENARIOS=$(arg ble_scenarios) bash "$HERE/scenarios.sh" > >(tee /run/out/guest.log) 2>&1
echo "$?" > /run/out/rc
sync
umount /run/out 2>/dev/null
# busybox-static's poweroff -f calls reboot(2) at once; PID 1 must not exit (kernel panic).
exec /bin/busybox poweroff -f
