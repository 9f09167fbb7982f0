#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM (started by guest-init.sh). Sets up emulated controllers and peripherals,
# runs crampd against them, and leaves every output under /run/out/<scenario>/ for the host's
# check.py. Exit status: 0 when every scenario ran to its end (the checks are the host's).
#
#   a: btvirt -L (LE-only controllers, legacy LE commands); crampd-ble-peripheral on hci0
#      (Heart Rate + RSC + EMG profile, public address; drops its link once) and on hci1 (a
#      one-foot footpod, random static address); crampd on hci2: the error paths (no adapter,
#      adapter down, no CAP_NET_RAW), scan, record-ble with a capture.
#   b: btvirt with its default BR/EDR+LE 5.2 controllers (extended scanning and advertising);
#      bluetoothd with BlueZ's example-gatt-server and example-advertisement on hci0 (heart rate
#      at 1 Hz); crampd on hci1: extended scan, record-ble as an unprivileged user.
#
# Environment (from the kernel command line): CACHE (the kernel and modprobe helper), BIN (the
# directory with crampd and crampd-ble-peripheral), SCENARIOS (a,b).
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=/run/out
CRAMPD=$BIN/crampd
PERIPHERAL=$BIN/crampd-ble-peripheral
SCENARIOS=${SCENARIOS:-a,b}
ts() { echo "[guest $(cut -d' ' -f1 /proc/uptime)s] $*"; }
# waitfor CONDITION TENTHS: poll a shell condition every 0.1 s.
waitfor() { local i=0; while ! eval "$1"; do i=$((i + 1)); [ $i -gt "$2" ] && return 1; sleep 0.1; done; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; pids=(); }
trap cleanup EXIT

# ---- kernel modules, and the AF_ALG prewarm before any btvirt (pitfall 4) ----------------------
# btvirt binds AF_ALG ecb(aes)/cmac(aes) after creating its first controller; loading and
# instantiating them lazily takes about 2 s under TCG, and the kernel's HCI_Reset of that
# controller times out after 2 s (hci0 lost: "Opcode 0x0c03 failed: -110").
modprobe -a -d "$CACHE/kernel" hci_vhci af_alg algif_hash algif_skcipher ecb cmac aes_generic \
    || { ts "modprobe failed"; exit 10; }
"$PERIPHERAL" prewarm-crypto || { ts "AF_ALG prewarm failed"; exit 10; }
ts "modules loaded, AF_ALG algorithms instantiated"

# start_controllers N BTVIRT-OPTIONS…: N emulated controllers, up and LE-enabled.
start_controllers() {
    local n=$1
    shift
    btvirt "$@" > "$SOUT/btvirt.log" 2>&1 &
    BTVIRT=$!
    pids+=($BTVIRT)
    waitfor "[ -e /sys/class/bluetooth/hci$((n - 1)) ]" 100 || { ts "btvirt: controllers did not appear"; return 1; }
    sleep 0.3
    if dmesg | grep -E "Bluetooth: hci[0-9]+: .*(failed|timeout)" | grep -v "^$" > "$SOUT/dmesg-errors.txt"; then
        ts "controller setup failed: $(head -1 "$SOUT/dmesg-errors.txt")"
        return 1
    fi
    # Nobody powers controllers without bluetoothd (the kernel powers them off after setup);
    # mgmt does, and LE must be on for the kernel to make LE connections (pitfall 8).
    for i in $(seq 0 $((n - 1))); do
        btmgmt --index "$i" le on > /dev/null 2>&1
        btmgmt --index "$i" power on > /dev/null 2>&1
    done
    ts "controllers: $(for i in $(seq 0 $((n - 1))); do printf 'hci%s %s ' "$i" "$(cat /sys/class/bluetooth/hci$i/address 2>/dev/null)"; done)"
}

stop_controllers() {
    cleanup
    waitfor '[ -z "$(ls /sys/class/bluetooth 2>/dev/null)" ]' 50 || ts "controllers still present: $(ls /sys/class/bluetooth)"
}

# central_idle ADAPTER: waits until the central has no link left (a record-ble that ended
# leaves its links to the kernel, which drops them after its 2 s disconnect timeout), so that
# each run starts from an idle controller.
central_idle() {
    waitfor "[ -z \"\$(hcitool -i $1 con 2>/dev/null | tail -n +2)\" ]" 80 || ts "$1 still has links: $(hcitool -i "$1" con | tail -n +2)"
}

# record NAME SECONDS CONFIG SCENARIO: crampd record-ble from hci2, with a capture and its own
# HCI trace (btmon -r NAME.snoop).
record() {
    local name=$1 seconds=$2 config=$3 scenario=$4 t1 monitor
    central_idle hci2
    btmon -w "/run/$name.snoop" > /dev/null 2>&1 &
    monitor=$!
    t1=$(cut -d' ' -f1 /proc/uptime)
    "$CRAMPD" record-ble --config "$config" --adapter hci2 --capture "$SOUT/$name.rec" --seconds "$seconds" \
        --scenario "$scenario" --log-level debug > "$SOUT/$name.jsonl" 2> "$SOUT/$name.err"
    echo "$?" > "$SOUT/$name.rc"
    ts "record-ble $name: exit $(cat "$SOUT/$name.rc") after $(awk -v a="$t1" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') s: $(grep -c '"class":"HR"' "$SOUT/$name.jsonl") HR, $(grep -c '"class":"CADENCE"' "$SOUT/$name.jsonl") cadence, $(grep -c '"class":"EMG"' "$SOUT/$name.jsonl") EMG, $(grep -c '"class":"GAP"' "$SOUT/$name.jsonl") gaps"
    kill "$monitor" 2>/dev/null
    wait "$monitor" 2>/dev/null
    cp "/run/$name.snoop" "$SOUT/$name.snoop"
}

# expect_failure NAME COMMAND…: runs a crampd command that must fail; keeps its status and output.
expect_failure() {
    local name=$1
    shift
    "$@" > "$SOUT/$name.out" 2>&1
    echo "$?" > "$SOUT/$name.rc"
    ts "$name: exit $(cat "$SOUT/$name.rc"): $(head -c 300 "$SOUT/$name.out")"
}

scenario_a() {
    SOUT=$OUT/a
    mkdir -p "$SOUT"
    local t0
    t0=$(cut -d' ' -f1 /proc/uptime)
    expect_failure error-no-adapter "$CRAMPD" scan --seconds 1
    start_controllers 3 -L -l3 || return 1
    btmgmt --index 2 power off > /dev/null 2>&1
    expect_failure error-adapter-down "$CRAMPD" scan --adapter hci2 --seconds 1
    btmgmt --index 2 power on > /dev/null 2>&1
    expect_failure error-no-capability setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
        --bounding-set=-all "$CRAMPD" scan --adapter hci2 --seconds 1

    "$PERIPHERAL" serve --adapter hci0 --kinds hr,rsc,emg --name crampd-hub --hr-interval-ms 500 --rsc-interval-ms 500 \
        --drop-after 3 --lifetime 120 > "$SOUT/hub.log" 2>&1 &
    pids+=($!)
    "$PERIPHERAL" serve --adapter hci1 --kinds rsc --name crampd-footpod --random-address C2:11:22:33:44:55 --one-foot \
        --rsc-interval-ms 500 --lifetime 120 > "$SOUT/footpod.log" 2>&1 &
    pids+=($!)
    waitfor "grep -q advertising '$SOUT/hub.log' && grep -q advertising '$SOUT/footpod.log'" 150 \
        || { ts "peripherals did not start: $(cat "$SOUT/hub.log" "$SOUT/footpod.log")"; return 1; }
    ts "peripherals advertising"

    "$CRAMPD" scan --adapter hci2 --seconds 2 --json > "$SOUT/scan.jsonl" 2> "$SOUT/scan.err"
    echo "$?" > "$SOUT/scan.rc"
    ts "scan: exit $(cat "$SOUT/scan.rc"), $(wc -l < "$SOUT/scan.jsonl") devices; $(cat "$SOUT/scan.err")"

    # One link at a time from hci2: btvirt (BlueZ 5.66 and later) gives the peripheral of a
    # second simultaneous link the central's handle instead of its own, and that peripheral's
    # kernel then drops the link ("Unknown Connection Identifier"). Several devices on one
    # clock are covered by the session tests over socketpairs; here, each device in turn.
    record a-hub 14 "$HERE/scenario-a-hub.toml" \
        "scripts/ble-vm scenario a: crampd-ble-peripheral on btvirt -L, Heart Rate + RSC + EMG profile, drops its link once"
    grep -h "link\|drop" "$SOUT/hub.log" | sed 's/^/    /'
    record a-footpod 5 "$HERE/scenario-a-footpod.toml" \
        "scripts/ble-vm scenario a: crampd-ble-peripheral on btvirt -L, a one-foot footpod on a random static address"
    stop_controllers
    ts "scenario a done in $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') s"
}

scenario_b() {
    SOUT=$OUT/b
    mkdir -p "$SOUT"
    chmod 777 "$SOUT"
    local t0
    t0=$(cut -d' ' -f1 /proc/uptime)
    start_controllers 2 -l2 || return 1
    dbus-daemon --system --fork --nopidfile --print-pid > /run/dbus.pid || { ts "dbus-daemon failed"; return 1; }
    pids+=($(cat /run/dbus.pid))
    # Its debug log goes to the guest's tmpfs (copied at the end): written to the 9p share as
    # it happens, it slows everything else down.
    /usr/libexec/bluetooth/bluetoothd -n -d > /run/bluetoothd.log 2>&1 &
    pids+=($!)
    waitfor 'dbus-send --system --print-reply --dest=org.bluez /org/bluez/hci0 org.freedesktop.DBus.Properties.Get string:org.bluez.Adapter1 string:Address > /dev/null 2>&1' 300 \
        || { ts "bluetoothd did not export hci0"; return 1; }
    for i in 0 1; do btmgmt --index "$i" power on > /dev/null 2>&1; done
    ts "bluetoothd up"
    # BlueZ's examples take the first adapter with GattManager1/LEAdvertisingManager1; with two
    # controllers in one bluetoothd, pin them to hci0 (pitfall 12).
    mkdir -p /run/bzex
    for f in example-gatt-server example-advertisement; do
        sed -e "s|if GATT_MANAGER_IFACE in props.keys():|if GATT_MANAGER_IFACE in props.keys() and o == '/org/bluez/hci0':|" \
            -e "s|if LE_ADVERTISING_MANAGER_IFACE in props:|if LE_ADVERTISING_MANAGER_IFACE in props and o == '/org/bluez/hci0':|" \
            "/usr/share/doc/bluez-test-scripts/examples/$f" > "/run/bzex/$f"
    done
    python3 -u /run/bzex/example-gatt-server > "$SOUT/gatt-server.log" 2>&1 &
    pids+=($!)
    python3 -u /run/bzex/example-advertisement > "$SOUT/advertisement.log" 2>&1 &
    pids+=($!)
    waitfor "grep -q 'GATT application registered' '$SOUT/gatt-server.log' && grep -q 'Advertisement registered' '$SOUT/advertisement.log'" 400 \
        || { ts "BlueZ examples did not register: $(tail -3 "$SOUT/gatt-server.log" "$SOUT/advertisement.log")"; return 1; }
    ts "example-gatt-server and example-advertisement registered on hci0"

    "$CRAMPD" scan --adapter hci1 --seconds 2 --json > "$SOUT/scan.jsonl" 2> "$SOUT/scan.err"
    echo "$?" > "$SOUT/scan.rc"
    ts "scan: exit $(cat "$SOUT/scan.rc"), $(wc -l < "$SOUT/scan.jsonl") devices; $(cat "$SOUT/scan.err")"

    # Connecting needs no capability: record as nobody, with none.
    local t1 monitor
    btmon -w /run/b-bluez.snoop > /dev/null 2>&1 &
    monitor=$!
    t1=$(cut -d' ' -f1 /proc/uptime)
    setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
        "$CRAMPD" record-ble --config "$HERE/scenario-b.toml" --adapter hci1 --capture "$SOUT/b-bluez.rec" --seconds 8 \
        --scenario "scripts/ble-vm scenario b: bluetoothd with example-gatt-server and example-advertisement on btvirt 5.2 controllers" \
        --log-level debug > "$SOUT/b-bluez.jsonl" 2> "$SOUT/b-bluez.err"
    echo "$?" > "$SOUT/b-bluez.rc"
    ts "record-ble b-bluez (uid 65534, no capabilities): exit $(cat "$SOUT/b-bluez.rc") after $(awk -v a="$t1" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') s, $(grep -c '"class":"HR"' "$SOUT/b-bluez.jsonl") HR"
    kill "$monitor" 2>/dev/null
    wait "$monitor" 2>/dev/null
    cp /run/b-bluez.snoop "$SOUT/b-bluez.snoop"
    stop_controllers
    ts "scenario b done in $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') s"
}

status=0
for s in ${SCENARIOS//,/ }; do
    ts "=== scenario $s"
    "scenario_$s" || { ts "scenario $s could not run"; status=1; }
    # A scenario's leftovers (peripherals, btvirt, bluetoothd, dbus) must not reach the next one.
    stop_controllers
    # bluetoothd's debug log, kept on tmpfs while the scenario ran (also when it failed half-way).
    [ -e /run/bluetoothd.log ] && mv /run/bluetoothd.log "$OUT/$s/bluetoothd.log"
done
exit $status
