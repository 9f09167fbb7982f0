# SPDX-License-Identifier: MIT
"""crampd's event stream against its published JSON Schema (schemas/crampd-events.schema.json),
checked with the `jsonschema` package: every golden line, a fresh replay of every recording, a
FIT run, CSV on standard input; the replay's determinism across --speed; replay and eval on the
command line."""
import json
import os
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT

SCHEMA_PATH = ROOT / "schemas" / "crampd-events.schema.json"
GOLDEN = ROOT / "Tests" / "Golden"
SHARED = ROOT.parent / "shared" / "data"
RECORDINGS = sorted(p for p in (ROOT / "Recordings").iterdir() if p.suffix in (".edf", ".csv"))


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def key_order(schema, obj):
    """The keys an object of its class must have, in the order the schema lists them."""
    kind = {"ALERT": "alert", "SENSOR": "sensor", "SUMMARY": "summary"}[obj["class"]]
    return [k for k in schema["$defs"][kind]["properties"] if k in obj]


def check_lines(validator, lines, where):
    schema = validator.schema
    assert lines, f"{where}: no events (a replay always ends with a SUMMARY)"
    for i, line in enumerate(lines, 1):
        obj = json.loads(line)
        errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
        assert not errors, f"{where}: line {i}: {errors[0].message} at {list(errors[0].path)}"
        assert list(obj) == key_order(schema, obj), f"{where}: line {i}: keys out of order: {list(obj)}"
    assert json.loads(lines[-1])["class"] == "SUMMARY", f"{where}: the last line is the SUMMARY"
    assert sum(json.loads(l)["class"] == "SUMMARY" for l in lines) == 1


def test_schema_is_valid_draft_2020_12(validator):
    assert validator.schema["$schema"].endswith("2020-12/schema")


@pytest.mark.parametrize("recording", RECORDINGS, ids=lambda p: p.name)
def test_golden_lines_follow_the_schema(validator, recording):
    golden = GOLDEN / (recording.stem + ".jsonl")
    assert golden.exists(), f"missing golden file {golden}: run `make golden`"
    check_lines(validator, golden.read_text().splitlines(), golden.name)


@pytest.mark.parametrize("recording", RECORDINGS, ids=lambda p: p.name)
def test_fresh_replay_follows_the_schema_and_matches_its_golden_file(crampd, validator, recording):
    out = crampd.run("replay", recording).stdout
    check_lines(validator, out.splitlines(), f"replay {recording.name}")
    assert out == (GOLDEN / (recording.stem + ".jsonl")).read_text()


def test_schema_rejects_what_it_should(validator):
    line = (GOLDEN / "sim-calf-cramp-s1.jsonl").read_text().splitlines()[0]
    alert = json.loads(line)
    assert alert["class"] == "ALERT"
    for bad in (dict(alert, level="panic"), dict(alert, risk=1.5), dict(alert, muscle="biceps"),
                dict(alert, level="warning", muscle=None, side=None),  # a warning needs a muscle
                dict(alert, muscle=None),  # null muscle, null side together
                {k: v for k, v in alert.items() if k != "advice"}, dict(alert, extra=1)):
        assert list(validator.iter_errors(bad)), f"accepted: {bad}"
    session_watch = dict(alert, level="watch", muscle=None, side=None)
    assert not list(validator.iter_errors(session_watch))


def test_output_is_identical_at_any_speed(crampd):
    path = ROOT / "Recordings" / "sim-calf-cramp-s1.edf"
    fast = crampd.run("replay", path).stdout
    paced = crampd.run("replay", path, "--speed", "4000").stdout  # 480 s of session in ~0.12 s
    assert paced == fast


def test_csv_on_standard_input_equals_the_file(crampd, validator, tmp_path):
    csv = tmp_path / "calf.csv"
    crampd.run("convert", ROOT / "Recordings" / "sim-calf-cramp-s1.edf", csv)
    from_file = crampd.run("replay", csv).stdout
    import subprocess
    with open(csv, "rb") as f:
        p = subprocess.run([crampd.binary, "replay", "-"], stdin=f, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout == from_file
    check_lines(validator, from_file.splitlines(), "replay calf.csv")
    levels = [json.loads(l).get("level") for l in from_file.splitlines()]
    assert "warning" in levels and "cramp" in levels


@pytest.mark.skipif(not (SHARED / "running/fitparse").exists(),
                    reason=f"{SHARED}/running/fitparse is absent (third-party data on development machines)")
@pytest.mark.parametrize("name", ["activity-small-fenix2-run.fit", "developer-types-sample.fit"])
def test_fit_replay_follows_the_schema_without_warnings(crampd, validator, name):
    lines = crampd.run("replay", SHARED / "running/fitparse" / name).stdout.splitlines()
    check_lines(validator, lines, name)
    alerts = [json.loads(l) for l in lines if json.loads(l)["class"] == "ALERT"]
    assert all(a["level"] in ("watch", "clear") and a["muscle"] is None for a in alerts)


def test_replay_errors_go_to_stderr_with_exit_status_1(crampd, tmp_path):
    p = crampd.run("replay", tmp_path / "missing.edf", check=False)
    assert p.returncode == 1 and p.stdout == ""
    assert "missing.edf" in p.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("[advice.calf.cramp]\nstep = \"\"\n")
    p = crampd.run("replay", ROOT / "Recordings" / "sim-calf-cramp-s1.edf", "--advice", bad, check=False)
    assert p.returncode == 1 and "advice.calf.cramp.step" in p.stderr and p.stdout == ""
    p = crampd.run("replay", ROOT / "Recordings" / "sim-calf-cramp-s1.edf", "--speed", "fast", check=False)
    assert p.returncode != 0 and "speed" in p.stderr


def test_eval_scores_a_directory_as_text_and_json(crampd, tmp_path):
    for name in ("sim-calf-cramp-s1.edf", "sim-cramp-free-s2.edf"):
        os.symlink(ROOT / "Recordings" / name, tmp_path / name)
    table = crampd.run("eval", tmp_path, "--jobs", "2").stdout.splitlines()
    assert table[0].startswith("family") and table[-1].startswith("all")
    rows = [json.loads(l) for l in crampd.run("eval", tmp_path, "--json").stdout.splitlines()]
    sessions = [r for r in rows if r["class"] == "SESSION"]
    total = [r for r in rows if r["class"] == "EVAL" and r["family"] is None][0]
    assert {s["family"] for s in sessions} == {"calf-cramp", "long-fatigue"}
    assert total["cramps"] == 1 and total["detected"] == 1 and total["warned"] == 1
    assert total["false_warnings"] == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    p = crampd.run("eval", empty, check=False)
    assert p.returncode == 1 and "no annotated recording" in p.stderr
