# SPDX-License-Identifier: MIT
"""What every peer of `make bench` shares: the configuration crampd runs with, the loading of
the input, the reference feature arithmetic and the one-line JSON report.

The configuration is crampd's (docs/FEATURES.md): Butterworth band-pass 20-450 Hz, prototype
order 4 (8 poles), then one Q = 30 notch per 50 Hz harmonic inside the pass band (9 notches),
all causal; window 500 / hop 125 at 2 kHz; periodic Hann periodogram without padding; spectral
moments over the bins 20 Hz <= f <= 450 Hz; zero crossings with a 1 uV step threshold.
"""
import json
import os
import sys
import time

import numpy as np

RATE = 2000
WINDOW = 500
HOP = 125
BAND = (20.0, 450.0)
BAND_ORDER = 4
MAINS = 50.0          # crampd's --mains for the benchmark; None for no notches
NOTCH_Q = 30.0
ZC_THRESHOLD_UV = 1.0

FEATURES = ("rms", "mav", "zc_per_s", "tke", "mnf", "mdf", "finsm5")


def notch_frequencies():
    """k * MAINS for every harmonic inside the pass band (crampd's `withinPassBand`)."""
    if MAINS is None:
        return []
    out, k = [], 1
    while k * MAINS <= BAND[1]:
        out.append(k * MAINS)
        k += 1
    return out


def window_count(samples):
    return (samples - WINDOW) // HOP + 1


def band_bins():
    """Indices k with 20 Hz <= k * RATE / WINDOW <= 450 Hz, and their frequencies."""
    f = np.arange(WINDOW // 2 + 1) * (RATE / WINDOW)
    k = np.nonzero((f >= BAND[0]) & (f <= BAND[1]))[0]
    return k, f[k]


def spectral_features(power, freqs):
    """MNF, MDF and FInsm5 from periodogram bins of the band, `power[..., len(freqs)]`."""
    m0 = power.sum(axis=-1)
    m1 = power @ freqs
    m_neg1 = power @ (1.0 / freqs)
    m5 = power @ freqs ** 5
    cumulative = np.cumsum(power, axis=-1)
    median_index = np.argmax(cumulative >= 0.5 * m0[..., None], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return m1 / m0, freqs[median_index], m_neg1 / m5


def load_input(path):
    """The EMG as float32, channels x samples (converted from the EDF+ by bench/run.py)."""
    return np.load(path)


class Clock:
    """Wall time per phase, and the CPU time of the last phase (the processing)."""

    def __init__(self):
        self.marks = {}
        self._t = time.perf_counter()
        self._cpu = time.process_time()

    def lap(self, name):
        now, cpu = time.perf_counter(), time.process_time()
        self.marks[name] = now - self._t
        self.marks[name.replace("_s", "_cpu_s")] = cpu - self._cpu
        self._t, self._cpu = now, cpu


def report(peer, clock, computed, notes, features, out_path):
    """Saves the features (not timed) and prints one JSON line for bench/run.py."""
    t = time.perf_counter()
    np.savez(out_path, **{k: np.asarray(v, dtype=np.float64) for k, v in features.items()})
    clock.marks["save_s"] = time.perf_counter() - t
    line = {"peer": peer, "computed": computed, "notes": notes, **clock.marks}
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def main_args():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {os.path.basename(sys.argv[0])} INPUT.npy FEATURES_OUT.npz")
    return sys.argv[1], sys.argv[2]
