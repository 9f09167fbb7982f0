#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the VM's initramfs: load virtio and 9p, mount the host's root read-only, switch to it
# and run the program named by guest_init= on the kernel command line.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules.order); do insmod "/mods/$m" || echo "initramfs: insmod $m failed"; done
# virtio_pci probes asynchronously: wait for the 9p device.
i=0
while ! grep -qs hostroot /sys/bus/virtio/drivers/9pnet_virtio/*/mount_tag; do
    i=$((i + 1)); [ $i -gt 400 ] && break; sleep 0.05
done
# multidevs=remap on the host side, cache=loose here: the host's / spans several filesystems and
# does not change during the test.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,access=client,msize=512000 hostroot /newroot \
    || { echo "initramfs: cannot mount the host root"; exec sh; }
for d in proc sys dev; do mount --move "/$d" "/newroot/$d"; done
GUEST_INIT=$(sed -n 's/.*guest_init=\([^ ]*\).*/\1/p' /newroot/proc/cmdline)
exec switch_root /newroot "${GUEST_INIT:-/bin/sh}"
