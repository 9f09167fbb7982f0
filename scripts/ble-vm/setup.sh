#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/ble-vm/setup.sh CACHE: everything the Bluetooth VM test needs, from Debian packages,
# idempotent (a rerun with a complete cache takes well under a second).
#
#   1. host packages: qemu, BlueZ's tools (btvirt, btmgmt, btmon, bluetoothd, the example GATT
#      server), busybox-static and kmod for the initramfs, dbus and python3-dbus/gi for BlueZ's
#      examples. The VM runs the host's own binaries (its root is the host's, over 9p), so they
#      are installed on the host; the host kernel never uses them.
#   2. Debian's kernel (linux-image-amd64: Bluetooth and 9p as modules; the -cloud flavour has
#      neither), extracted and pruned to what the VM loads, with modules.dep.
#   3. a small initramfs: busybox, the virtio/9p modules, and an /init that mounts the host's
#      root read-only and switches to it.
set -euo pipefail
CACHE=${1:?usage: setup.sh CACHE}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
log() { printf '[ble-vm setup] %s\n' "$*"; }

# ---- 1. packages ------------------------------------------------------------------------------
PKGS=(qemu-system-x86 bluez bluez-test-tools bluez-test-scripts libbluetooth-dev busybox-static kmod
      dbus python3 python3-dbus python3-gi util-linux)
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { echo "setup.sh: needs root to install: ${missing[*]}" >&2; exit 2; }
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- 2. kernel ----------------------------------------------------------------------------------
if [ ! -s "$CACHE/KVER" ] || [ ! -e "$CACHE/kernel/boot/vmlinuz-$(cat "$CACHE/KVER")" ]; then
    apt-cache show linux-image-amd64 >/dev/null 2>&1 || apt-get update -qq
    KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    [ -n "$KPKG" ] || { echo "setup.sh: cannot tell which kernel linux-image-amd64 depends on" >&2; exit 2; }
    KVER=${KPKG#linux-image-}
    log "downloading $KPKG"
    dl=$(mktemp -d /tmp/crampd-ble-vm-dl.XXXXXX)
    chmod 777 "$dl"   # apt-get download runs as _apt
    (cd "$dl" && apt-get download -qq "$KPKG")
    rm -rf "$CACHE/kernel.tmp"
    mkdir -p "$CACHE/kernel.tmp"
    dpkg-deb -x "$dl"/*.deb "$CACHE/kernel.tmp"
    rm -rf "$dl"
    # Keep what the VM loads (≈400 MB → ≈25 MB): Bluetooth, crypto, virtio, 9p.
    M=$CACHE/kernel.tmp/lib/modules/$KVER/kernel
    mkdir -p "$M.keep"
    for d in crypto lib arch/x86/crypto net/bluetooth net/rfkill net/9p drivers/bluetooth drivers/virtio \
             drivers/char/hw_random fs/9p fs/netfs fs/fscache; do
        if [ -d "$M/$d" ]; then mkdir -p "$M.keep/$(dirname "$d")"; mv "$M/$d" "$M.keep/$d"; fi
    done
    rm -rf "$M"
    mv "$M.keep" "$M"
    rm -rf "$CACHE/kernel.tmp/usr" "$CACHE/kernel.tmp/boot/System.map-$KVER"
    # The package ships no modules.dep.
    depmod -b "$CACHE/kernel.tmp" "$KVER"
    rm -rf "$CACHE/kernel"
    mv "$CACHE/kernel.tmp" "$CACHE/kernel"
    echo "$KVER" > "$CACHE/KVER"
fi
KVER=$(cat "$CACHE/KVER")

# The guest has no /lib/modules: the kernel's own module requests (crypto, AF_ALG) go through
# this helper (installed as /proc/sys/kernel/modprobe in the guest).
cat > "$CACHE/kmodprobe.tmp" <<EOS
#!/bin/sh
exec /sbin/modprobe -d "$CACHE/kernel" "\$@"
EOS
chmod +x "$CACHE/kmodprobe.tmp"
cmp -s "$CACHE/kmodprobe.tmp" "$CACHE/kmodprobe" 2>/dev/null && rm "$CACHE/kmodprobe.tmp" || mv "$CACHE/kmodprobe.tmp" "$CACHE/kmodprobe"

# ---- 3. initramfs --------------------------------------------------------------------------------
if [ ! -s "$CACHE/initrd.img" ] || [ "$HERE/initramfs-init.sh" -nt "$CACHE/initrd.img" ] \
   || [ "$HERE/setup.sh" -nt "$CACHE/initrd.img" ] || [ "$CACHE/KVER" -nt "$CACHE/initrd.img" ]; then
    d=$(mktemp -d /tmp/crampd-ble-vm-initramfs.XXXXXX)
    mkdir -p "$d"/{bin,mods,proc,sys,dev,newroot}
    cp /bin/busybox "$d/bin/"
    for a in sh mount insmod sleep grep sed switch_root mkdir cat; do ln -s busybox "$d/bin/$a"; done
    : > "$d/modules.order"
    # modprobe --show-depends resolves only its first module: one call per module.
    for m in virtio_pci 9pnet_virtio 9p; do
        modprobe -d "$CACHE/kernel" -S "$KVER" --show-depends "$m"
    done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' | while read -r ko; do
        cp "$ko" "$d/mods/"
        basename "$ko" >> "$d/modules.order"
    done
    cp "$HERE/initramfs-init.sh" "$d/init"
    chmod +x "$d/init"
    (cd "$d" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$CACHE/initrd.img.tmp"
    mv "$CACHE/initrd.img.tmp" "$CACHE/initrd.img"
    rm -rf "$d"
fi
log "ready: kernel $KVER ($(du -sh "$CACHE/kernel" | cut -f1)), initramfs $(du -h "$CACHE/initrd.img" | cut -f1)"
