# SPDX-License-Identifier: MIT
"""crampd's EDF+ files against real clients (pyedflib, edfio), in both directions.

Samples must agree within one digital step of the signal; annotations exactly (onset to the
microsecond, duration, text).
"""
import csv
import datetime
from pathlib import Path

import edfio
import numpy as np
import pyedflib
import pytest

START = datetime.datetime(2026, 1, 1, 8, 30, 0)


def digital_step(phys_min, phys_max, dig_min=-32768, dig_max=32767):
    return (phys_max - phys_min) / (dig_max - dig_min)


def read_crampd_csv(path: Path):
    """Columns of a crampd CSV as {label: (times, values)} plus the annotation rows."""
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(line for line in f if not line.startswith("#"))]
    header = rows[0]
    assert header[0] == "time_s"
    labels = [h.split(" [")[0] for h in header[1:]]
    has_ann = labels and labels[-1] == "annotation"
    if has_ann:
        labels = labels[:-1]
    cols = {label: ([], []) for label in labels}
    ann = []
    for r in rows[1:]:
        t = float(r[0])
        for label, cell in zip(labels, r[1:1 + len(labels)]):
            if cell != "":
                cols[label][0].append(t)
                cols[label][1].append(float(cell))
        if has_ann and len(r) > len(labels) + 1 and r[-1] != "":
            ann.append((t, r[-1]))
    return {k: (np.array(t), np.array(v)) for k, (t, v) in cols.items()}, ann


def write_known_csv(path: Path):
    """A multi-rate session with known values: EMG at 2 kHz, HR and cadence at 4 Hz."""
    rng = np.random.default_rng(7)
    seconds = 6
    emg_t = np.arange(seconds * 2000) / 2000
    emg = 300 * np.sin(2 * np.pi * 90 * emg_t) + rng.normal(0, 40, emg_t.size)
    slow_t = np.arange(seconds * 4) / 4
    hr = 140 + 5 * np.sin(slow_t / 3)
    cad = 172 + rng.normal(0, 1.5, slow_t.size)
    annotations = {1.5: "tightness gastroc L", 4.0: "cramp onset gastroc L"}
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        f.write("# known test session\n")
        w.writerow(["time_s", "EMG gastroc L [uV]", "HR [bpm]", "Cadence [spm]", "annotation"])
        slow = dict(zip(np.round(slow_t, 6), zip(hr, cad)))
        for t, x in zip(emg_t, emg):
            key = round(t, 6)
            h, c = slow.get(key, ("", ""))
            w.writerow([f"{t:.6f}", f"{x:.4f}", f"{h:.4f}" if h != "" else "", f"{c:.4f}" if c != "" else "",
                        annotations.get(key, "")])
    return {"EMG gastroc L": emg, "HR": hr, "Cadence": cad}, annotations


def pyedflib_signals(path: Path):
    r = pyedflib.EdfReader(str(path))
    try:
        out = {}
        for i, label in enumerate(r.getSignalLabels()):
            h = r.getSignalHeader(i)
            out[label] = (r.readSignal(i), h, r.getSampleFrequency(i))
        onsets, durations, texts = r.readAnnotations()
        return out, list(zip(onsets, durations, texts))
    finally:
        r.close()


def test_crampd_written_edf_opens_in_pyedflib_and_edfio(crampd, tmp_path):
    known, annotations = write_known_csv(tmp_path / "known.csv")
    edf = tmp_path / "known.edf"
    crampd.run("convert", tmp_path / "known.csv", edf)

    signals, anns = pyedflib_signals(edf)
    assert set(signals) == {"EMG gastroc L", "HR", "Cadence"}
    assert signals["EMG gastroc L"][2] == 2000 and signals["HR"][2] == 4 and signals["Cadence"][2] == 4
    for label, values in known.items():
        got, h, _ = signals[label]
        step = digital_step(h["physical_min"], h["physical_max"], h["digital_min"], h["digital_max"])
        assert got.size == values.size, label
        assert np.max(np.abs(got - values)) <= step + 1e-4, (label, np.max(np.abs(got - values)), step)
    texts = {(round(o, 6), t) for o, _, t in anns}
    assert texts == {(k, v) for k, v in annotations.items()}

    e = edfio.read_edf(edf)
    by_label = {s.label: s for s in e.signals}
    for label, values in known.items():
        s = by_label[label]
        lo, hi = s.physical_range
        assert np.max(np.abs(s.data - values)) <= digital_step(lo, hi) + 1e-4
    assert {(round(a.onset, 6), a.text) for a in e.annotations} == {(k, v) for k, v in annotations.items()}


def _known_multirate():
    rng = np.random.default_rng(11)
    emg = rng.normal(0, 120, 4 * 2000)
    hr = 120 + np.arange(16) * 0.5
    return emg, hr


def test_crampd_reads_pyedflib_edf_and_bdf(crampd, tmp_path):
    emg, hr = _known_multirate()
    for filetype, suffix, dmin, dmax in [(pyedflib.FILETYPE_EDFPLUS, "edf", -32768, 32767),
                                         (pyedflib.FILETYPE_BDFPLUS, "bdf", -8388608, 8388607)]:
        path = tmp_path / f"pyedflib.{suffix}"
        w = pyedflib.EdfWriter(str(path), 2, file_type=filetype)
        w.setStartdatetime(START)
        w.setSignalHeaders([
            {"label": "EMG soleus R", "dimension": "uV", "sample_frequency": 2000, "physical_max": 1000,
             "physical_min": -1000, "digital_max": dmax, "digital_min": dmin, "transducer": "", "prefilter": ""},
            {"label": "HR", "dimension": "bpm", "sample_frequency": 4, "physical_max": 250,
             "physical_min": 0, "digital_max": dmax, "digital_min": dmin, "transducer": "", "prefilter": ""},
        ])
        w.writeSamples([emg, hr])
        w.writeAnnotation(1.25, 2.5, "cramp onset soleus R")
        w.writeAnnotation(3.0, -1, "Läufer: Krampf ✓")
        w.close()

        out = tmp_path / f"pyedflib-{suffix}.csv"
        crampd.run("convert", path, out)
        cols, _ = read_crampd_csv(out)
        t, v = cols["EMG soleus R"]
        assert v.size == emg.size
        assert np.allclose(t, np.arange(emg.size) / 2000, atol=1e-6)
        assert np.max(np.abs(v - emg)) <= digital_step(-1000, 1000, dmin, dmax) + 1e-4
        t, v = cols["HR"]
        assert np.max(np.abs(v - hr)) <= digital_step(0, 250, dmin, dmax) + 1e-4

        info = crampd.info(path)
        head = next(o for o in info if o["class"] == "INFO")
        assert head["format"].startswith("BDF+" if suffix == "bdf" else "EDF+")
        anns = [(o["onset_s"], o.get("duration_s"), o["text"]) for o in info if o["class"] == "ANNOTATION"]
        assert (1.25, 2.5, "cramp onset soleus R") in anns
        assert any(text == "Läufer: Krampf ✓" and onset == 3.0 for onset, _, text in anns)


def test_crampd_reads_edfio_edf(crampd, tmp_path):
    emg, hr = _known_multirate()
    e = edfio.Edf(
        [edfio.EdfSignal(emg, 2000, label="EMG hamstring L", physical_dimension="uV", physical_range=(-800, 800)),
         edfio.EdfSignal(hr, 4, label="HR", physical_dimension="bpm", physical_range=(0, 250))],
        starttime=START.time(), recording=edfio.Recording(startdate=START.date()),
        annotations=[edfio.EdfAnnotation(0.5, None, "tightness hamstring L"),
                     edfio.EdfAnnotation(2.0, 1.5, "cramp onset hamstring L")])
    path = tmp_path / "edfio.edf"
    e.write(path)
    out = tmp_path / "edfio.csv"
    crampd.run("convert", path, out)
    cols, _ = read_crampd_csv(out)
    v = cols["EMG hamstring L"][1]
    assert np.max(np.abs(v - np.clip(emg, -800, 800))) <= digital_step(-800, 800) + 1e-4
    info = crampd.info(path)
    anns = [(o["onset_s"], o.get("duration_s"), o["text"]) for o in info if o["class"] == "ANNOTATION"]
    assert (0.5, None, "tightness hamstring L") in anns
    assert (2.0, 1.5, "cramp onset hamstring L") in anns


def test_crampd_and_pyedflib_read_the_same_samples(crampd, recordings, tmp_path):
    """Every bundled recording: crampd's decoded samples equal pyedflib's (same file)."""
    for edf in sorted(recordings.glob("*.edf")):
        signals, _ = pyedflib_signals(edf)
        out = tmp_path / (edf.stem + ".csv")
        crampd.run("convert", edf, out)
        cols, _ = read_crampd_csv(out)
        for label, (values, h, _) in signals.items():
            step = digital_step(h["physical_min"], h["physical_max"], h["digital_min"], h["digital_max"])
            got = cols[label][1]
            assert got.size == values.size, (edf.name, label)
            # Both decode the same digital value; the CSV prints enough decimals for a 16-bit step.
            assert np.max(np.abs(got - values)) <= step / 2 + 1e-6, (edf.name, label)
