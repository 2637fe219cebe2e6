"""End to end: `lantern drill sweep` of two tiny scenarios on a local Ray (2 CPUs)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_sweep_compares_budget_variants_on_local_ray(tmp_path: Path) -> None:
    """Base (3 billion) vs Baidu (0.5 billion): two runs on Ray, a table and a plot."""
    env = {
        **os.environ,
        "LANTERN_DATA_DIR": str(tmp_path / "data"),
        "MPLBACKEND": "Agg",
        "RAY_USAGE_STATS_ENABLED": "0",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "lantern", "drill", "sweep", "--scale", "tiny", "--seed", "5",
         "--variants", "base,baidu", "--num-cpus", "2", "--out", str(tmp_path), "--json"],
        capture_output=True, text=True, timeout=280, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    base, baidu = result["runs"]
    assert base["variant"] is None
    assert baidu["variant"] == "baidu"
    assert base["audit_ok"] is True
    assert baidu["audit_ok"] is True
    assert baidu["budget_fen"] * 5 < base["budget_fen"]  # 0.5 vs 3 billion yuan, same users
    assert baidu["budget_spent_fen"] <= baidu["budget_fen"]
    with (tmp_path / "sweep.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["variant"] for r in rows] == ["base", "baidu"]
    assert "| baidu |" in (tmp_path / "sweep.md").read_text(encoding="utf-8")
    assert (tmp_path / "sweep.png").stat().st_size > 10_000
