#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks what the VM test's scenarios left in OUT (scripts/ble-vm/run.sh runs this).

    check.py OUT [a] [b]

Prints one line per check and exits 1 if any failed. Reads crampd's outputs: the JSON lines of
`crampd scan --json` and `crampd record-ble`, their exit statuses and messages, the captures.
"""
import json
import os
import sys

OUT = sys.argv[1]
SCENARIOS = sys.argv[2:] or ["a", "b"]
HUB = "00:AA:01:00:00:00"
FOOTPOD = "C2:11:22:33:44:55"
EMG_SERVICE = "18e10001-f7dc-4656-bfb8-258573ce79f1"
failures = []


def check(name, ok, detail=""):
    print(("  ok    " if ok else "  FAIL  ") + name + ("" if ok or not detail else f": {detail}"))
    if not ok:
        failures.append(name)
    return ok


def text(path):
    try:
        with open(os.path.join(OUT, path), encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError as e:
        return f"<missing: {e}>"


def status(path):
    t = text(path).strip()
    return int(t) if t.lstrip("-").isdigit() else None


def lines(path):
    out = []
    for line in text(path).splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def of(events, cls, device=None):
    return [e for e in events if e["class"] == cls and (device is None or e["device"] == device)]


def error_paths():
    print("scenario a: errors")
    for name, expected in [
        ("error-no-adapter", ["no Bluetooth adapter found"]),
        ("error-adapter-down", ["hci2 is down", "btmgmt --index 2 power on"]),
        ("error-no-capability", ["need CAP_NET_RAW, which this process lacks", "setcap cap_net_raw,cap_net_admin+ep",
                                 "AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN"]),
    ]:
        message = text(f"a/{name}.out")
        check(f"{name}: exit 1 and says why and what to do",
              status(f"a/{name}.rc") == 1 and all(e in message for e in expected), message.strip()[:300])


def scan_a():
    print("scenario a: scan (legacy LE commands)")
    found = {d["address"]: d for d in lines("a/scan.jsonl")}
    check("scan exits 0, legacy scan", status("a/scan.rc") == 0 and "legacy scan" in text("a/scan.err"), text("a/scan.err"))
    hub = found.get(HUB, {})
    check("hub: public, named, connectable, HR + RSC + EMG profile advertised, kinds hr,rsc,emg",
          hub.get("address_type") == "public" and hub.get("name") == "crampd-hub" and hub.get("connectable")
          and {"180D", "1814", EMG_SERVICE} <= set(hub.get("services", [])) and hub.get("kinds") == ["hr", "rsc", "emg"],
          json.dumps(hub))
    foot = found.get(FOOTPOD, {})
    check("footpod: random address, RSC, kind rsc", foot.get("address_type") == "random"
          and foot.get("name") == "crampd-footpod" and "1814" in foot.get("services", []) and foot.get("kinds") == ["rsc"],
          json.dumps(foot))


def hub_session():
    print("scenario a: the hub (HR + RSC + EMG), its link dropped once")
    events = lines("a/a-hub.jsonl")
    check("record-ble exits 0", status("a/a-hub.rc") == 0, text("a/a-hub.err")[-500:])
    connected = of(events, "CONNECTED", HUB)
    check("two links, the second a reconnection", [c["connection"] for c in connected] == [1, 2], json.dumps(connected))
    if len(connected) != 2:
        return
    first, second = connected
    check("firmware from Device Information, name, channels",
          first["firmware"] == "crampd-sim 1.0" and first["name"] == "crampd-hub"
          and first["channels"] == ["HR", "RR", "Cadence", "Speed", "EMG gastroc L", "EMG soleus L"], json.dumps(first))
    down = of(events, "DISCONNECTED", HUB)
    check("one link loss, closed by the peer (HCI Disconnect 0x13)",
          len(down) == 1 and down[0]["reason"] == "closed-by-peer", json.dumps(down))
    gaps = [g for g in of(events, "GAP", HUB) if g["cause"] == "link-loss"]
    # The gap starts at the last sample: the last value's reception, or the end of the last EMG
    # block, which may lead its reception a little (docs/BLE.md, "One session clock").
    ok = len(gaps) == 1 and down and gaps[0]["from"] <= down[0]["t"] + 0.25 and gaps[0]["to"] == second["t"] \
        and gaps[0]["from"] < gaps[0]["to"] and len(gaps[0]["channels"]) == 6
    check("the loss is one explicit gap: from the last sample to the reconnection, every channel", ok, json.dumps(gaps))
    if down:
        wait = second["t"] - down[0]["t"]
        check("reconnected after the first backoff step (1 s, +10 % at most) and setup", 1.0 <= wait <= 4.0, f"{wait:.3f} s")
    samples = [e for e in events if e["class"] in ("HR", "CADENCE", "EMG") and e["device"] == HUB]
    if gaps:
        # A sample block [t, t + frames / rate) must not overlap the gap.
        def end(e):
            return e["t"] + (e["frames"] / e["rate_hz"] if e["class"] == "EMG" else 0)
        inside = [e for e in samples if e["t"] < gaps[0]["to"] - 1e-6 and end(e) > gaps[0]["from"] + 1e-6]
        check("no sample inside the gap (never zeros, never stitched)", not inside, json.dumps(inside[:2]))
    hr = of(events, "HR", HUB)
    check("heart rate: 120-180 bpm with RR intervals, on both links",
          len(hr) >= 10 and all(120 <= s["bpm"] <= 180 and s["rr_ms"] for s in hr)
          and any(s["t"] > second["t"] for s in hr), f"{len(hr)} samples")
    cadence = of(events, "CADENCE", HUB)
    check("cadence: plausible, 160-180 steps/min", len(cadence) >= 10
          and all(s["plausible"] and 160 <= s["spm"] <= 180 for s in cadence), f"{len(cadence)} samples")
    emg = of(events, "EMG", HUB)
    check("EMG: 1000 Hz, gastroc L + soleus L, 50 frames per block, on both links",
          len(emg) >= 100 and all(b["rate_hz"] == 1000 and b["frames"] == 50 and b["unit"] == "uV"
                                 and b["channels"] == ["EMG gastroc L", "EMG soleus L"] for b in emg)
          and any(b["t"] > second["t"] for b in emg), f"{len(emg)} blocks")
    # Within a link, blocks follow frame by frame, timed from the frame index: 50 ms apart.
    broken = []
    for link_blocks in ([b for b in emg if b["t"] < second["t"]], [b for b in emg if b["t"] >= second["t"]]):
        for a, b in zip(link_blocks, link_blocks[1:]):
            if b["first_frame"] != a["first_frame"] + a["frames"] or abs((b["t"] - a["t"]) - 0.05) > 1e-6:
                broken.append((a, b))
    check("EMG blocks contiguous within each link, 50 ms apart on the session clock", not broken, json.dumps(broken[:1]))
    check("no drops", not of(events, "DROP"), json.dumps(of(events, "DROP")[:2]))
    summary = of(events, "SUMMARY", HUB)
    check("summary: 2 connections, 1 disconnection, 1 gap, no EMG packet lost",
          len(summary) == 1 and summary[0]["connections"] == 2 and summary[0]["disconnections"] == 1
          and summary[0]["gaps"] == 1 and summary[0]["emg_packets_lost"] == 0, json.dumps(summary))
    capture = text("a/a-hub.rec")
    check("capture: version 2, provenance, firmware, both links and the loss, the session end",
          capture.startswith("# crampd BLE capture 2\n# Date: ") and f"# Firmware: {HUB} crampd-sim 1.0\n" in capture
          and capture.count(f" {HUB} link up\n") == 2 and capture.count(f" {HUB} link down closed-by-peer\n") == 1
          and "\n# Session-End: " in capture, capture[:300])


def footpod_session():
    print("scenario a: the footpod (random static address, one foot)")
    events = lines("a/a-footpod.jsonl")
    check("record-ble exits 0", status("a/a-footpod.rc") == 0, text("a/a-footpod.err")[-500:])
    connected = of(events, "CONNECTED", FOOTPOD)
    check("connected to the random address", len(connected) == 1 and connected[0]["channels"] == ["Cadence", "Speed"],
          json.dumps(connected))
    cadence = of(events, "CADENCE", FOOTPOD)
    check("cadence counted from one foot: plausible, 160-180 steps/min",
          len(cadence) >= 3 and all(s["plausible"] and 160 <= s["spm"] <= 180 for s in cadence), f"{len(cadence)} samples")


def scenario_b():
    print("scenario b: bluetoothd's example-gatt-server on 5.2 controllers")
    found = {d["address"]: d for d in lines("b/scan.jsonl")}
    hub = found.get(HUB, {})
    check("extended scan finds the BlueZ peripheral advertising Heart Rate",
          status("b/scan.rc") == 0 and "extended scan" in text("b/scan.err") and "180D" in hub.get("services", [])
          and hub.get("connectable"), text("b/scan.err") + json.dumps(hub))
    events = lines("b/b-bluez.jsonl")
    check("record-ble as an unprivileged user exits 0", status("b/b-bluez.rc") == 0, text("b/b-bluez.err")[-500:])
    connected = of(events, "CONNECTED", HUB)
    check("connected, Heart Rate channels", len(connected) == 1 and connected[0]["channels"][:2] == ["HR", "RR"],
          json.dumps(connected))
    hr = of(events, "HR", HUB)
    spacing = sorted(b["t"] - a["t"] for a, b in zip(hr, hr[1:]))
    median = spacing[len(spacing) // 2] if spacing else 0
    check("heart rate notifications at 1 Hz", len(hr) >= 3 and 0.7 <= median <= 1.3 and all(0 < s["bpm"] < 250 for s in hr),
          f"{len(hr)} samples, median spacing {median:.3f} s")
    check("the link stayed up (BlueZ's own GATT client requests answered)",
          not of(events, "DISCONNECTED") and not of(events, "GAP"), json.dumps(of(events, "DISCONNECTED")))


if "a" in SCENARIOS:
    error_paths()
    scan_a()
    hub_session()
    footpod_session()
if "b" in SCENARIOS:
    scenario_b()
print(f"check.py: {len(failures)} failed" + (": " + ", ".join(failures) if failures else ""))
sys.exit(1 if failures else 0)
