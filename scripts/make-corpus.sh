#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Generates the detector's scoring corpora with `crampd simulate` (docs/DETECTION.md, "Scoring"):
#
#   corpus/tuning/   seeds 100-105: six sessions per scenario family; thresholds are tuned on these
#   corpus/heldout/  seeds 9000-9003: four per family, 52 sessions, ~43 h; run once, at the end
#
# Every family at its default duration (the artifact runs at 30 min), EMG at 1000 Hz on the
# default four sites (gastroc, soleus, tibialis, hamstring; 8 channels), HR, cadence, speed.
# Deterministic: the same crampd gives byte-identical files. A file already present is kept.
#
# Usage: scripts/make-corpus.sh [tuning|heldout|all] [CRAMPD]   (default: all, .build/release/crampd)
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
crampd=${2:-.build/release/crampd}
jobs=${JOBS:-$(nproc)}

families=(calf-cramp hamstring-cramp surge-cramp two-cramps bilateral-calf-cramp long-fatigue hot-run intervals
          artifact-mains artifact-motion artifact-dead artifact-saturation artifact-dropout)

plan() {  # plan DIR FIRST_SEED COUNT: one line per session "scenario seed duration out"
    local dir=$1 first=$2 count=$3
    mkdir -p "$dir"
    for family in "${families[@]}"; do
        local duration=default
        [[ $family == artifact-* ]] && duration=30m
        for ((seed = first; seed < first + count; seed++)); do
            echo "$family $seed $duration $dir/$family-seed$seed.edf"
        done
    done
}

generate() {  # generate SCENARIO SEED DURATION OUT
    local scenario=$1 seed=$2 duration=$3 out=$4
    [[ -s $out ]] && return 0
    local args=(simulate --scenario "$scenario" --seed "$seed" --rate 1000 --out "$out.tmp")
    [[ $duration != default ]] && args+=(--duration "$duration")
    "$crampd" "${args[@]}" >/dev/null
    mv "$out.tmp" "$out"
}
export -f generate
export crampd

{
    if [[ $which == tuning || $which == all ]]; then plan corpus/tuning 100 6; fi
    if [[ $which == heldout || $which == all ]]; then plan corpus/heldout 9000 4; fi
} | xargs -P "$jobs" -L 1 bash -c 'generate "$@"' _

for dir in corpus/tuning corpus/heldout; do
    [[ -d $dir ]] && echo "$dir: $(ls "$dir"/*.edf | wc -l) sessions, $(du -sh "$dir" | cut -f1)"
done
