# SPDX-License-Identifier: MIT
"""`crampd import`: FIT and TCX activities become EDF+ that other tools open.

EDF+D (the default: seconds without data are absent) opens in edfio; EDFlib, hence pyedflib,
refuses discontinuous files, so `--continuous` writes EDF+C (the seconds filled inside their
annotations), which pyedflib opens. The FIT files are written by `fitwriter.py` (own code:
compressed timestamps, a big-endian record definition, a developer field, a timer pause).
"""
import csv
import datetime
from pathlib import Path

import edfio
import numpy as np
import pyedflib
import pytest

from fitwriter import run_with_pause

SHARED = Path(__file__).resolve().parents[2].parent / "shared/data/running/fitparse"

EXPECTED_HR = [120 + k for k in range(20)]


@pytest.fixture
def run_fit(tmp_path):
    path = tmp_path / "run.fit"
    path.write_bytes(run_with_pause())
    return path


def test_imported_edf_plus_d_opens_in_edfio(crampd, tmp_path, run_fit):
    out = tmp_path / "run.edf"
    p = crampd.run("import", run_fit, "-o", out)
    assert "FIT → EDF+D" in p.stderr and "1 pause" in p.stderr
    edf = edfio.read_edf(out)
    assert [s.label for s in edf.signals] == ["HR", "Cadence", "Speed", "Distance"]
    assert [s.physical_dimension for s in edf.signals] == ["bpm", "spm", "m/s", "m"]
    assert all(s.sampling_frequency == 1 for s in edf.signals)
    assert (edf.startdate, edf.starttime) == (datetime.date(2024, 5, 1), datetime.time(7, 30, 0))
    assert edf.num_data_records == 20  # the 30 s pause holds no records
    hr = edf.signals[0].data
    assert np.allclose(hr, EXPECTED_HR, atol=0.005)
    assert np.allclose(edf.signals[1].data, 171, atol=0.01)  # 2 × (85 + 64/128) steps/min
    assert np.allclose(edf.signals[2].data, [3.0 + 0.01 * k for k in range(20)], atol=0.0006)
    pauses = [a for a in edf.annotations if a.text == "pause"]
    assert [(a.onset, a.duration) for a in pauses] == [(10.0, 30.0)]
    # crampd's own reader sees the record onsets of the EDF+D file.
    info = crampd.info(out)
    assert info[0]["format"] == "EDF+D"


def test_pyedflib_refuses_edf_plus_d_hence_continuous(crampd, tmp_path, run_fit):
    out = tmp_path / "run.edf"
    crampd.run("import", run_fit, "-o", out)
    with pytest.raises(OSError, match="discontinuous"):
        pyedflib.EdfReader(str(out))


def test_continuous_import_opens_in_pyedflib(crampd, tmp_path, run_fit):
    out = tmp_path / "run-c.edf"
    p = crampd.run("import", run_fit, "-o", out, "--continuous")
    assert "EDF+C" in p.stderr and "30 s filled" in p.stderr
    with pyedflib.EdfReader(str(out)) as f:
        assert f.getSignalLabels() == ["HR", "Cadence", "Speed", "Distance"]
        assert list(f.getSampleFrequencies()) == [1, 1, 1, 1]
        assert f.getStartdatetime() == datetime.datetime(2024, 5, 1, 7, 30, 0)
        assert f.getFileDuration() == 50
        hr = f.readSignal(0)
        assert np.allclose(hr[:10], EXPECTED_HR[:10], atol=0.005)
        assert np.all(hr[10:40] == 0)  # the pause, filled
        assert np.allclose(hr[40:], EXPECTED_HR[10:], atol=0.005)
        onsets, durations, texts = f.readAnnotations()
        notes = dict(zip(texts, zip(onsets, durations)))
        assert notes["pause"] == (10.0, 30.0)
        assert notes["segment running"][0] == 0.0
        assert notes["lap 1"] == (0.0, 49.0)


def test_tcx_import_opens_in_pyedflib(crampd, tmp_path):
    points = "".join(
        f"<Trackpoint><Time>2024-05-01T07:30:{k:02d}Z</Time><DistanceMeters>{3 * k}</DistanceMeters>"
        f"<HeartRateBpm><Value>{130 + k}</Value></HeartRateBpm>"
        f"<Extensions><ns3:TPX><ns3:Speed>3.0</ns3:Speed><ns3:RunCadence>{84 + k % 3}</ns3:RunCadence></ns3:TPX></Extensions>"
        "</Trackpoint>"
        for k in range(30))
    tcx = tmp_path / "run.tcx"
    tcx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"><Activities><Activity Sport="Running">'
        '<Id>2024-05-01T07:30:00Z</Id><Lap StartTime="2024-05-01T07:30:00Z"><TotalTimeSeconds>30</TotalTimeSeconds>'
        f"<Track>{points}</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n")
    out = tmp_path / "tcx.edf"
    crampd.run("import", tcx, "-o", out, "--continuous")
    with pyedflib.EdfReader(str(out)) as f:
        assert f.getSignalLabels() == ["HR", "Cadence", "Speed", "Distance"]
        assert np.allclose(f.readSignal(0), [130 + k for k in range(30)], atol=0.005)
        assert np.allclose(f.readSignal(1), [2 * (84 + k % 3) for k in range(30)], atol=0.01)


def test_corrupt_or_foreign_files_are_clear_errors(crampd, tmp_path):
    good = bytearray(run_with_pause())
    cases = {}
    bad = bytearray(good); bad[40] ^= 0x01; cases["flipped.fit"] = (bad, f"byte {len(good) - 2}: file CRC does not match")
    cases["truncated.fit"] = (good[:-50], f"byte {len(good) - 50}: the file ends before the data and CRC")
    bad = bytearray(good); bad[8:12] = b"XFIT"; cases["header.fit"] = (bad, "byte 8: not a FIT file")
    cases["empty.fit"] = (b"", "the file is empty")
    cases["gpx.tcx"] = (b"<?xml version='1.0'?><gpx/>", "line 1: the file is XML but not a TCX document")
    cases["notes.txt"] = (b"hello", "not a FIT or TCX activity")
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(bytes(data))
        p = crampd.run("import", path, "-o", tmp_path / "out.edf", check=False)
        assert p.returncode == 1, name
        assert p.stdout == ""
        line = p.stderr.strip()
        assert line.startswith(f"crampd: {path}: "), line
        assert message in line, line
        assert "\n" not in line, line


@pytest.mark.skipif(not (SHARED / "developer-types-sample.fit").exists(),
                    reason="../shared/data/running/fitparse is absent: the real FIT runs are not checked")
def test_real_run_in_edfio_matches_fitparse(crampd, tmp_path):
    """The 57-minute Stryd run: every second of the EDF+D in edfio equals python-fitparse's
    derived CSV (HR, cadence in steps/min, speed)."""
    out = tmp_path / "stryd.edf"
    crampd.run("import", SHARED / "developer-types-sample.fit", "-o", out)
    edf = edfio.read_edf(out)
    rows = list(csv.DictReader(open(SHARED / "developer-types-sample.derived.csv")))
    assert edf.num_data_records == len(rows) == 3424
    assert np.allclose(edf.signals[0].data, [float(r["heart_rate_bpm"]) for r in rows], atol=0.005)
    assert np.allclose(edf.signals[1].data, [float(r["cadence_spm"]) for r in rows], atol=0.01)
    assert np.allclose(edf.signals[2].data, [float(r["enhanced_speed"]) for r in rows], atol=0.0006)
