#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate the golden vectors for crampd's filters and window features.

Writes Tests/CrampCoreTests/Vectors/*.json from SciPy (the reference) and NumPy only:

  bandpass_20_<hi>_fs<fs>.json     butter(4, [20, hi], "bandpass", fs, output="sos") and the
                                   causal sosfilt output, fs = 500, 1000, 2000, 4000
                                   (hi = 450 Hz, lowered to 0.9 * Nyquist = 225 Hz at 500 Hz)
  highpass_20_fs200.json           butter(4, 20, "highpass", fs=200): the low-rate path
  conditioner_<mains>hz_q30_fs<fs>.json
                                   band-pass + iirnotch(k*f0, 30, fs) for every harmonic
                                   k*f0 <= upper band edge, as one cascade, and its output
  features_<name>_fs<fs>_n<N>_h<hop>.json
                                   window features (docs/FEATURES.md definitions) per hop,
                                   on synthetic EMG-like noise and on real EMG (PLUX)

Inputs are rounded to float32 before filtering, so Swift (Float) and SciPy (float64) see
identical samples. Run from the repository root:

    python3 -m venv .venv-dsp && .venv-dsp/bin/pip install numpy scipy
    .venv-dsp/bin/python scripts/gen_dsp_vectors.py [--plux PATH]

The output is deterministic (seeded generator); rerunning must give no diff.
"""
import argparse
import json
import math
from pathlib import Path

import numpy as np
import scipy
from scipy import signal

OUT = Path(__file__).resolve().parent.parent / "Tests" / "CrampCoreTests" / "Vectors"
ORDER = 4
BAND = (20.0, 450.0)
Q = 30.0
ZC_THRESHOLD_UV = 1.0
PLUX_DEFAULT = Path("/work/shared/data/emg/plux-biceps/emg_fatigue.derived.csv")


def f32(x):
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def num(v, digits=10):
    """A float as a short JSON number; float32 inputs round-trip with 9 digits."""
    return float(f"{v:.{digits}g}")


def f32list(x):
    return [num(v, 9) for v in np.asarray(x, dtype=np.float32)]


def f64list(x, digits=12):
    return [num(v, digits) for v in x]


def header(source):
    return {
        "source": source,
        "generator": "scripts/gen_dsp_vectors.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }


def effective_band(fs):
    """crampd's rule: the upper edge is at most 0.9 * Nyquist (EMGConditioningConfiguration)."""
    return BAND[0], min(BAND[1], 0.9 * fs / 2)


def synthetic_input(fs, seconds, seed):
    """EMG-like broadband noise, two mains lines, a sine in band, DC and a slow drift (uV)."""
    rng = np.random.default_rng(seed)
    n = int(round(fs * seconds))
    t = np.arange(n) / fs
    x = (
        60.0 * rng.standard_normal(n)
        + 40.0 * np.sin(2 * np.pi * 50.0 * t + 0.3)
        + 15.0 * np.sin(2 * np.pi * 150.0 * t)
        + 25.0 * np.sin(2 * np.pi * 123.0 * t + 1.0)
        + 80.0 * np.sin(2 * np.pi * 1.5 * t)
        + 30.0
    )
    return f32(x)


def emg_like(fs, seconds, seed):
    """Noise shaped like sEMG (power mostly 50-150 Hz) with amplitude bursts, in uV."""
    rng = np.random.default_rng(seed)
    n = int(round(fs * seconds))
    t = np.arange(n) / fs
    shaping = signal.butter(2, [40.0, 160.0], btype="bandpass", fs=fs, output="sos")
    core = signal.sosfilt(shaping, rng.standard_normal(n))
    envelope = 40.0 + 160.0 * np.clip(np.sin(2 * np.pi * 1.4 * t), 0, None) ** 2
    x = envelope * core / np.std(core) + 3.0 * rng.standard_normal(n) + 20.0
    return f32(x)


def notch_sos(mains, fs, upper):
    rows, freqs = [], []
    k = 1
    while k * mains <= upper and k * mains < fs / 2:
        b, a = signal.iirnotch(k * mains, Q, fs=fs)
        rows.append(np.concatenate([b, a]))
        freqs.append(k * mains)
        k += 1
    return np.array(rows).reshape(-1, 6), freqs


def window_features(x, fs, n, hop, band):
    """The definitions of WindowAnalyzer / docs/FEATURES.md, in float64."""
    w = signal.get_window("hann", n)  # periodic Hann
    f = np.arange(n // 2 + 1) * fs / n
    mask = (f >= band[0]) & (f <= band[1])
    fk = f[mask]
    out = []
    for end in range(n, len(x) + 1, hop):
        seg = x[end - n:end]
        prev, cur = seg[:-1], seg[1:]
        crossings = (((prev < 0) & (cur > 0)) | ((prev > 0) & (cur < 0))) & (np.abs(cur - prev) >= ZC_THRESHOLD_UV)
        tke = np.mean(seg[1:-1] ** 2 - seg[:-2] * seg[2:])
        p = np.abs(np.fft.rfft(w * seg)) ** 2
        pk = p[mask]
        m0 = pk.sum()
        cumulative = np.cumsum(pk)
        mdf = fk[np.argmax(cumulative >= m0 / 2)]
        out.append({
            "end": end,
            "rms": num(math.sqrt(np.mean(seg ** 2))),
            "mav": num(np.mean(np.abs(seg))),
            "zero_crossings_per_s": num(crossings.sum() * fs / n),
            "tke": num(tke),
            "mnf_hz": num((fk * pk).sum() / m0),
            "mdf_hz": num(mdf),
            "finsm5": num((pk / fk).sum() / (pk * fk ** 5).sum()),
        })
    return out


def write(name, payload):
    path = OUT / name
    path.write_text(json.dumps(payload, separators=(",", ":")) + "\n")
    print(f"{path.relative_to(OUT.parent.parent.parent)}: {path.stat().st_size / 1024:.1f} KiB")


def filter_vectors():
    seconds = {500: 1.0, 1000: 1.0, 2000: 0.5, 4000: 0.5}
    for i, fs in enumerate([500, 1000, 2000, 4000]):
        lo, hi = effective_band(fs)
        x = synthetic_input(fs, seconds[fs], seed=100 + i)
        sos = signal.butter(ORDER, [lo, hi], btype="bandpass", fs=fs, output="sos")
        payload = header("synthetic: seeded white noise 60 uV + 50/123/150 Hz sines + 1.5 Hz drift + 30 uV DC")
        payload.update({
            "sample_rate_hz": fs, "order": ORDER, "band_hz": [lo, hi],
            "call": f"scipy.signal.butter({ORDER}, [{lo:g}, {hi:g}], btype='bandpass', fs={fs}, output='sos')",
            "sos": [f64list(r, 17) for r in sos],
            "input": f32list(x),
            "output": f64list(signal.sosfilt(sos, x)),
        })
        write(f"bandpass_{lo:g}_{hi:g}_fs{fs}.json", payload)

        mains = 50 if fs in (500, 2000) else 60
        notches, freqs = notch_sos(mains, fs, hi)
        chain = np.vstack([sos, notches])
        payload = header(f"synthetic (as bandpass_{lo:g}_{hi:g}_fs{fs}.json)")
        payload.update({
            "sample_rate_hz": fs, "order": ORDER, "band_hz": [lo, hi], "mains_hz": mains,
            "quality_factor": Q, "notch_hz": freqs,
            "call": "sosfilt(vstack([butter sos] + [iirnotch(k*f0, Q, fs) rows for k*f0 <= upper edge]))",
            "sos": [f64list(r, 17) for r in chain],
            "input": f32list(x),
            "output": f64list(signal.sosfilt(chain, x)),
        })
        write(f"conditioner_{mains}hz_q{Q:g}_fs{fs}.json", payload)

    fs = 200
    x = synthetic_input(fs, 2.0, seed=200)
    sos = signal.butter(ORDER, BAND[0], btype="highpass", fs=fs, output="sos")
    payload = header("synthetic, 200 Hz (Myo-style rate): the high-pass used when the rate is too low for the band")
    payload.update({
        "sample_rate_hz": fs, "order": ORDER, "cutoff_hz": BAND[0],
        "call": f"scipy.signal.butter({ORDER}, {BAND[0]:g}, btype='highpass', fs={fs}, output='sos')",
        "sos": [f64list(r, 17) for r in sos],
        "input": f32list(x),
        "output": f64list(signal.sosfilt(sos, x)),
    })
    write("highpass_20_fs200.json", payload)


def feature_vectors(name, source, raw, fs, mains=None):
    # WindowConfiguration.standard: 250 ms rounded to a multiple of 4 samples, hop = a quarter.
    hop = math.floor(fs / 16 + 0.5)
    n = 4 * hop
    lo, hi = effective_band(fs)
    sos = signal.butter(ORDER, [lo, hi], btype="bandpass", fs=fs, output="sos")
    if mains:
        sos = np.vstack([sos, notch_sos(mains, fs, hi)[0]])
    conditioned = f32(signal.sosfilt(sos, raw))
    payload = header(source)
    payload.update({
        "sample_rate_hz": fs, "window_length": n, "hop": hop, "band_hz": [lo, hi],
        "order": ORDER, "mains_hz": mains, "quality_factor": Q,
        "zero_crossing_threshold_uv": ZC_THRESHOLD_UV,
        "hann": "periodic (scipy.signal.get_window('hann', N))",
        "raw": f32list(raw),
        "conditioned": f32list(conditioned),
        "windows": window_features(conditioned, fs, n, hop, (lo, hi)),
    })
    write(f"features_{name}_fs{fs}_n{n}_h{hop}.json", payload)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plux", type=Path, default=PLUX_DEFAULT,
                        help="emg_fatigue.derived.csv from the PLUX biceps data set (t_s, adc, emg_mV)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    filter_vectors()
    feature_vectors("synthetic", "synthetic: seeded sEMG-like noise (40-160 Hz shaped) with 1.4 Hz bursts, 20 uV DC",
                    emg_like(2000, 1.0, seed=300), 2000)
    feature_vectors("synthetic", "synthetic: seeded sEMG-like noise (40-160 Hz shaped) with 1.4 Hz bursts, 20 uV DC",
                    emg_like(4000, 0.5, seed=301), 4000)
    data = np.loadtxt(args.plux, delimiter=",", skiprows=1)
    excerpt = f32(data[1000:4000, 2] * 1000.0)  # mV -> uV, t = 1.000 ... 3.999 s
    feature_vectors(
        "plux_fatigue", "PLUX Wireless Biosignals, opensignalstool sample 'emg_fatigue' (biceps brachii, "
        "cyclic flexion/extension, 1000 Hz, 16 bit), emg_mV column x 1000, samples 1000-3999 (t = 1-4 s); "
        "MIT License, Copyright (c) 2018 opensignalstool developers and PLUX Wireless Biosignals",
        excerpt, 1000)


if __name__ == "__main__":
    main()
