# SPDX-License-Identifier: MIT
# The two commands a newcomer types (README): `make demo` and `make test`.
# Both install what is missing (scripts/install-deps.sh), then build and run; both are idempotent.

SWIFT      ?= swift
JOBS       ?= 2
RELEASE    := .build/release/crampd
DEBUG      := .build/debug/crampd
DEMO_FILE  ?= Recordings/sim-calf-cramp-s1.edf
PYTHON     := .venv/bin/python
BENCH_PY   := .venv-bench/bin/python

.PHONY: all deps deps-test build build-debug demo test test-swift test-interop recordings clean \
        bench deps-bench build-bench fuzz fuzz-short golden corpus eval test-ble

all: build

deps:
	@scripts/install-deps.sh

# The interop tests include the report rendered in headless Chromium (--report installs it).
deps-test:
	@scripts/install-deps.sh --venv --report

build: deps
	$(SWIFT) build -c release -j $(JOBS) --product crampd

build-debug: deps
	$(SWIFT) build -j $(JOBS) --build-tests

## demo: replay a bundled cramp session through the detector (alerts as JSON lines)
demo: build
	$(RELEASE) replay $(DEMO_FILE)

## test: the whole suite: Swift Testing, the Python-client interop tests, a short fuzz run
test: test-swift test-interop fuzz-short

test-swift: deps build-debug
	$(SWIFT) test -j $(JOBS) --skip-build

test-interop: deps-test build-debug
	CRAMPD=$(DEBUG) $(PYTHON) -m pytest -q Tests/interop

## test-ble: crampd against the kernel's Bluetooth stack: a qemu VM with Debian's kernel, BlueZ's
## btvirt controllers, crampd's simulated sensors and bluetoothd as peripherals (root; about 2
## minutes under TCG; scripts/ble-vm/run.sh, docs/BLE.md)
test-ble: build-debug
	scripts/ble-vm/run.sh

## fuzz: libFuzzer on the ATT parser and every GATT profile decoder, 1,000,000 executions each
FUZZ_BIN := .build/fuzz/blewire-fuzz
FUZZ_SRC := $(shell find Sources/BLEWire -name '*.swift') Fuzz/BLEWireFuzz.swift

$(FUZZ_BIN): $(FUZZ_SRC) scripts/fuzz.sh
	scripts/fuzz.sh build

fuzz: $(FUZZ_BIN)
	scripts/fuzz.sh run --runs 1000000

## fuzz-short: the same targets for 3 seconds each (part of make test, so CI runs it)
fuzz-short: $(FUZZ_BIN)
	scripts/fuzz.sh run --seconds 3

## recordings: regenerate the simulated sessions bundled under Recordings/ (review the diff)
recordings: build
	scripts/make-recordings.sh $(RELEASE)

## golden: rebuild Tests/Golden/*.jsonl from Recordings/ (a deliberate change: review the diff)
golden: build
	scripts/make-golden.sh $(RELEASE)

## corpus: generate the tuning and held-out scoring corpora under corpus/ (not committed)
corpus: build
	scripts/make-corpus.sh all $(RELEASE)

## eval: score the detector on the held-out corpus (docs/DETECTION.md)
eval: build
	scripts/make-corpus.sh heldout $(RELEASE)
	$(RELEASE) eval corpus/heldout

## bench: crampd's feature pipeline against NumPy/SciPy, LibEMG and BrainFlow (bench/README.md)
bench: deps-bench build-bench
	$(BENCH_PY) bench/run.py --crampd $(RELEASE) --throughput .build/release/crampd-dsp-throughput

deps-bench:
	@scripts/install-deps.sh --bench

# crampd-dsp-throughput is the stand-in for `crampd features` in bench/run.py until it lands.
build-bench: build
	$(SWIFT) build -c release -j $(JOBS) --product crampd-dsp-throughput

clean:
	rm -rf .build .venv
