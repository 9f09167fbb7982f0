# SPDX-License-Identifier: MIT
"""`crampd report` in a real browser: headless Chromium (Debian's package) loads the page, runs
its inline check, dumps the DOM and takes a screenshot. The test counts what was drawn and
compares it with what the input should produce, computed here from the session itself
(`crampd info`, `crampd features`) and from the alerts the test writes."""
import json
import math
import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

WINDOW = (1400, 2400)


@pytest.fixture(scope="session")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("SKIPPED: no Chromium on PATH, the report's browser test did not run "
                "(install it with `scripts/install-deps.sh --report`; `make test` does)")


def run_chromium(chromium, tmp_path, *args):
    """Runs headless Chromium with a throw-away profile; returns (stdout, console lines)."""
    p = subprocess.run(
        [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp_path / 'profile'}",
         "--no-first-run", "--disable-extensions", *map(str, args)],
        capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stderr[-2000:]
    console = [line for line in p.stderr.splitlines() if ":CONSOLE" in line]
    return p.stdout, console


class Elements(HTMLParser):
    """Every element's tag and attributes, in document order."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def having(self, tag=None, cls=None, **attrs):
        out = []
        for t, a in self.elements:
            if tag and t != tag:
                continue
            if cls and cls not in a.get("class", "").split():
                continue
            if all(a.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                out.append(a)
        return out


def parse(dom):
    e = Elements()
    e.feed(dom)
    return e


# MARK: - PNG (8-bit RGB/RGBA, non-interlaced: what Chromium writes)

def png_pixels(path):
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def colour_counts(rows, channels):
    counts = Counter()
    for row in rows:
        for i in range(0, len(row), channels):
            counts[row[i:i + 3]] += 1
    return counts


def rgb(hex_colour):
    return bytes(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


# MARK: - Expectations from the session itself

def alerts_from_ground_truth(annotations):
    """Alerts a detector might give around each annotated cramp, and a sensor fault pair."""
    lines = []
    onsets = [a for a in annotations if a["text"].startswith("cramp onset ")]
    ends = {a["text"].split(" ", 2)[2]: a["onset_s"] for a in annotations if a["text"].startswith("cramp end ")}
    for a in onsets:
        site, side = a["text"].split()[2:4]
        t = a["onset_s"]
        advice = {"step": "Ease off <now> & relax.", "why": "Rising \"twitches\"."}
        for dt, level, risk in ((-80, "watch", 0.3), (-35, "warning", 0.7), (1.5, "cramp", 1.0)):
            lines.append({"class": "ALERT", "t": round(t + dt, 3), "level": level, "muscle": site, "side": side,
                          "risk": risk, "evidence": [{"feature": "baseline_rms_ratio", "value": 3.1, "baseline": None,
                                                      "threshold": 2.0, "unit": "ratio"}], "advice": advice})
        lines.append({"class": "ALERT", "t": round(ends[f"{site} {side}"] + 2, 3), "level": "clear", "muscle": site,
                      "side": side, "risk": 0.2, "evidence": [], "advice": {"step": "Resume slowly.", "why": "Settled."}})
    for t, state in ((120.0, "on"), (131.5, "off")):
        lines.append({"class": "SENSOR", "t": t, "channel": "EMG soleus R", "muscle": "soleus", "side": "R",
                      "fault": "motion", "state": state, "detail": "lf rms 80 uV", "advice": "Secure the electrode."})
    return lines


def expected_fault_spans(crampd, session, bin_s):
    """Runs of bins (of `bin_s`, by window end) in which `crampd features` flagged a window,
    per channel and fault: the report's fault spans, counted independently."""
    bins = {}
    for line in crampd.run("features", session, "--jsonl").stdout.splitlines():
        row = json.loads(line)
        if row["class"] != "WINDOW":
            continue
        for fault in row["quality"]:
            bins.setdefault((row["channel"], fault), set()).add(math.floor(row["end_s"] / bin_s))
    runs = Counter()
    for (channel, fault), flagged in bins.items():
        runs[fault] += sum(1 for b in flagged if b - 1 not in flagged)
    return runs


# MARK: - Tests

def test_report_of_a_simulated_cramp_draws_every_series_marker_and_span(crampd, chromium, recordings, tmp_path):
    session = recordings / "sim-calf-cramp-s1.edf"
    info = crampd.info(session)
    annotations = [r for r in info if r["class"] == "ANNOTATION"]
    signals = [r for r in info if r["class"] == "SIGNAL"]
    alerts = alerts_from_ground_truth(annotations)
    alerts_path = tmp_path / "alerts.jsonl"
    alerts_path.write_text("".join(json.dumps(a) + "\n" for a in alerts))
    report = tmp_path / "report.html"
    crampd.run("report", session, "--alerts", alerts_path, "-o", report)

    dom, console = run_chromium(chromium, tmp_path, "--dump-dom", report.as_uri())
    assert console == [], "the page logged to the console:\n" + "\n".join(console)
    e = parse(dom)
    html = e.having("html")[0]
    assert html.get("data-ok") == "1", html.get("data-problems")

    # Series: HR, cadence and speed, and per EMG channel RMS, MDF, twitch rate, baseline ratio.
    emg = [s["label"] for s in signals if s["label"].startswith("EMG ")]
    context = [s for s in signals if s["label"] in ("HR", "Cadence", "Speed")]
    series = Counter(a["data-series"] for a in e.having("path", cls="series"))
    assert series == Counter({"hr": 1, "cadence": 1, "speed": 1} if len(context) == 3 else {}) + Counter(
        {k: len(emg) for k in ("rms", "mdf", "twitch", "baseline")})
    assert all(re.match(r"M[\d.]+ [\d.]+L", a["d"]) for a in e.having("path", cls="series"))

    # Alert markers: one per ALERT line, by level.
    drawn = Counter(a["data-level"] for a in e.having("g", cls="alert-marker"))
    assert drawn == Counter(a["level"] for a in alerts if a["class"] == "ALERT")
    assert len(e.having("line", cls="alert-line")) == sum(a.get("level") in ("warning", "cramp") for a in alerts)
    # Every alert in the table, with its advice escaped, not interpreted.
    assert len(e.having("tr", data_level="cramp")) == 1
    assert "Ease off &lt;now&gt; &amp; relax." in dom

    # Ground truth: each cramp (onset to end), prodrome, tightness and activity span.
    kinds = Counter(a["data-kind"] for a in e.having(cls="truth-mark"))
    texts = [a["text"] for a in annotations]
    assert kinds["cramp"] == sum(t.startswith("cramp onset ") for t in texts) == 1
    assert kinds["prodrome"] == sum(t.startswith("prodrome ") for t in texts)
    assert kinds["tightness"] == sum(t.startswith("tightness ") for t in texts)
    assert kinds["activity"] == sum(t in ("stop", "walk break", "surge", "interval") for t in texts)

    # Signal-quality faults: the runs of flagged 2 s bins that `crampd features` implies.
    faults = Counter(a["data-fault"] for a in e.having("rect", cls="fault-span"))
    assert faults == expected_fault_spans(crampd, session, 2.0)
    assert len(e.having("rect", cls="sensor-span")) == 1

    # The header says what is there.
    assert 'data-kind="emg"' in dom and "No EMG" not in dom
    assert "Scenario</b>calf-cramp" in dom

    # The screenshot: the full window, with the alert markers and the HR line in their colours.
    png = tmp_path / "report.png"
    _, console = run_chromium(chromium, tmp_path, f"--screenshot={png}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
                              report.as_uri())
    assert console == []
    width, height, channels, rows = png_pixels(png)
    assert (width, height) == WINDOW
    counts = colour_counts(rows, channels)
    assert counts[rgb("#ffffff")] < 0.95 * width * height, "the page is (nearly) blank"
    for name, colour, at_least in (("cramp marker", "#c92a2a", 60), ("warning marker", "#e8590c", 30),
                                   ("watch marker", "#d9a400", 30), ("heart-rate line", "#c2255c", 100)):
        assert counts[rgb(colour)] >= at_least, f"{name}: {counts[rgb(colour)]} pixels of {colour}"


def test_session_without_emg_says_so_in_the_browser(crampd, chromium, tmp_path):
    csv = tmp_path / "watch.csv"
    csv.write_text("time_s,HR [bpm],Cadence [spm],annotation\n"
                   + "".join(f"{t},{120 + t / 10:.1f},{0 if 200 <= t < 230 else 168},{'lap 2' if t == 300 else ''}\n"
                             for t in range(0, 600)))
    report = tmp_path / "watch.html"
    crampd.run("report", csv, "-o", report)
    dom, console = run_chromium(chromium, tmp_path, "--dump-dom", report.as_uri())
    assert console == []
    e = parse(dom)
    assert e.having("html")[0].get("data-ok") == "1"
    assert e.having("p", cls="notice")[0]["id"] == "no-emg"
    assert "No EMG: fatigue context only (heart rate, cadence); cramps cannot be seen." in dom
    assert Counter(a["data-series"] for a in e.having("path", cls="series")) == Counter({"hr": 1, "cadence": 1})
    assert len(e.having(cls="truth-mark", data_kind="note")) == 1


def test_the_checks_catch_a_broken_page(crampd, chromium, recordings, tmp_path):
    """Negative control: a page missing a series, and one whose script fails, are caught."""
    report = tmp_path / "r.html"
    crampd.run("report", recordings / "real-santuz-walking.edf", "-o", report)
    page = report.read_text()
    broken = tmp_path / "missing-series.html"
    broken.write_text(re.sub(r'<path class="series"[^>]*>.*?</path>', "", page, count=1))
    dom, _ = run_chromium(chromium, tmp_path, "--dump-dom", broken.as_uri())
    html = parse(dom).having("html")[0]
    assert html.get("data-ok") == "0" and "series:" in html.get("data-problems", "")
    failing = tmp_path / "script-error.html"
    failing.write_text(page.replace("<script>", "<script>undefinedFunction();</script><script>", 1))
    _, console = run_chromium(chromium, tmp_path, "--dump-dom", failing.as_uri())
    assert any("Uncaught ReferenceError" in line for line in console), console
