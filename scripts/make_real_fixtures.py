#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Convert small excerpts of real third-party EMG into EDF+ (and one CSV) fixtures under Recordings/.

Run once by a maintainer (the outputs are committed; a user's clone has no ../shared):

    .venv/bin/python scripts/make_real_fixtures.py ../shared/data

Two independent writers are used on purpose, so that crampd's reader is tested against files
it did not write: pyedflib (EDFlib) for the walking and fatigue excerpts, edfio for the
PhysioNet and lower-limb excerpts. Provenance and licences: Recordings/README.md.
"""
import csv
import datetime
import warnings
import sys
from pathlib import Path

import numpy as np
import pyedflib
import edfio

START = datetime.datetime(2026, 1, 1, 0, 0, 0)


def read_columns(path, skip_comments=False):
    with open(path, newline="") as f:
        rows = list(csv.reader(line for line in f if not (skip_comments and line.startswith("#"))))
    header, body = rows[0], rows[1:]
    cols = {h: np.array([float(r[i]) for r in body]) for i, h in enumerate(header)}
    return cols


def write_pyedflib(path, signals, rate, annotations, record_duration, equipment):
    """signals: list of (label, data in uV, transducer)."""
    w = pyedflib.EdfWriter(str(path), len(signals), file_type=pyedflib.FILETYPE_EDFPLUS)
    try:
        w.setStartdatetime(START)
        w.setEquipment(equipment)
        w.setDatarecordDuration(record_duration)
        headers = []
        for label, data, transducer in signals:
            lim = float(np.ceil(np.max(np.abs(data)) * 1.05 + 1))
            headers.append({
                "label": label, "dimension": "uV", "sample_frequency": rate,
                "physical_max": lim, "physical_min": -lim,
                "digital_max": 32767, "digital_min": -32768,
                "transducer": transducer, "prefilter": "",
            })
        w.setSignalHeaders(headers)
        w.writeSamples([s[1] for s in signals])
        for onset, duration, text in annotations:
            w.writeAnnotation(onset, duration, text)
    finally:
        w.close()


def santuz(data: Path, out: Path):
    d = data / "emg/santuz-walking"
    emg = read_columns(d / "ID0012_TW_01_emg.derived.csv")
    cycles = read_columns(d / "ID0012_TW_01_cycles.derived.csv")
    t0 = emg["time"][0]
    n = (len(emg["time"]) // 100) * 100  # whole 0.1 s records
    names = [("GM", "EMG gastroc R"), ("GL", "EMG GL R"), ("SO", "EMG soleus R"),
             ("TA", "EMG tibialis R"), ("BF", "EMG hamstring R"), ("VL", "EMG quad R")]
    signals = [(label, emg[col][:n], "surface EMG") for col, label in names]
    ann = []
    for td, lo in zip(cycles["touchdown_s"], cycles["liftoff_s"]):
        ann.append((round(td - t0, 3), -1, "touchdown R"))
        ann.append((round(lo - t0, 3), -1, "lift-off R"))
    write_pyedflib(out / "real-santuz-walking.edf", signals, 1000, ann, 0.1, "santuz-walking_ID0012_TW_01")


def plux_fatigue(data: Path, out: Path):
    cols = read_columns(data / "emg/plux-biceps/emg_fatigue.derived.csv")
    uv = cols["emg_mV"] * 1000.0
    write_pyedflib(out / "real-plux-biceps-fatigue.edf", [("EMG biceps R", uv, "PLUX EMG sensor")],
                   1000, [], 1, "PLUX_biosignalsplux")


def physionet_healthy(data: Path, out: Path):
    d = data / "emg/physionet-emgdb"
    raw = np.fromfile(d / "emg_healthy.dat", dtype="<i2")
    uv = raw.astype(np.float64) / 10000.0 * 1000.0  # 10000 adu/mV -> uV
    n = (len(uv) // 4000) * 4000
    sig = edfio.EdfSignal(uv[:n], sampling_frequency=4000, label="EMG tibialis R",
                          transducer_type="concentric needle", physical_dimension="uV",
                          physical_range=(-1500.0, 1500.0))
    edf = edfio.Edf([sig], starttime=START.time(), recording=edfio.Recording(startdate=START.date(), equipment_code="PhysioNet-emgdb"),
                    annotations=[edfio.EdfAnnotation(0.0, None, "healthy tibialis anterior, needle EMG")])
    edf.write(out / "real-physionet-healthy-ta.edf")


def elderly_lg(data: Path, out: Path):
    cols = read_columns(data / "emg/elderly-lowerlimb/ID1_EMG_LG.derived.csv")
    n = (len(cols["t_s"]) // 2000) * 2000
    names = [("VL", "EMG quad R"), ("BF", "EMG hamstring R"), ("TA", "EMG tibialis R"), ("LG", "EMG gastroc R")]
    sigs = []
    for col, label in names:
        x = cols[col][:n]
        lim = float(np.ceil(np.max(np.abs(x)) * 1.05 + 1))
        sigs.append(edfio.EdfSignal(x, sampling_frequency=2000, label=label, transducer_type="SAS1000 V8 bipolar",
                                    physical_dimension="uV", physical_range=(-lim, lim), prefiltering="HP:20Hz LP:500Hz"))
    edf = edfio.Edf(sigs, starttime=START.time(), recording=edfio.Recording(startdate=START.date(), equipment_code="SAS1000V8"),
                    annotations=[edfio.EdfAnnotation(0.0, 10.0, "isometric hold lateral gastrocnemius")])
    edf.write(out / "real-elderly-lg-hold.edf")


def myo_forearm(data: Path, out: Path):
    """The first 20 s of a Myo armband recording (8 channels, raw int8, nominally 200 Hz, no
    timestamps in the source) as a crampd CSV session; the source's label column (0 rest, 6 fist)
    becomes `fist` / `rest` annotations where it changes."""
    rate = 200
    rows = [line.strip().split(",") for line in open(data / "emg/myo-forearm/12345-1_fist_6.txt") if line.strip()]
    rows = rows[: 20 * rate]
    header = ["time_s"] + [f"EMG forearm{k} R [adu]" for k in range(1, 9)] + ["annotation"]
    previous = None
    with open(out / "real-myo-forearm-fist.csv", "w", newline="") as f:
        f.write("# Source: aljazfrancic/myo-readings-dataset, _readings_right_hand/12345-1/6.txt (MIT licence)\n")
        f.write("# Myo armband, 8 channels of raw int8 EMG (units: ADC counts), nominally 200 Hz; first 20 s\n")
        f.write(",".join(header) + "\n")
        for i, r in enumerate(rows):
            label = r[8]
            note = "" if label == previous else ("fist" if label == "6" else "rest")
            previous = label
            f.write(",".join([f"{i / rate:.3f}"] + r[:8] + [note]) + "\n")


def main():
    # Forcing a 0.1 s record is deliberate (the walking excerpt is 7.6 s); the rates stay exact.
    warnings.filterwarnings("ignore", message="Forcing a specific record_duration")
    data = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    out = Path(__file__).resolve().parent.parent / "Recordings"
    santuz(data, out)
    plux_fatigue(data, out)
    physionet_healthy(data, out)
    elderly_lg(data, out)
    myo_forearm(data, out)


if __name__ == "__main__":
    main()
