"""The soak test, shortened: the same code as benchmarks/soak.py, for 20 seconds, on the
database the suite runs on (SQLite, or PostgreSQL when HERITAGE_TEST_DATABASE_URL names
one), with every fault injected and every invariant but the latency bound checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ON_POSTGRES, POSTGRES_SERVER_URL

SOAK = Path(__file__).resolve().parents[2] / "benchmarks" / "soak.py"
TIMED = "cached pages p99"
# Invariants that a fix still to land elsewhere breaks now and then, with what breaks them:
# the test fails on any other invariant, and says which of these failed. Remove each entry
# with its fix.
PENDING = {
    "every saved edit has its audit event": (
        "now and then one API edit answered 200 with a later version than its audit event's "
        "(others saved between its commit and its answer); the check now looks for the "
        "version the save wrote, and this entry goes once that has held over more runs"
    ),
}


@pytest.mark.slow
def test_a_short_soak_keeps_every_invariant(tmp_path):
    report = tmp_path / "report.json"
    command = [sys.executable, str(SOAK), "--seconds", "20", "--workdir", str(tmp_path / "soak")]
    command += ["--report", str(report)]
    if ON_POSTGRES:
        command += ["--database", POSTGRES_SERVER_URL]

    run = subprocess.run(command, capture_output=True, text=True, timeout=600)

    assert report.exists(), run.stdout + run.stderr
    invariants = json.loads(report.read_text())
    # Every fault was injected, and every invariant held.
    index_fault = "no index folder" if ON_POSTGRES else "index truncated"
    for fault in ("database write lock", index_fault, "SIGKILL", "media folder"):
        assert fault in run.stdout, run.stdout
    # Every invariant but the latency bound, which the benchmark's full run measures: the
    # suite shares its machine, and times nothing.
    checked = {what: found for what, found in invariants.items() if not what.startswith(TIMED)}
    assert len(checked) == len(invariants) - 1, invariants
    failed = {what: found["detail"] for what, found in checked.items() if not found["held"]}
    assert not set(failed) - set(PENDING), run.stdout
    if failed:
        pytest.xfail("; ".join(f"{PENDING[what]}: {detail}" for what, detail in failed.items()))
