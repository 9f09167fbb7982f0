#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate the reference vectors for crampd's RR-interval handling and DFA alpha1.

Writes Tests/CrampCoreTests/Vectors/*.json from NumPy only (the reference implementation is
written out below, in float64, so that every step can be read and checked):

  dfa_alpha1_noise.json      DFA-1 alpha1 (box sizes 4..16 beats, non-overlapping boxes from
                             the start of the series, linear detrending in each box) of seeded
                             white, 1/f (pink) and Brownian series of 1024 values, with F(n) for
                             every box size; the expected exponents are 0.5, 1.0 and 1.5
  rr_stream_alpha1.json      a fixed exercise-like RR sequence (integer ms) with injected
                             ectopic, missed and extra beats and out-of-range values; the
                             artifact rule's verdict for every beat; alpha1 over the last 200
                             clean beats, every 10 clean beats, with the window's artifact share

The definitions are crampd's (docs/CARDIO_GAIT.md):

  profile   y_k = sum_{i<=k} (x_i - mean(x))
  F(n)      sqrt(mean over the floor(N/n) boxes of the mean squared residual of a
            least-squares line fitted to y in the box)          (Peng et al. 1995)
  alpha1    least-squares slope of ln F(n) against ln n, n = 4..16

  RR rule   reject RR < 250 ms or > 2000 ms; otherwise compare with the median of the
            previous 11 in-range RRs (all of them while fewer than 11, none while fewer
            than 3): reject RR < (1 - 0.2) * median (short) or RR > (1 + 0.2) * median (long).
            Every in-range RR, accepted or not, enters the median's history.

If NeuroKit2 is importable, every alpha1 is also computed with
neurokit2.fractal_dfa(x, scale=range(4, 17), overlap=False) and the largest difference is
recorded. It is the same definition (its default overlap=True uses half-overlapping boxes
instead) with one exception: NeuroKit2 leaves out boxes whose detrended variance is <= 1e-8.
On the noise series that never happens and the two agree to ~1e-15; on integer-ms RRs three
equal consecutive RRs make a 4-beat box of the profile exactly linear, NeuroKit2 drops it
(raising F(4)) and differs by up to ~0.01 — crampd, like Peng et al., keeps every box.

Run from the repository root (the output is deterministic; rerunning must give no diff):

    python3 -m venv /tmp/hrvenv && /tmp/hrvenv/bin/pip install numpy [neurokit2]
    /tmp/hrvenv/bin/python scripts/gen_hr_vectors.py
"""
import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "Tests" / "CrampCoreTests" / "Vectors"
BOX_SIZES = list(range(4, 17))
NOISE_LENGTH = 1024
NOISE_SEEDS = [11, 12, 13, 14]
RR_MIN_MS, RR_MAX_MS = 250.0, 2000.0
MEDIAN_BEATS, MEDIAN_MINIMUM, MAX_DEVIATION = 11, 3, 0.2
WINDOW_BEATS, HOP_BEATS = 200, 10

try:
    import neurokit2 as nk
except ImportError:  # optional cross-check
    nk = None


def fluctuations(x, sizes=BOX_SIZES):
    x = np.asarray(x, dtype=np.float64)
    y = np.cumsum(x - x.mean())
    out = []
    for n in sizes:
        m = len(y) // n
        boxes = y[: m * n].reshape(m, n)
        t = np.arange(n, dtype=np.float64)
        slope, intercept = np.polyfit(t, boxes.T, 1)
        trend = np.outer(slope, t) + intercept[:, None]
        out.append(float(np.sqrt(np.mean((boxes - trend) ** 2))))
    return out


def alpha1(x, sizes=BOX_SIZES):
    f = fluctuations(x, sizes)
    return float(np.polyfit(np.log(sizes), np.log(f), 1)[0]), f


def neurokit_alpha1(x):
    if nk is None:
        return None
    a, _ = nk.fractal_dfa(np.asarray(x, dtype=np.float64), scale=np.array(BOX_SIZES), overlap=False)
    return float(a)


def pink(rng, n):
    """1/f noise: white complex spectrum shaped by f^(-1/2) (power ~ 1/f), no DC."""
    f = np.fft.rfftfreq(n)
    a = np.zeros_like(f)
    a[1:] = f[1:] ** -0.5
    spectrum = a * (rng.standard_normal(len(f)) + 1j * rng.standard_normal(len(f)))
    return np.fft.irfft(spectrum, n)


def as_rr(x):
    """A series scaled to RR-like milliseconds (mean 700, SD 30) and rounded to 0.001 ms, so the
    JSON holds exactly the values both implementations analyse."""
    x = np.asarray(x, dtype=np.float64)
    return np.round(700.0 + 30.0 * (x - x.mean()) / x.std(), 3)


def num(v, digits=15):
    return float(f"{v:.{digits}g}")


def header(source):
    return {
        "source": source,
        "generator": "scripts/gen_hr_vectors.py",
        "numpy": np.__version__,
        "neurokit2": getattr(nk, "__version__", None),
        "box_sizes": [BOX_SIZES[0], BOX_SIZES[-1]],
    }


def write(name, payload):
    path = OUT / name
    path.write_text(json.dumps(payload, separators=(",", ":")) + "\n")
    print(f"Tests/CrampCoreTests/Vectors/{name}: {path.stat().st_size / 1024:.1f} KiB")


def noise_vectors():
    series = []
    worst_nk = 0.0
    for kind, expected in (("white", 0.5), ("pink", 1.0), ("brown", 1.5)):
        alphas = []
        for seed in NOISE_SEEDS:
            rng = np.random.default_rng(seed)
            w = rng.standard_normal(NOISE_LENGTH)
            raw = {"white": w, "pink": pink(rng, NOISE_LENGTH), "brown": np.cumsum(w)}[kind]
            x = as_rr(raw)
            a, f = alpha1(x)
            alphas.append(a)
            a_nk = neurokit_alpha1(x)
            if a_nk is not None:
                worst_nk = max(worst_nk, abs(a_nk - a))
            series.append({
                "kind": kind, "seed": seed, "expected_alpha1": expected,
                "alpha1": num(a), "fluctuations": [num(v) for v in f],
                "rr_ms": [float(v) for v in x],
            })
        print(f"  {kind:5s}: alpha1 = {', '.join(f'{a:.3f}' for a in alphas)}; mean {np.mean(alphas):.3f} (expected {expected})")
    payload = header("seeded numpy.random.default_rng: white N(0,1); pink = white spectrum * f^-1/2; brown = cumsum(white); scaled to mean 700 ms, SD 30 ms")
    payload["neurokit2_max_abs_difference"] = worst_nk if nk is not None else None
    payload["series"] = series
    write("dfa_alpha1_noise.json", payload)
    if nk is not None:
        print(f"  NeuroKit2 fractal_dfa(overlap=False): largest |difference| {worst_nk:.2e}")


def exercise_rr(rng, beats):
    """Integer-ms RR of a run: HR 100 -> 150 bpm over the first 300 beats, then a slow drift up,
    with 1/f fluctuations (SD 6 ms) and white noise (SD 2 ms)."""
    k = np.arange(beats)
    hr = 100.0 + 50.0 * (1 - np.exp(-k / 100.0)) + 5.0 * k / beats
    fluct = pink(rng, beats)
    rr = 60000.0 / hr + 6.0 * fluct / fluct.std() + 2.0 * rng.standard_normal(beats)
    return [int(round(v)) for v in rr]


def inject(rr):
    """Artifacts at fixed places (indices into the clean sequence), applied back to front."""
    rr = list(rr)
    notes = []
    edits = [
        (1100, "range", None), (1010, "ectopic", None), (950, "extra", None), (860, "missed", None),
        (700, "ectopic", None), (620, "range", None), (550, "extra", None), (420, "ectopic", None),
        (300, "missed", None), (150, "ectopic", None), (5, "ectopic", None),
    ]
    for i, kind, _ in edits:
        if kind == "ectopic":  # premature beat and compensatory pause
            a, b = rr[i], rr[i + 1]
            rr[i], rr[i + 1] = int(round(0.65 * a)), int(round(b + 0.35 * a))
        elif kind == "missed":  # an R peak not detected: two intervals merge
            rr[i : i + 2] = [rr[i] + rr[i + 1]]
        elif kind == "extra":  # a spurious R peak: one interval splits
            a = rr[i]
            rr[i : i + 1] = [int(round(0.45 * a)), a - int(round(0.45 * a))]
        elif kind == "range":
            rr[i : i + 1] = [rr[i], 180, 2400] if i < 1000 else [rr[i], 2400]
        notes.append({"clean_index": i, "kind": kind})
    return rr, sorted(notes, key=lambda n: n["clean_index"])


def classify(rr):
    verdicts = []
    history = []
    for v in rr:
        v = float(v)
        if v < RR_MIN_MS or v > RR_MAX_MS:
            verdicts.append("out_of_range")
            continue
        verdict = "accepted"
        if len(history) >= MEDIAN_MINIMUM:
            med = float(np.median(history[-MEDIAN_BEATS:]))
            if v < (1 - MAX_DEVIATION) * med:
                verdict = "short"
            elif v > (1 + MAX_DEVIATION) * med:
                verdict = "long"
        verdicts.append(verdict)
        history.append(v)
    return verdicts


def rr_stream_vector():
    rng = np.random.default_rng(2024)
    rr, notes = inject(exercise_rr(rng, 1200))
    verdicts = classify(rr)
    clean, arrival_of_clean = [], []
    estimates = []
    worst_nk = 0.0
    for arrival, (v, verdict) in enumerate(zip(rr, verdicts)):
        if verdict != "accepted":
            continue
        clean.append(float(v))
        arrival_of_clean.append(arrival)
        count = len(clean)
        if count >= WINDOW_BEATS and (count - WINDOW_BEATS) % HOP_BEATS == 0:
            window = clean[-WINDOW_BEATS:]
            a, _ = alpha1(window)
            span = arrival_of_clean[-1] - arrival_of_clean[-WINDOW_BEATS] + 1
            a_nk = neurokit_alpha1(window)
            if a_nk is not None:
                worst_nk = max(worst_nk, abs(a_nk - a))
            estimates.append({
                "arrival_index": arrival, "clean_count": count, "alpha1": num(a),
                "artifact_percent": num(100.0 * (span - WINDOW_BEATS) / span),
            })
    counts = {k: verdicts.count(k) for k in ("accepted", "out_of_range", "short", "long")}
    print(f"  rr stream: {len(rr)} RRs, {counts}, {len(estimates)} alpha1 estimates "
          f"({min(e['alpha1'] for e in estimates):.3f}..{max(e['alpha1'] for e in estimates):.3f})")
    if nk is not None:
        print(f"  NeuroKit2 fractal_dfa(overlap=False) on every window: largest |difference| {worst_nk:.2e}"
              " (NeuroKit2 drops exactly linear boxes; see the docstring)")
    payload = header("seeded exercise-like RR (HR 100 -> 150 bpm, 1/f + white fluctuations), integer ms, with injected artifacts")
    payload.update({
        "rule": {"minimum_ms": RR_MIN_MS, "maximum_ms": RR_MAX_MS, "median_beats": MEDIAN_BEATS,
                 "median_minimum_beats": MEDIAN_MINIMUM, "maximum_deviation_fraction": MAX_DEVIATION},
        "window_beats": WINDOW_BEATS, "hop_beats": HOP_BEATS,
        "injected": notes,
        "counts": counts,
        "neurokit2_max_abs_difference": worst_nk if nk is not None else None,
        "neurokit2_note": "NeuroKit2 leaves out boxes with detrended variance <= 1e-8 (exactly linear "
                          "profile boxes from equal consecutive integer RRs); crampd keeps every box",
        "rr_ms": rr,
        "verdicts": verdicts,
        "estimates": estimates,
    })
    write("rr_stream_alpha1.json", payload)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    noise_vectors()
    rr_stream_vector()


if __name__ == "__main__":
    main()
