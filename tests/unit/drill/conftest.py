"""Fixtures of the drill's unit tests: a drill run on the fake engine sides."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.drill import DrillConfig, DrillResult, run_drill
from tests.unit.drill.fakes import fake_engines


@pytest.fixture(scope="session")
def fake_run(tmp_path_factory: pytest.TempPathFactory) -> DrillResult:
    """A tiny drill on the fake sides, with its report and replay written."""
    out: Path = tmp_path_factory.mktemp("drill-fake")
    return run_drill(DrillConfig.build(scale="tiny", seed=11), out_dir=out, engines=fake_engines)
