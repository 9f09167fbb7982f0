#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates the simulated sessions bundled under Recordings/ (`make recordings`).
# Deterministic: the same crampd gives byte-identical files, so `git diff` shows any change.
set -euo pipefail
cd "$(dirname "$0")/.."
crampd=${1:-.build/release/crampd}
# 8 minutes, calves only, 1 kHz: small enough for git (< 5 MB each), long enough for a
# fatigue trend, a 30-120 s prodrome and the cramp itself.
common=(--duration 8m --rate 1000 --sites gastroc,soleus)
"$crampd" simulate --scenario calf-cramp --seed 1 "${common[@]}" --out Recordings/sim-calf-cramp-s1.edf
"$crampd" simulate --scenario long-fatigue --seed 2 "${common[@]}" --out Recordings/sim-cramp-free-s2.edf
ls -l Recordings/sim-*.edf
