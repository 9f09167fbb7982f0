# SPDX-License-Identifier: MIT
"""`make bench`: crampd's EMG feature pipeline against NumPy/SciPy, LibEMG and BrainFlow on the
same 60-minute, 8-channel, 2 kHz input, one core each. Prints a table and writes the same
numbers to bench/out/results.json. Measures; asserts nothing. See bench/README.md.

    .venv-bench/bin/python bench/run.py --crampd .build/release/crampd \\
        --throughput .build/release/crampd-dsp-throughput [--peers numpy,libemg,brainflow]
"""
import argparse
import importlib.metadata
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import common  # noqa: E402

# ---------------------------------------------------------------------------------------------
# The crampd command measured: the one line to change. Placeholders: {crampd}, {throughput}
# (paths of the release executables), {edf} (the input) and {seconds} (its duration).
#
# Until `crampd features` is on this branch, the stand-in is crampd-dsp-throughput: the same
# per-window stage (conditioning with 50 Hz notches + window 500 / hop 125 features, 8 channels
# in lockstep) on its own synthetic signal of the same length, without EDF decoding, output,
# bursts, strides or quality flags. Flip to the second line when the command lands.
CRAMPD_COMMAND = "{crampd} features {edf} --csv --out /dev/null --window 500 --hop 125 --mains 50"
# Stand-in (window stage only, synthetic input): CRAMPD_COMMAND = "{throughput} {seconds} --notch"
# ---------------------------------------------------------------------------------------------

PEERS = {
    "numpy": ("NumPy/SciPy batch", "peer_numpy.py", ("numpy", "scipy")),
    "libemg": ("LibEMG FeatureExtractor", "peer_libemg.py", ("libemg",)),
    "brainflow": ("BrainFlow DataFilter", "peer_brainflow.py", ("brainflow",)),
}
ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "NUMBA_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
CRAMPD_RUNS = 5        # crampd is cheap: median of five; each peer runs once
SHORT_SECONDS = 20     # instruction count input
BASELINE_SECONDS = 1   # subtracted: start-up, design, the first windows
TARGETS = {"rtf": 3000.0, "vs_fastest_peer": 10.0, "instructions_per_sample": 250.0, "rss_delta_mb": 1.0}
DISTURBED = 1.15       # processing wall / CPU above this: other work shared the core


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def loadavg():
    return [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]]


def timed(argv, env=None, stdout=subprocess.PIPE):
    """Runs argv under GNU time: wall (perf_counter), peak RSS (KiB), user and system CPU."""
    tfile = HERE / "out" / ".time"
    before = loadavg()
    t0 = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M %U %S", "-o", str(tfile), *argv],
        env=env, stdout=stdout, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    rss_kib, user, system = tfile.read_text().strip().splitlines()[-1].split()
    return {
        "returncode": proc.returncode, "stdout": proc.stdout or "", "stderr": proc.stderr,
        "wall_s": wall, "peak_rss_kib": int(rss_kib), "cpu_s": float(user) + float(system),
        "loadavg_before": before,
    }


def check(proc, what):
    code, err = (proc["returncode"], proc["stderr"]) if isinstance(proc, dict) else (proc.returncode, proc.stderr)
    if code != 0:
        sys.exit(f"bench: {what} failed (exit {code}):\n{err}")


class Input:
    def __init__(self, edf, seconds):
        self.edf, self.seconds = Path(edf), seconds
        self.emg_samples = None


def make_inputs(args, out):
    """The deterministic inputs: simulated 60 and 10 minutes; 20 s and 1 s cut from the first."""
    long_in, ten_in = Input(out / "input.edf", 3600), Input(out / "input-10m.edf", 600)
    for i, d in ((long_in, "60m"), (ten_in, "10m")):
        log(f"simulating {i.edf.name} ({d})")
        check(subprocess.run(
            [args.crampd, "simulate", "--scenario", "long-fatigue", "--seed", "42",
             "--duration", d, "--rate", "2000", "--out", str(i.edf)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True), "crampd simulate")
    short_in = Input(out / "input-20s.edf", SHORT_SECONDS)
    base_in = Input(out / "input-1s.edf", BASELINE_SECONDS)
    for i in (short_in, base_in):
        check(subprocess.run(
            [sys.executable, str(HERE / "cut_edf.py"), str(long_in.edf), str(i.seconds), str(i.edf)],
            capture_output=True, text=True), "cut_edf.py")
    log("converting the 60-minute EMG to input.npy (pyedflib; not timed)")
    t0 = time.perf_counter()
    conv = subprocess.run(
        [sys.executable, str(HERE / "edf_to_npy.py"), str(long_in.edf), str(out / "input.npy")],
        capture_output=True, text=True)
    check(conv, "edf_to_npy.py")
    meta = json.loads(conv.stdout)
    meta["convert_s"] = time.perf_counter() - t0
    for i in (long_in, ten_in, short_in, base_in):
        i.emg_samples = len(meta["labels"]) * int(meta["rate"]) * i.seconds
    return long_in, ten_in, short_in, base_in, meta


def crampd_argv(template, args, inp):
    text = template.format(crampd=args.crampd, throughput=args.throughput, edf=inp.edf, seconds=inp.seconds)
    return shlex.split(text)


def processing_seconds(run):
    """The stand-in times its own loop ("wall time: X s"); otherwise the whole process."""
    m = re.search(r"wall time: ([0-9.]+) s", run["stdout"])
    return float(m.group(1)) if m else run["wall_s"]


def run_crampd(template, args, inp, label):
    runs = []
    for k in range(CRAMPD_RUNS):
        argv = crampd_argv(template, args, inp)
        log(f"{label} run {k + 1}/{CRAMPD_RUNS}: {shlex.join(argv)}")
        r = timed(argv, env={**os.environ, **ONE_CORE})
        check(r, shlex.join(argv))
        r["processing_s"] = processing_seconds(r)
        runs.append(r)
    med = statistics.median(r["processing_s"] for r in runs)
    return {
        "command": shlex.join(crampd_argv(template, args, inp)),
        "processing_s": med,
        "processing_s_runs": [r["processing_s"] for r in runs],
        "process_wall_s": statistics.median(r["wall_s"] for r in runs),
        "cpu_s": statistics.median(r["cpu_s"] for r in runs),
        "peak_rss_kib": max(r["peak_rss_kib"] for r in runs),
        "loadavg_before": runs[0]["loadavg_before"],
        "stdout_first_run": runs[0]["stdout"][-2000:],
    }


def run_peer(key, npy, out):
    name, script, packages = PEERS[key]
    versions = {}
    for p in packages:
        try:
            versions[p] = importlib.metadata.version(p)
        except importlib.metadata.PackageNotFoundError:
            versions[p] = None
    result = {"peer": key, "name": name, "versions": versions}
    if None in versions.values():
        missing = [p for p, v in versions.items() if v is None]
        result["error"] = f"not installed in .venv-bench: {', '.join(missing)}"
        return result
    log(f"{name} ({', '.join(f'{p} {v}' for p, v in versions.items())})")
    feats = out / f"features-{key}.npz"
    r = timed([sys.executable, str(HERE / script), str(npy), str(feats)], env={**os.environ, **ONE_CORE})
    if r["returncode"] != 0:
        tail = [l for l in r["stderr"].strip().splitlines() if l.strip()][-3:]
        result["error"] = f"exit {r['returncode']}: " + " | ".join(tail)
        return result
    line = json.loads(r["stdout"].strip().splitlines()[-1])
    result.update({
        "computed": line["computed"], "notes": line["notes"],
        "processing_s": line["process_s"], "processing_cpu_s": line["process_cpu_s"], "load_s": line["load_s"],
        "startup_s": r["wall_s"] - line["process_s"] - line["load_s"] - line["save_s"],
        "process_wall_s": r["wall_s"], "cpu_s": r["cpu_s"], "peak_rss_kib": r["peak_rss_kib"],
        "loadavg_before": r["loadavg_before"], "features_file": str(feats.relative_to(ROOT)),
    })
    return result


def agreement(out, peers):
    """Median over windows (after the first second) of each feature per peer, and the median
    relative difference from the NumPy/SciPy peer, which implements crampd's definitions."""
    files = {p["peer"]: out / f"features-{p['peer']}.npz" for p in peers if "error" not in p}
    data = {k: np.load(v) for k, v in files.items()}
    skip = common.RATE // common.HOP  # the filters' start-up transient
    table = {}
    for key, d in data.items():
        row = {}
        for f in d.files:
            v = d[f][:, skip:]
            entry = {"median": float(np.median(v))}
            if "numpy" in data and key != "numpy" and f in data["numpy"].files:
                ref = data["numpy"][f][:, skip:]
                with np.errstate(divide="ignore", invalid="ignore"):
                    rel = np.abs(v - ref) / np.abs(ref)
                entry["median_rel_diff_vs_numpy"] = float(np.nanmedian(rel))
            row[f] = entry
        table[key] = row
    return table


def without_debug_info(executable, out):
    """A copy of `executable` without its DWARF (symbols kept; the code is the same bytes).

    Debian 12's valgrind 3.19 stops at the DWARF 5 forms of crampd's C++ parts (toml++ under
    TOMLKit: "unhandled dwarf2 abbrev form code 0x25 ... I can't recover") and runs nothing.
    """
    copy = out / "callgrind-bin" / Path(executable).name
    copy.parent.mkdir(exist_ok=True)
    check(subprocess.run(["objcopy", "--strip-debug", executable, str(copy)],
                         capture_output=True, text=True), "objcopy --strip-debug")
    return str(copy)


def callgrind(template, args, inp, out):
    argv = crampd_argv(template, args, inp)
    argv[0] = without_debug_info(argv[0], out)
    cg = out / f"callgrind-{inp.seconds}s.out"
    log(f"callgrind: {shlex.join(argv)}")
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg}", *argv],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env={**os.environ, **ONE_CORE})
    check(proc, "valgrind --tool=callgrind")
    m = re.search(r"^(?:summary|totals):\s+(\d+)", cg.read_text(errors="replace"), re.M)
    return int(m.group(1))


def fmt_s(x):
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crampd", default=str(ROOT / ".build/release/crampd"))
    ap.add_argument("--throughput", default=str(ROOT / ".build/release/crampd-dsp-throughput"))
    ap.add_argument("--crampd-command", default=CRAMPD_COMMAND, help="template; default: %(default)s")
    ap.add_argument("--peers", default="numpy,libemg,brainflow")
    ap.add_argument("--out", default=str(HERE / "out"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    standin = "{throughput}" in args.crampd_command
    started = time.perf_counter()

    long_in, ten_in, short_in, base_in, meta = make_inputs(args, out)
    npy = out / "input.npy"

    peers = [run_peer(k, npy, out) for k in args.peers.split(",") if k]
    crampd = run_crampd(args.crampd_command, args, long_in, "crampd 60 min")
    rss10 = run_crampd(args.crampd_command, args, ten_in, "crampd 10 min")
    ir_short = callgrind(args.crampd_command, args, short_in, out)
    ir_base = callgrind(args.crampd_command, args, base_in, out)
    per_sample = (ir_short - ir_base) / (short_in.emg_samples - base_in.emg_samples)

    seconds = long_in.seconds
    crampd["rtf"] = seconds / crampd["processing_s"]
    ok_peers = [p for p in peers if "error" not in p]
    for p in ok_peers:
        p["rtf"] = seconds / p["processing_s"]
        p["crampd_times_faster"] = p["processing_s"] / crampd["processing_s"]
    fastest = min(ok_peers, key=lambda p: p["processing_s"]) if ok_peers else None
    rss_delta_kib = crampd["peak_rss_kib"] - rss10["peak_rss_kib"]
    rss_delta_mb = rss_delta_kib * 1024 / 1e6
    targets = {
        "rtf": {"target": f"≥ {TARGETS['rtf']:.0f}×", "value": crampd["rtf"],
                "by_cpu_time": seconds / crampd["cpu_s"], "reached": crampd["rtf"] >= TARGETS["rtf"]},
        "vs_fastest_peer": {
            "target": f"≥ {TARGETS['vs_fastest_peer']:.0f}×",
            "value": fastest["crampd_times_faster"] if fastest else None,
            "peer": fastest["name"] if fastest else None,
            "by_cpu_time": fastest["processing_cpu_s"] / crampd["cpu_s"] if fastest else None,
            "reached": bool(fastest) and fastest["crampd_times_faster"] >= TARGETS["vs_fastest_peer"]},
        "instructions_per_sample": {
            "target": f"≤ {TARGETS['instructions_per_sample']:.0f}", "value": per_sample,
            "reached": per_sample <= TARGETS["instructions_per_sample"]},
        "rss_10min_vs_60min_mb": {
            "target": f"≤ {TARGETS['rss_delta_mb']:.0f} MB", "value": rss_delta_mb,
            "reached": abs(rss_delta_mb) <= TARGETS["rss_delta_mb"]},
    }
    feature_check = agreement(out, peers)
    crampd["disturbed"] = crampd["processing_s"] > DISTURBED * crampd["cpu_s"]
    for p in ok_peers:
        p["disturbed"] = p["processing_s"] > DISTURBED * p["processing_cpu_s"]

    results = {
        "input": {
            "command": f"crampd simulate --scenario long-fatigue --seed 42 --duration 60m --rate 2000",
            "seconds": seconds, "channels": len(meta["labels"]), "labels": meta["labels"],
            "rate_hz": meta["rate"], "emg_samples": long_in.emg_samples,
            "npy_convert_s_untimed": meta["convert_s"],
        },
        "configuration": {
            "window": common.WINDOW, "hop": common.HOP, "band_hz": list(common.BAND),
            "band_order": common.BAND_ORDER, "mains_hz": common.MAINS,
            "notches_hz": common.notch_frequencies(), "notch_q": common.NOTCH_Q,
            "zc_threshold_uv": common.ZC_THRESHOLD_UV, "one_core_env": ONE_CORE,
        },
        "crampd": {**crampd, "standin": standin, "template": args.crampd_command},
        "peers": peers,
        "instructions": {
            "tool": "valgrind --tool=callgrind (Ir)",
            "short_input_s": short_in.seconds, "baseline_input_s": base_in.seconds,
            "ir_short": ir_short, "ir_baseline": ir_base,
            "emg_samples_difference": short_in.emg_samples - base_in.emg_samples,
            "per_emg_sample": per_sample,
        },
        "rss": {"peak_rss_kib_10min": rss10["peak_rss_kib"], "peak_rss_kib_60min": crampd["peak_rss_kib"],
                "difference_kib": rss_delta_kib, "difference_mb": rss_delta_mb},
        "targets": targets,
        "feature_medians": feature_check,
        "machine": {
            "cpu": next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                         if l.startswith("model name")), platform.processor()),
            "cores": os.cpu_count(), "python": platform.python_version(),
            "loadavg_end": loadavg(),
        },
        "bench_wall_s": time.perf_counter() - started,
    }
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print_table(results)


def print_table(r):
    c, inp = r["crampd"], r["input"]
    cfg = r["configuration"]
    print()
    print(f"crampd benchmark — {inp['seconds'] // 60} min, {inp['channels']} EMG channels at "
          f"{inp['rate_hz']:.0f} Hz ({inp['emg_samples'] / 1e6:.1f} M samples), window {cfg['window']} / hop "
          f"{cfg['hop']}, band-pass {cfg['band_hz'][0]:.0f}–{cfg['band_hz'][1]:.0f} Hz + "
          f"{len(cfg['notches_hz'])} notches at {cfg['mains_hz']:.0f} Hz harmonics; one core each")
    print(f"machine: {r['machine']['cpu']}, {r['machine']['cores']} cores; load average at the end "
          f"{r['machine']['loadavg_end'][0]:.2f}")
    print()
    head = f"{'implementation':<34} {'processing s':>12} {'CPU s':>7} {'real time':>10} {'peak RSS MiB':>13} " \
           f"{'crampd ×faster':>15}  features"
    print(head)
    print("-" * len(head))
    cname = "crampd (stand-in: dsp-throughput)" if c["standin"] else "crampd features"
    print(f"{cname:<34} {fmt_s(c['processing_s']):>12} {fmt_s(c['cpu_s']):>7} {c['rtf']:>9.0f}× {c['peak_rss_kib'] / 1024:>13.1f} "
          f"{'—':>15}  rms mav zc tke mnf mdf finsm5")
    for p in r["peers"]:
        version = ", ".join(f"{v}" for v in p["versions"].values() if v)
        name = f"{p['name']} {version}" if p["peer"] != "numpy" else f"{p['name']} {version.replace(', ', '/')}"
        if "error" in p:
            print(f"{name:<34} {'—':>12} {'—':>7} {'—':>10} {'—':>13} {'—':>15}  not run: {p['error']}")
            continue
        print(f"{name:<34} {fmt_s(p['processing_s']):>12} {fmt_s(p['processing_cpu_s']):>7} {p['rtf']:>9.0f}× {p['peak_rss_kib'] / 1024:>13.0f} "
              f"{p['crampd_times_faster']:>14.1f}×  {' '.join(f.replace('_per_s', '') for f in p['computed'])}")
    print()
    print("processing = wall time of filtering + windows + features, data already in memory (peers) or the")
    print("stand-in's own timed loop; real time = recording s / processing s; crampd: median of "
          + str(len(c["processing_s_runs"])) + " runs (" + ", ".join(f"{x:.3f}" for x in c["processing_s_runs"])
          + " s), each peer once.")
    print("CPU s = CPU time of the processing (peers) or of the whole crampd process (start-up included); it is")
    print("less disturbed than wall time when other work shares the cores (load average above).")
    disturbed = [n for n, d in [("crampd", c.get("disturbed"))] + [(p["name"], p.get("disturbed")) for p in r["peers"]] if d]
    if disturbed:
        print(f"! wall time exceeded CPU time by more than {100 * (DISTURBED - 1):.0f} % for: {', '.join(disturbed)} —")
        print("! other processes took the core; the CPU-time figures are the steadier comparison in this run.")
    for p in r["peers"]:
        if "error" not in p:
            print(f"  {p['name']}: processing {p['processing_cpu_s']:.2f} s CPU; interpreter + imports "
                  f"{p['startup_s']:.2f} s, load {p['load_s']:.2f} s, whole process {p['process_wall_s']:.1f} s "
                  f"wall / {p['cpu_s']:.1f} s CPU; {p['notes']}")
    print(f"  crampd: whole process {c['process_wall_s']:.2f} s wall / {c['cpu_s']:.2f} s CPU: {c['command']}")
    if c["standin"]:
        print("  stand-in: crampd-dsp-throughput runs the same conditioning + window-feature stage on its own")
        print("  synthetic 8-channel signal of the same length (no EDF decoding, no output, no bursts/strides/quality)")
    ins = r["instructions"]
    print()
    print(f"instructions per EMG sample: ({ins['ir_short']:,} − {ins['ir_baseline']:,}) Ir / "
          f"{ins['emg_samples_difference']:,} samples ({ins['short_input_s']} s − {ins['baseline_input_s']} s input) "
          f"= {ins['per_emg_sample']:.0f}")
    rs = r["rss"]
    print(f"peak RSS 10 min vs 60 min: {rs['peak_rss_kib_10min'] / 1024:.2f} MiB vs "
          f"{rs['peak_rss_kib_60min'] / 1024:.2f} MiB: difference {rs['difference_kib']} KiB ({rs['difference_mb']:.2f} MB)")
    print()
    print(f"{'target (issue 3)':<56} {'target':>10} {'measured':>10}  reached")
    t = r["targets"]
    rows = [
        ("real-time factor, one core", t["rtf"], f"{t['rtf']['value']:.0f}×"),
        ("  the same by CPU time (crampd's whole process)", t["rtf"], f"{t['rtf']['by_cpu_time']:.0f}×"),
        (f"× faster than the fastest peer ({t['vs_fastest_peer']['peer'] or 'none ran'})", t["vs_fastest_peer"],
         f"{t['vs_fastest_peer']['value']:.1f}×" if t["vs_fastest_peer"]["value"] else "—"),
        ("  the same by CPU time (crampd's whole process)", t["vs_fastest_peer"],
         f"{t['vs_fastest_peer']['by_cpu_time']:.1f}×" if t["vs_fastest_peer"]["value"] else "—"),
        ("instructions per EMG sample", t["instructions_per_sample"],
         f"{t['instructions_per_sample']['value']:.0f}"),
        ("peak RSS, 10-min vs 60-min input", t["rss_10min_vs_60min_mb"],
         f"{t['rss_10min_vs_60min_mb']['value']:.2f} MB"),
    ]
    for label, tt, measured in rows:
        if label.startswith("  "):
            print(f"{label:<56} {'':>10} {measured:>10}")
            continue
        print(f"{label:<56} {tt['target']:>10} {measured:>10}  {'yes' if tt['reached'] else 'NO'}")
    fm = r["feature_medians"]
    if fm:
        print()
        print("same features? session medians per peer (relative difference from NumPy/SciPy, median over windows)")
        names = list(common.FEATURES)
        print(f"{'':<12}" + "".join(f"{n:>20}" for n in names))
        for key, row in fm.items():
            cells = []
            for n in names:
                if n not in row:
                    cells.append(f"{'—':>20}")
                    continue
                e = row[n]
                v = f"{e['median']:.4g}"
                if "median_rel_diff_vs_numpy" in e:
                    v += f" ({e['median_rel_diff_vs_numpy']:.0e})"
                cells.append(f"{v:>20}")
            print(f"{key:<12}" + "".join(cells))
    print()
    print(f"results: bench/out/results.json; whole benchmark {r['bench_wall_s']:.0f} s")


if __name__ == "__main__":
    main()
