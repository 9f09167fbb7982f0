# SPDX-License-Identifier: MIT
"""LibEMG peer: its Filter (band-pass 20-450 Hz order 4 and 50 Hz notches, as crampd), its
get_windows, and FeatureExtractor for the features it has: RMS, MAV, ZC, MNF, MDF.

LibEMG filters zero-phase (scipy filtfilt of each installed filter in (b, a) form), so its
conditioned signal is not crampd's causal one; its MNF/MDF transform the untapered window
zero-padded to 512 and sum from DC to Nyquist; its ZC has no threshold and is a count. It has
no Teager-Kaiser energy and no FInsm5.

    peer_libemg.py INPUT.npy FEATURES_OUT.npz     (prints one JSON line)
"""
import contextlib
import io

import numpy as np

import common as c

with contextlib.redirect_stdout(io.StringIO()):  # LibEMG prints about optional device modules
    from libemg.feature_extractor import FeatureExtractor
    from libemg.filtering import Filter
    from libemg.utils import get_windows

LIBEMG_FEATURES = ["RMS", "MAV", "ZC", "MNF", "MDF"]


def main():
    src, out = c.main_args()
    clock = c.Clock()
    x = c.load_input(src)
    clock.lap("load_s")

    fi = Filter(c.RATE)
    fi.install_filters({"name": "bandpass", "cutoff": list(c.BAND), "order": c.BAND_ORDER})
    for f0 in c.notch_frequencies():
        # LibEMG's notch is iirnotch with Q = cutoff / bandwidth: bandwidth f0 / 30 gives Q = 30.
        fi.install_filters({"name": "notch", "cutoff": f0, "bandwidth": f0 / c.NOTCH_Q})
    filtered = fi.filter(x.T)                       # samples x channels
    windows = get_windows(filtered, c.WINDOW, c.HOP)  # windows x channels x samples
    fe = FeatureExtractor()
    f = fe.extract_features(
        LIBEMG_FEATURES, windows, feature_dic={"MNF_fs": float(c.RATE), "MDF_fs": float(c.RATE)})
    clock.lap("process_s")

    features = {
        "rms": f["RMS"].T, "mav": f["MAV"].T, "zc_per_s": f["ZC"].T / (c.WINDOW / c.RATE),
        "mnf": f["MNF"].T, "mdf": f["MDF"].T,
    }
    c.report(
        "libemg", clock, ["rms", "mav", "zc_per_s", "mnf", "mdf"],
        f"zero-phase filtfilt (b, a), {len(c.notch_frequencies())} notches; MNF/MDF untapered, "
        "zero-padded to 512, DC..Nyquist; ZC without threshold; no TKE, no FInsm5",
        features, out)


if __name__ == "__main__":
    main()
