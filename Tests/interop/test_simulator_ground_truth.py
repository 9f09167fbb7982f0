# SPDX-License-Identifier: MIT
"""Simulated sessions open in pyedflib and edfio, with their ground truth visible."""
import pyedflib
import edfio


def test_ground_truth_is_visible_in_pyedflib_and_edfio(crampd, tmp_path):
    out = tmp_path / "calf.edf"
    listing = crampd.run("simulate", "--list").stdout
    family = next(line.split()[0] for line in listing.splitlines()
                  if line.strip() and "calf" in line and "cramp" in line.lower() and not line.startswith(" "))
    crampd.run("simulate", "--scenario", family, "--seed", 5, "--duration", "6m", "--rate", 1000,
               "--sites", "gastroc,soleus", "--out", out)
    r = pyedflib.EdfReader(str(out))
    try:
        labels = r.getSignalLabels()
        texts = list(r.readAnnotations()[2])
        assert "HR" in labels and "Cadence" in labels
        assert any(label.startswith("EMG gastroc") for label in labels)
        assert r.getSampleFrequency(labels.index("HR")) == 4
        assert any(t.startswith("cramp onset ") for t in texts)
        assert any(t.startswith("cramp end ") for t in texts)
        assert any(t.startswith("tightness ") for t in texts)
        assert abs(r.getFileDuration() - 360) < 1
    finally:
        r.close()
    e = edfio.read_edf(out)
    assert any(a.text.startswith("cramp onset ") for a in e.annotations)


def test_same_seed_same_bytes(crampd, tmp_path):
    a, b, c = tmp_path / "a.edf", tmp_path / "b.edf", tmp_path / "c.edf"
    args = ["--duration", "6m", "--rate", 1000, "--sites", "gastroc"]
    listing = crampd.run("simulate", "--list").stdout
    name = next(line.split()[0] for line in listing.splitlines() if line.strip() and not line.startswith(" "))
    crampd.run("simulate", "--scenario", name, "--seed", 9, *args, "--out", a)
    crampd.run("simulate", "--scenario", name, "--seed", 9, *args, "--out", b)
    crampd.run("simulate", "--scenario", name, "--seed", 10, *args, "--out", c)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
