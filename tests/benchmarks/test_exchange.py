"""benchmarks/exchange.py runs end to end at a small size and prints its table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "exchange.py"


def test_the_exchange_benchmark_runs_and_reports_every_measurement(tmp_path):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--rows", "20", "--harvest", "10"],
        capture_output=True, text=True, timeout=600, check=True, cwd=tmp_path,
    )  # fmt: skip
    rows = [line.split("|")[1].strip() for line in done.stdout.splitlines()[2:]]
    assert rows == ["bare", "dry", "import", "harvest", "backup", "restore"]
    imported = next(line for line in done.stdout.splitlines() if line.startswith("| import "))
    assert imported.split("|")[2].strip() == "20", "every generated row was imported"
