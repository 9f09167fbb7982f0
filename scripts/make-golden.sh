#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Rebuilds the golden replays (`make golden`): Tests/Golden/<name>.jsonl is what
# `crampd replay Recordings/<name>.{edf,csv}` writes. Run it only for a deliberate change of the
# detector's output, review `git diff Tests/Golden`, and say in the commit message why it changed.
set -euo pipefail
cd "$(dirname "$0")/.."
crampd=${1:-.build/release/crampd}
mkdir -p Tests/Golden
for f in Recordings/*.edf Recordings/*.csv; do
    name=$(basename "${f%.*}")
    "$crampd" replay "$f" > "Tests/Golden/$name.jsonl" 2>/dev/null
    echo "Tests/Golden/$name.jsonl: $(wc -l < "Tests/Golden/$name.jsonl") lines"
done
