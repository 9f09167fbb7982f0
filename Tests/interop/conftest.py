# SPDX-License-Identifier: MIT
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _binary() -> str:
    path = os.environ.get("CRAMPD", str(ROOT / ".build/debug/crampd"))
    if not Path(path).exists():
        pytest.exit(f"crampd binary not found at {path}: run `make test` (it builds first)", returncode=2)
    return path


class Crampd:
    def __init__(self, binary: str):
        self.binary = binary

    def run(self, *args, check=True):
        p = subprocess.run([self.binary, *map(str, args)], capture_output=True, text=True)
        if check and p.returncode != 0:
            raise AssertionError(f"crampd {' '.join(map(str, args))} exited {p.returncode}: {p.stderr}")
        return p

    def info(self, path):
        lines = self.run("info", path, "--json", "--annotations", "all").stdout.splitlines()
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="session")
def crampd() -> Crampd:
    return Crampd(_binary())


@pytest.fixture(scope="session")
def recordings() -> Path:
    return ROOT / "Recordings"
