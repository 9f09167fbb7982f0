# SPDX-License-Identifier: MIT
"""Writes the first SECONDS of an EDF+ file (every signal, same headers, no annotations) with
pyedflib: the short inputs of the instruction count, which the simulator's scenarios are too
long to produce (they need minutes to hold their events).

    cut_edf.py IN.edf SECONDS OUT.edf
"""
import sys

import pyedflib


def main():
    src, seconds, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with pyedflib.EdfReader(src) as edf:
        headers = edf.getSignalHeaders()
        header = edf.getHeader()
        rates = [edf.getSampleFrequency(i) for i in range(edf.signals_in_file)]
        data = [edf.readSignal(i, 0, int(seconds * r)) for i, r in enumerate(rates)]
    with pyedflib.EdfWriter(dst, len(headers), file_type=pyedflib.FILETYPE_EDFPLUS) as out:
        out.setHeader(header)
        out.setSignalHeaders(headers)
        out.writeSamples(data)


if __name__ == "__main__":
    main()
