#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates docs/report-example.png: the report of Recordings/sim-calf-cramp-s1.edf with its
# ground truth and the hand-written alerts of docs/report-example-alerts.jsonl (they stand in
# for the detector's), rendered by headless Chromium (scripts/install-deps.sh --report).
#   scripts/make-report-example.sh [CRAMPD]     CRAMPD defaults to .build/debug/crampd
set -euo pipefail
cd "$(dirname "$0")/.."
crampd=${1:-.build/debug/crampd}
chromium=$(command -v chromium || command -v chromium-browser) || {
    echo "crampd: no Chromium on PATH (scripts/install-deps.sh --report)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$crampd" report Recordings/sim-calf-cramp-s1.edf --alerts docs/report-example-alerts.jsonl -o "$work/report.html"
# 1400 × 1680: the header, the legend and every plot; the tables below are left out.
"$chromium" --headless --disable-gpu --no-sandbox --hide-scrollbars --user-data-dir="$work/profile" \
    --window-size=1400,1680 --screenshot="$work/report.png" "file://$work/report.html" 2>/dev/null
cp "$work/report.png" docs/report-example.png
echo "crampd: wrote docs/report-example.png" >&2
