# SPDX-License-Identifier: MIT
"""NumPy/SciPy batch peer: crampd's exact definitions, vectorised, one channel at a time.

Causal `sosfilt` (band-pass + notches in one SOS cascade, as crampd), time-domain window sums
from cumulative sums of per-sample terms (O(samples), not O(samples x overlap)), spectral
features from `np.fft.rfft` of Hann-tapered windows taken as a strided view, in chunks of
windows so that the temporaries stay small.

    peer_numpy.py INPUT.npy FEATURES_OUT.npz     (prints one JSON line)
"""
import numpy as np
import scipy.signal as signal
from numpy.lib.stride_tricks import sliding_window_view

import common as c

CHUNK = 2048  # windows per FFT batch


def design():
    sos = [signal.butter(c.BAND_ORDER, c.BAND, btype="bandpass", fs=c.RATE, output="sos")]
    for f0 in c.notch_frequencies():
        b, a = signal.iirnotch(f0, c.NOTCH_Q, fs=c.RATE)
        sos.append(signal.tf2sos(b, a))
    return np.vstack(sos)


def window_sums(per_sample, first, last, starts):
    """sum(per_sample[s + first : s + last]) for every window start s."""
    cs = np.concatenate(([0.0], np.cumsum(per_sample)))
    return cs[starts + last] - cs[starts + first]


def channel_features(x, sos, hann, bins, freqs):
    y = signal.sosfilt(sos, x.astype(np.float64))
    n = c.WINDOW
    starts = np.arange(c.window_count(y.size)) * c.HOP

    rms = np.sqrt(window_sums(y * y, 0, n, starts) / n)
    mav = window_sums(np.abs(y), 0, n, starts) / n
    # Crossing between y[i-1] and y[i], stored at index i; a window holds i = s+1 .. s+n-1.
    step = np.empty_like(y)
    step[0] = 0.0
    crossing = (y[:-1] * y[1:] < 0) & (np.abs(np.diff(y)) >= c.ZC_THRESHOLD_UV)
    step[1:] = crossing
    zc = window_sums(step, 1, n, starts) / (n / c.RATE)
    # Teager-Kaiser term at i (needs i-1 and i+1); a window holds i = s+1 .. s+n-2.
    psi = np.zeros_like(y)
    psi[1:-1] = y[1:-1] ** 2 - y[:-2] * y[2:]
    tke = window_sums(psi, 1, n - 1, starts) / (n - 2)

    windows = sliding_window_view(y, n)[:: c.HOP]
    mnf = np.empty(starts.size)
    mdf = np.empty(starts.size)
    fi = np.empty(starts.size)
    for lo in range(0, starts.size, CHUNK):
        spectrum = np.fft.rfft(windows[lo : lo + CHUNK] * hann, axis=-1)[:, bins]
        power = spectrum.real ** 2 + spectrum.imag ** 2
        mnf[lo : lo + CHUNK], mdf[lo : lo + CHUNK], fi[lo : lo + CHUNK] = c.spectral_features(power, freqs)
    return rms, mav, zc, tke, mnf, mdf, fi


def main():
    src, out = c.main_args()
    clock = c.Clock()
    x = c.load_input(src)
    clock.lap("load_s")

    sos = design()
    hann = signal.get_window("hann", c.WINDOW)
    bins, freqs = c.band_bins()
    per_channel = [channel_features(x[ch], sos, hann, bins, freqs) for ch in range(x.shape[0])]
    features = {name: np.stack([f[i] for f in per_channel]) for i, name in enumerate(c.FEATURES)}
    clock.lap("process_s")

    c.report(
        "numpy-scipy", clock, list(c.FEATURES),
        f"causal sosfilt, {sos.shape[0]} sections (4 band-pass + {sos.shape[0] - 4} notch), float64",
        features, out)


if __name__ == "__main__":
    main()
