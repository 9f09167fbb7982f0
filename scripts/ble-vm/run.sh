#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/ble-vm/run.sh: crampd against the real Linux Bluetooth stack (`make test-ble`).
#
# The host kernel may have no Bluetooth (this project's machines and CI have none), so a VM
# boots Debian's kernel under qemu with the host's root shared read-only over virtio-9p: no disk
# image, the VM runs exactly the binaries just built. Inside, BlueZ's btvirt creates emulated
# controllers (hci_vhci): real HCI, L2CAP and ATT in the kernel, links between controllers of
# one btvirt. scenarios.sh runs two scenarios (a: crampd's simulated sensors with a forced link
# drop; b: bluetoothd with BlueZ's example GATT server), check.py checks their outputs, and the
# captures recorded in the VM are replayed by `swift test` and compared with the live output.
#
# Needs root (apt, qemu's 9p export of /). Everything comes from Debian packages
# (scripts/ble-vm/setup.sh), cached in .build/ble-vm (gitignored). Exit 0 iff every check passed.
#
# Environment: SCENARIOS=a,b (default both), ACCEL=auto|kvm|tcg, VM_TIMEOUT=seconds (300),
# BIN=directory of crampd and crampd-ble-peripheral (.build/debug).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=$REPO/.build/ble-vm
OUT=$CACHE/out
BIN=${BIN:-$REPO/.build/debug}
cd "$REPO"
SCENARIOS=${SCENARIOS:-a,b}
T0=$(date +%s.%N)
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '[test-ble +%5ss] %s\n' "$(since "$T0")" "$*"; }

[ "$(id -u)" = 0 ] || { echo "run.sh: needs root (apt, qemu's 9p export of /)" >&2; exit 2; }
"$HERE/setup.sh" "$CACHE"
KVER=$(cat "$CACHE/KVER")
for b in crampd crampd-ble-peripheral; do
    [ -x "$BIN/$b" ] || { echo "run.sh: $BIN/$b is missing: build first (make build-debug)" >&2; exit 2; }
done
log "setup done"

# ---- accelerator: KVM when it is real KVM, else TCG --------------------------------------------
# A PVM /dev/kvm (nested virtualisation without VMX/SVM: /sys/module/kvm_pvm) runs only
# PVM-enabled guest kernels; Debian's hangs (shared/ble-lab/NOTES.md, pitfall 1).
ACCEL=${ACCEL:-auto}
if [ "$ACCEL" = auto ]; then
    if [ -d /sys/module/kvm_pvm ]; then ACCEL=tcg
    elif [ -r /dev/kvm ] && [ -w /dev/kvm ]; then ACCEL=kvm
    else ACCEL=tcg; fi
fi

# boot ACCEL: runs the VM; its console goes to $OUT/console.log, the guest's lines to stdout.
boot() {
    local accel=$1 qaccel cpu=()
    if [ "$accel" = kvm ]; then qaccel=kvm; cpu=(-cpu host); else qaccel=tcg,thread=multi; fi
    rm -rf "$OUT"
    mkdir -p "$OUT"
    timeout "${VM_TIMEOUT:-300}" qemu-system-x86_64 -accel "$qaccel" "${cpu[@]}" -m 1024 -smp 2 \
        -nographic -no-reboot -nic none \
        -kernel "$CACHE/kernel/boot/vmlinuz-$KVER" -initrd "$CACHE/initrd.img" \
        -append "console=ttyS0 quiet panic=-1 cryptomgr.notests=1 guest_init=$HERE/guest-init.sh ble_cache=$CACHE ble_bin=$BIN ble_scenarios=$SCENARIOS" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs "local,path=$OUT,mount_tag=outdir,security_model=none" \
        < /dev/null 2>&1 | tr -d '\r' | sed -u -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g' | tee "$OUT/console.log" \
        | grep --line-buffered -E '^\[guest|^    |Bluetooth: .*(fail|timeout)|Kernel panic' || true
}

log "booting the VM (accel $ACCEL, scenarios $SCENARIOS)"
tb=$(date +%s.%N)
boot "$ACCEL"
if [ "$ACCEL" = kvm ] && ! grep -q "guest up" "$OUT/console.log"; then
    log "no guest output with KVM: TCG instead"
    tb=$(date +%s.%N)
    boot tcg
fi
vm=$(since "$tb")
rc=$(cat "$OUT/rc" 2>/dev/null || echo 255)
log "VM done in ${vm} s, guest status $rc (outputs: $OUT)"

status=0
python3 "$HERE/check.py" "$OUT" ${SCENARIOS//,/ } || status=1
# The captures recorded in the VM replay to the events crampd printed live, byte for byte.
if ls "$OUT"/*/*.rec > /dev/null 2>&1; then
    if CRAMPD_LIVE_CAPTURES="$OUT" swift test --skip-build --filter LiveCaptureReplayTests > "$OUT/replay-test.log" 2>&1; then
        log "captures replay to the live events: $(grep -o 'Test run with .*' "$OUT/replay-test.log" | head -1)"
    else
        log "FAIL: a capture does not replay to its live events (see $OUT/replay-test.log)"
        grep -E "✘|error" "$OUT/replay-test.log" | head -10
        status=1
    fi
fi
[ "$rc" = 0 ] || status=1
if [ $status = 0 ]; then log "PASS (VM ${vm} s, total $(since "$T0") s)"; else log "FAIL (total $(since "$T0") s)"; fi
exit $status
