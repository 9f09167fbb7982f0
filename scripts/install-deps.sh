#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what crampd needs on Debian 12 and nothing else; fast and silent when all is there.
#   scripts/install-deps.sh          system packages (apt) and the Swift toolchain check
#   scripts/install-deps.sh --venv   also the Python test venv (.venv) from Tests/interop/requirements.txt
#   scripts/install-deps.sh --bench  also valgrind, GNU time and binutils, and the benchmark venv (.venv-bench)
#                                    from bench/requirements.txt (`make bench`, bench/README.md)
#   scripts/install-deps.sh --report also Chromium and a font, for the test that renders a session report in a
#                                    real browser (headless; docs/REPORT.md)
# Options combine: `make test` runs `--venv --report`.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=0 bench=0 report=0
for arg in "$@"; do
    case "$arg" in
        --venv) venv=1 ;;
        --bench) bench=1 ;;
        --report) report=1 ;;
        *) echo "crampd: install-deps.sh: unknown option $arg (--venv, --bench, --report)" >&2; exit 2 ;;
    esac
done

# Debian packages: the Bluetooth and FFT libraries crampd links, pkg-config to find them.
APT_PACKAGES=(libbluetooth-dev libfftw3-dev pkg-config)
# `make bench` also measures instructions (valgrind's callgrind, on a copy without DWARF made
# by binutils' objcopy) and peak RSS (GNU time).
if ((bench)); then
    APT_PACKAGES+=(valgrind time binutils)
fi
# The report test renders HTML in headless Chromium (Debian's package) and screenshots it; the
# screenshot needs at least one font (Chromium itself does not depend on any).
if ((report)); then
    APT_PACKAGES+=(chromium fonts-dejavu-core)
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
# The test and benchmark venvs need Python's venv module (Debian splits it out as python3-venv).
if ((venv || bench)) && ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    missing+=(python3-venv)
fi

if ((${#missing[@]})); then
    cmd="apt-get install -y --no-install-recommends ${missing[*]}"
    if [[ $(id -u) -ne 0 ]]; then
        echo "crampd: missing Debian packages: ${missing[*]}" >&2
        echo "crampd: run this as root, then try again:" >&2
        echo "    sudo apt-get update && sudo $cmd" >&2
        exit 1
    fi
    echo "crampd: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    $cmd -qq
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "crampd: no Swift toolchain on PATH (Swift 6 is needed; it is not a Debian package)." >&2
    echo "crampd: install it from swift.org and put its usr/bin on PATH, then try again." >&2
    exit 1
fi

if ((venv)); then
    req=Tests/interop/requirements.txt
    stamp=".venv/.installed-$(sha256sum "$req" | cut -c1-16)"
    if [[ ! -f "$stamp" ]]; then
        echo "crampd: creating the Python test venv in .venv" >&2
        python3 -m venv .venv
        .venv/bin/pip install -q --disable-pip-version-check -r "$req"
        rm -f .venv/.installed-*
        touch "$stamp"
    fi
fi

if ((bench)); then
    req=bench/requirements.txt
    stamp=".venv-bench/.installed-$(sha256sum "$req" | cut -c1-16)"
    if [[ ! -f "$stamp" ]]; then
        echo "crampd: creating the benchmark venv in .venv-bench (NumPy, SciPy, LibEMG, BrainFlow)" >&2
        python3 -m venv .venv-bench
        .venv-bench/bin/pip install -q --disable-pip-version-check -r "$req"
        rm -f .venv-bench/.installed-*
        touch "$stamp"
    fi
fi
