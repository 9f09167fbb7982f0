#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Shows that EDF+ reading and writing stream: peak RSS for a 10-minute and a 2-hour,
# 8-channel, 2 kHz session is the same. Uses GNU time (Debian package `time`).
#   scripts/measure-streaming.sh [path/to/crampd]
set -euo pipefail
crampd=${1:-.build/release/crampd}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-34s %10s %10s %14s\n' "step" "file MB" "wall s" "peak RSS MiB"
for d in 10m 2h; do
    f="$tmp/run-$d.edf"
    measure() {  # label, command...
        local label=$1; shift
        /usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
        read -r secs kib <"$tmp/t"
        printf '%-34s %10.0f %10s %14.1f\n' "$label" "$(( $(stat -c %s "$f") / 1000000 ))" "$secs" "$(echo "$kib / 1024" | bc -l)"
    }
    measure "write  $d (crampd simulate)" "$crampd" simulate --scenario long-fatigue --seed 3 --duration "$d" --rate 2000 --out "$f"
    measure "check  $d (crampd info)" "$crampd" info "$f" --annotations 0
    measure "decode $d (crampd convert → CSV)" "$crampd" convert "$f" "$tmp/run.csv"
    rm -f "$tmp/run.csv" "$f"
done
