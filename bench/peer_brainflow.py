# SPDX-License-Identifier: MIT
"""BrainFlow peer: DataFilter for the conditioning and the per-window spectrum.

Per channel (BrainFlow filters one float64 channel in place, causally): perform_bandpass
20-450 Hz, Butterworth order 4 (8 poles, equal to SciPy's sosfilt within 1e-11), then one
perform_bandstop per 50 Hz harmonic in the pass band, Butterworth order 1 (a single biquad)
from f0 - f0/60 to f0 + f0/60: the -3 dB width of crampd's Q = 30 notch. Per window and
channel: get_psd with its (periodic) Hann window, no padding. BrainFlow has no MNF, MDF,
FInsm5, RMS, MAV, ZC or Teager-Kaiser function: the moments of its PSD and the time-domain
features are NumPy, vectorised per channel. get_band_power is not used: it integrates the PSD
with the trapezoid rule, which is not the bin sum of crampd's definitions.

    peer_brainflow.py INPUT.npy FEATURES_OUT.npz     (prints one JSON line)
"""
import numpy as np
from brainflow.data_filter import DataFilter, FilterTypes, WindowOperations
from numpy.lib.stride_tricks import sliding_window_view

import common as c


def main():
    src, out = c.main_args()
    clock = c.Clock()
    x = c.load_input(src)
    clock.lap("load_s")

    butterworth = FilterTypes.BUTTERWORTH.value
    hann = WindowOperations.HANNING.value
    bins, freqs = c.band_bins()
    n = c.WINDOW
    count = c.window_count(x.shape[1])
    features = {name: np.empty((x.shape[0], count)) for name in c.FEATURES}
    for ch in range(x.shape[0]):
        y = x[ch].astype(np.float64)
        DataFilter.perform_bandpass(y, c.RATE, c.BAND[0], c.BAND[1], c.BAND_ORDER, butterworth, 0.0)
        for f0 in c.notch_frequencies():
            half = f0 / (2 * c.NOTCH_Q)
            DataFilter.perform_bandstop(y, c.RATE, f0 - half, f0 + half, 1, butterworth, 0.0)

        power = np.empty((count, bins.size))
        for w in range(count):
            s = w * c.HOP
            amplitudes, _ = DataFilter.get_psd(y[s : s + n], c.RATE, hann)
            power[w] = amplitudes[bins]
        mnf, mdf, fi = c.spectral_features(power, freqs)

        windows = sliding_window_view(y, n)[:: c.HOP]
        crossing = (windows[:, :-1] * windows[:, 1:] < 0) & (
            np.abs(np.diff(windows, axis=1)) >= c.ZC_THRESHOLD_UV)
        features["rms"][ch] = np.sqrt(np.einsum("ij,ij->i", windows, windows) / n)
        features["mav"][ch] = np.abs(windows).mean(axis=1)
        features["zc_per_s"][ch] = crossing.sum(axis=1) / (n / c.RATE)
        features["tke"][ch] = (
            np.einsum("ij,ij->i", windows[:, 1:-1], windows[:, 1:-1])
            - np.einsum("ij,ij->i", windows[:, :-2], windows[:, 2:])) / (n - 2)
        features["mnf"][ch], features["mdf"][ch], features["finsm5"][ch] = mnf, mdf, fi
    clock.lap("process_s")

    c.report(
        "brainflow", clock, list(c.FEATURES),
        "BrainFlow: perform_bandpass, perform_bandstop x"
        f"{len(c.notch_frequencies())}, get_psd (Hann) per window; NumPy: PSD moments "
        "(MNF, MDF, FInsm5) and RMS, MAV, ZC, TKE",
        features, out)


if __name__ == "__main__":
    main()
