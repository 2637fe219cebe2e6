"""End to end: the paper's replay on the shipped default trace lands on the published figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lantern.cli.app import app
from lantern.compute import PUBLISHED

SEEDS = "42,43,44,45,46,47,48,49,50,51"


@pytest.mark.slow
@pytest.mark.parametrize(("policy", "margin_pp"), [("FGD", 0.2), ("BestFit", 0.5)])
def test_default_trace_matches_published(policy: str, margin_pp: float) -> None:
    """10 seeds of `lantern compute replay` on the shipped trace: FGD within 0.2 points of
    the paper's 4.61% (or better), BestFit within 0.5 of 6.92%."""
    result = CliRunner().invoke(
        app, ["compute", "replay", "--policy", policy, "--seeds", SEEDS, "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    published = PUBLISHED["default"][policy]
    delta = out["unallocated_gpu_pct_mean"] - published
    assert delta <= margin_pp if policy == "FGD" else abs(delta) <= margin_pp
    assert len(out["unallocated_gpu_pct_per_seed"]) == 10


@pytest.mark.slow
def test_variant_from_shared_data(shared_data: Path) -> None:
    """A variant read from ../shared/data (multigpu30: trimmed down to 130%) within margin."""
    pods = shared_data / "alibaba-gpu-v2023" / "openb_pod_list_multigpu30.csv"
    result = CliRunner().invoke(
        app,
        ["compute", "replay", "--pods", str(pods), "--policy", "FGD", "--seeds", SEEDS, "--json"],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    assert out["unallocated_gpu_pct_mean"] - PUBLISHED["multigpu30"]["FGD"] <= 0.2
