"""End to end: `lantern drill run` at tiny scale on the real engines, and its determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lantern.drill import DrillConfig, DrillReplay, run_drill

KEYS = (
    "days", "users", "chats", "envelopes_granted", "budget_fen", "budget_spent_fen", "orders",
    "deliveries", "on_time_pct", "vans", "accelerator_utilization_pct", "audit_ok",
)  # fmt: skip
TIMING = {"wall_s", "chat_latency_ms_p50", "chat_latency_ms_p95", "report"}
SEED = 7

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """`lantern drill run --scale tiny --json` in a subprocess: its summary and output dir."""
    out = tmp_path_factory.mktemp("drill")
    env = {**os.environ, "LANTERN_DATA_DIR": str(out / "data"), "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [sys.executable, "-m", "lantern", "drill", "run", "--scale", "tiny", "--seed", str(SEED),
         "--json", "--out", str(out)],
        capture_output=True, text=True, timeout=240, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    return summary, out


def test_summary_has_every_figure_and_the_audit_passes(
    cli_run: tuple[dict[str, Any], Path],
) -> None:
    """The last stdout line is the summary with the issue's keys; the campaign audit passed."""
    summary, _ = cli_run
    assert set(KEYS) <= set(summary)
    assert summary["audit_ok"] is True
    assert summary["audit_violations"] == []
    assert summary["days"] == 1
    assert summary["users"] == 1000


def test_figures_are_consistent(cli_run: tuple[dict[str, Any], Path]) -> None:
    """Orders cover deliveries, spend stays within budget, chats cover sessions."""
    s, _ = cli_run
    assert 0 < s["deliveries"] <= s["deliveries_requested"] <= s["orders"]
    assert s["orders"] == sum(s["orders_by_category"].values())
    assert 0 < s["budget_spent_fen"] <= s["budget_fen"]
    assert s["budget_spent_fen"] == sum(s["spent_by_pool_fen"].values())
    assert s["envelopes_granted"] > 0
    assert s["chats"] >= s["envelopes_granted"]
    assert 0.0 <= s["on_time_pct"] <= 100.0
    assert 0.0 < s["accelerator_utilization_pct"] <= 100.0
    assert s["vans"] == 8


def test_report_and_replay_written(cli_run: tuple[dict[str, Any], Path]) -> None:
    """report.html embeds six plots and the run's figures; replay.json replays."""
    s, out = cli_run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 6
    assert f"<th>orders</th><td>{s['orders']}</td>" in html
    replay = DrillReplay.load(out)
    assert replay.totals(24 * 60.0)["orders"] == s["orders"]
    assert len(replay.vans(600.0)) == s["vans"]


def test_same_seed_same_figures(cli_run: tuple[dict[str, Any], Path]) -> None:
    """The same seed in-process reproduces the CLI's figures (timings aside)."""
    s, _ = cli_run
    again = run_drill(DrillConfig.build(scale="tiny", seed=SEED)).summary
    assert {k: v for k, v in s.items() if k not in TIMING} == {
        k: v for k, v in again.items() if k not in TIMING
    }
