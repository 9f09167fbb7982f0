# SPDX-License-Identifier: MIT
"""Converts the EMG channels of an EDF+ file to a float32 .npy (channels x samples) with
pyedflib, an EDF reader independent of crampd. Not timed by the benchmark.

    edf_to_npy.py IN.edf OUT.npy      (prints the channel labels, rate and sample count)
"""
import json
import sys

import numpy as np
import pyedflib


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with pyedflib.EdfReader(src) as edf:
        labels = edf.getSignalLabels()
        emg = [i for i, label in enumerate(labels) if label.startswith("EMG")]
        rates = {edf.getSampleFrequency(i) for i in emg}
        units = {edf.getPhysicalDimension(i) for i in emg}
        if len(rates) != 1 or units != {"uV"}:
            sys.exit(f"{src}: expected EMG channels at one rate in uV, got rates {rates}, units {units}")
        n = edf.getNSamples()[emg[0]]
        data = np.empty((len(emg), n), dtype=np.float32)
        for row, i in enumerate(emg):
            data[row] = edf.readSignal(i)
    np.save(dst, data)
    print(json.dumps({"labels": [labels[i] for i in emg], "rate": rates.pop(), "samples": int(n)}))


if __name__ == "__main__":
    main()
