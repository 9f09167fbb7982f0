#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# libFuzzer runs of the BLEWire decoders (the ATT parser and every GATT profile decoder).
#
#   scripts/fuzz.sh build                 build .build/fuzz/blewire-fuzz (swiftc -sanitize=fuzzer,address)
#   scripts/fuzz.sh run --runs N [T...]   N executions per target (make fuzz: 1,000,000)
#   scripts/fuzz.sh run --seconds S [T...] S seconds per target (make fuzz-short: a few)
#
# Targets (default: all): att hrm bsl rsc battery emg-data emg-config myo declaration advertising.
# Each target starts from the seeds under Fuzz/seeds/<target>/ and grows its own corpus under
# .build/fuzz/corpus/<target>/ (kept between runs, never committed). A crash stops the run
# with libFuzzer's report and the crashing input under .build/fuzz/artifacts/; the script then
# exits 1. At the end it prints one line per target with the executions run.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=.build/fuzz
BIN=$OUT/blewire-fuzz
TARGETS_ALL=(att hrm bsl rsc battery emg-data emg-config myo declaration advertising)

build() {
    mkdir -p "$OUT"
    # -parse-as-library: the entry point is libFuzzer's main, not top-level code.
    # lld instead of gold: gold warns about every ASan-instrumented local symbol.
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld \
        -module-name BLEWireFuzz \
        $(find Sources/BLEWire -name '*.swift' | sort) Fuzz/BLEWireFuzz.swift \
        -o "$BIN"
}

run() {
    local mode=$1 amount=$2
    shift 2
    local targets=("$@")
    [ ${#targets[@]} -gt 0 ] || targets=("${TARGETS_ALL[@]}")
    [ -x "$BIN" ] || build
    local summary=() failed=0
    for t in "${targets[@]}"; do
        local corpus=$OUT/corpus/$t log=$OUT/$t.log
        mkdir -p "$corpus" "$OUT/artifacts"
        local limit
        if [ "$mode" = runs ]; then limit="-runs=$amount"; else limit="-max_total_time=$amount"; fi
        # Leak detection off: the Swift runtime's metadata caches live for the process.
        if ! BLEWIRE_FUZZ_TARGET=$t ASAN_OPTIONS=detect_leaks=0 "$BIN" "$corpus" "Fuzz/seeds/$t" \
                "$limit" -max_len=600 -timeout=10 -print_final_stats=1 \
                -artifact_prefix="$OUT/artifacts/$t-" >"$log" 2>&1; then
            echo "fuzz: target $t FAILED; libFuzzer's report:" >&2
            grep -v '^#' "$log" | tail -40 >&2
            failed=1
        fi
        local runs
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        summary+=("fuzz: $t: ${runs:-?} executions$([ $failed = 1 ] && echo ', FAILED' || true)")
        [ $failed = 0 ] || break
    done
    printf '%s\n' "${summary[@]}"
    return $failed
}

case "${1:-}" in
    build) build ;;
    run)
        case "${2:-}" in
            --runs) run runs "$3" "${@:4}" ;;
            --seconds) run seconds "$3" "${@:4}" ;;
            *) echo "usage: $0 run --runs N | --seconds S [target...]" >&2; exit 2 ;;
        esac ;;
    *) echo "usage: $0 build | run --runs N | --seconds S [target...]" >&2; exit 2 ;;
esac
