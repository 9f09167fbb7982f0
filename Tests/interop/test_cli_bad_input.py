# SPDX-License-Identifier: MIT
"""Bad input through the command line: one clear line on stderr naming the file and where, exit 1.

The library-level cases (every header field, TALs, CSV) are Swift tests in CrampFilesTests;
these check that the CLI turns them into a message and an exit status, never a crash.
"""
import re
import shutil

import pytest


def _patch(data: bytearray, offset: int, width: int, text: str):
    field = text.encode().ljust(width)
    assert len(field) == width, text
    data[offset:offset + width] = field


def _bad_files(src, tmp):
    good = bytearray(src.read_bytes())
    ns = int(good[252:256])
    hdr = 256 * (ns + 1)
    cases = {}

    def make(name, data):
        p = tmp / name
        p.write_bytes(bytes(data))
        cases[name] = p

    make("empty.edf", b"")
    make("text.edf", b"hello, this is not an EDF file\n" * 20)
    make("truncated-header.edf", good[:300])
    make("truncated-data.edf", good[:-100])
    d = bytearray(good); _patch(d, 236, 8, "-1"); make("count-minus-one.edf", d)
    d = bytearray(good); _patch(d, 236, 8, str(int(good[236:244]) + 3)); make("count-wrong.edf", d)
    d = bytearray(good); _patch(d, 184, 8, str(hdr + 256)); make("header-bytes-wrong.edf", d)
    # signal 0's samples per record (block at 256 + ns*216) set to 0
    d = bytearray(good); _patch(d, 256 + ns * 216, 8, "0"); make("zero-samples.edf", d)
    # signal 0's digital max := digital min
    d = bytearray(good); _patch(d, 256 + ns * 128, 8, good[256 + ns * 120:256 + ns * 120 + 8].decode().strip()); make("digital-min-eq-max.edf", d)
    d = bytearray(good); _patch(d, 256 + ns * 104, 8, "abc"); make("physical-min-nan.edf", d)
    return cases


EXPECTED = {
    "empty.edf": "empty", "text.edf": "not an EDF or BDF file", "truncated-header.edf": "ends inside the header",
    "truncated-data.edf": "ends inside data record", "count-minus-one.edf": "record count is -1",
    "count-wrong.edf": "disagrees with the file size", "header-bytes-wrong.edf": "header size",
    "zero-samples.edf": "no samples", "digital-min-eq-max.edf": "digital", "physical-min-nan.edf": "physical minimum",
}


@pytest.mark.parametrize("name", [
    "empty.edf", "text.edf", "truncated-header.edf", "truncated-data.edf", "count-minus-one.edf",
    "count-wrong.edf", "header-bytes-wrong.edf", "zero-samples.edf", "digital-min-eq-max.edf",
    "physical-min-nan.edf",
])
def test_bad_edf_is_a_clear_error(crampd, recordings, tmp_path, name):
    path = _bad_files(recordings / "real-elderly-lg-hold.edf", tmp_path)[name]
    for args in (["info", path], ["convert", path, tmp_path / "out.csv"]):
        p = crampd.run(*args, check=False)
        assert p.returncode == 1, (name, args, p.returncode, p.stderr)
        assert p.stdout == ""
        lines = p.stderr.strip().splitlines()
        assert len(lines) == 1, p.stderr
        assert lines[0].startswith(f"crampd: {path}"), lines[0]
        if name != "empty.edf":
            assert re.search(r": byte \d+: ", lines[0]), lines[0]
        assert EXPECTED[name] in lines[0], lines[0]


@pytest.mark.parametrize("body,line,what", [
    ("time_s,HR\n0,140\n0.25,nan\n", 3, "finite"),
    ("time_s,HR,Cadence\n0,140,170\n0.25,141\n", 3, "column"),
    ("time_s,HR\n0,140\n0.5,141\n0.25,142\n", 4, "increasing"),
    ("HR,Cadence\n140,170\n", 1, "time_s"),
])
def test_bad_csv_is_a_clear_error(crampd, tmp_path, body, line, what):
    path = tmp_path / "bad.csv"
    path.write_text(body)
    for args in (["info", path], ["convert", path, tmp_path / "out.edf"]):
        p = crampd.run(*args, check=False)
        assert p.returncode == 1, p.stderr
        msg = p.stderr.strip()
        assert msg.startswith(f"crampd: {path}: line {line}"), msg
        assert what in msg, msg


def test_missing_file_is_a_clear_error(crampd, tmp_path):
    p = crampd.run("info", tmp_path / "nope.edf", check=False)
    assert p.returncode == 1 and "nope.edf" in p.stderr and "Traceback" not in p.stderr
