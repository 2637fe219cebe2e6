"""End to end through the `lantern campaign` command: replay with audit, load, status,
freeze, audit and a small benchmark, each in a fresh process on a fresh SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def lantern(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run `lantern campaign ARGS` in a fresh process with its own data directory."""
    env = {**os.environ, "LANTERN_DATA_DIR": str(env_dir), "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-m", "lantern", "campaign", *args],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )


@pytest.mark.slow
def test_replay_ends_with_a_passing_audit_and_a_chart(tmp_path: Path) -> None:
    """`replay --users 400 --json`: exit 0, audit passed, a PNG chart, spend within budget."""
    url = f"sqlite:///{tmp_path / 'c.db'}"
    done = lantern(
        "replay",
        "spring-festival-2026",
        "--users",
        "400",
        "--url",
        url,
        "--out",
        str(tmp_path),
        "--json",
        env_dir=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["audit"]["passed"]
    assert Path(summary["chart"]).read_bytes()[:4] == b"\x89PNG"
    assert 0 < sum(summary["granted_fen"].values()) <= summary["budget_fen"]
    assert summary["ops"]["claim"] > 400
    audit = lantern("audit", "--url", url, "--json", env_dir=tmp_path)
    assert audit.returncode == 0
    assert json.loads(audit.stdout.strip().splitlines()[-1])["passed"]


def test_load_status_freeze(tmp_path: Path) -> None:
    """Loading the example twice is a no-op; status and freeze/unfreeze work; bad names exit 2."""
    url = f"sqlite:///{tmp_path / 'c.db'}"
    for _ in range(2):
        done = lantern("load", "example", "--url", url, "--json", env_dir=tmp_path)
        assert done.returncode == 0, done.stderr[-2000:]
    status = json.loads(done.stdout.strip().splitlines()[-1])
    assert status["budget_fen"] == status["remaining_fen"] == 200_000
    assert (
        lantern("freeze", "example", "--reason", "drill", "--url", url, env_dir=tmp_path).returncode
        == 0
    )
    frozen = lantern("status", "--campaign", "example", "--url", url, "--json", env_dir=tmp_path)
    assert json.loads(frozen.stdout.strip().splitlines()[-1])["campaigns"][0]["frozen"]
    assert lantern("unfreeze", "example", "--url", url, env_dir=tmp_path).returncode == 0
    bad = lantern("load", "nope", "--url", url, env_dir=tmp_path)
    assert bad.returncode == 2
    assert "INVALID_SCENARIO" in bad.stderr


@pytest.mark.slow
def test_bench_reports_every_figure(tmp_path: Path) -> None:
    """`bench --claims 500 --json`: the last line holds every figure, money-safe."""
    done = lantern(
        "bench",
        "--backend",
        "sqlite",
        "--claims",
        "500",
        "--repeats",
        "1",
        "--json",
        env_dir=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    for key in (
        "claims_per_s",
        "raw_claims_per_s",
        "ratio_to_raw",
        "latency_ms_p50",
        "latency_ms_p99",
        "overspend_fen",
        "double_grants",
        "ledger_balanced",
    ):
        assert key in figures
    assert figures["claims_per_s"] > 0
    assert figures["overspend_fen"] == 0
    assert figures["double_grants"] == 0
    assert figures["ledger_balanced"] is True
