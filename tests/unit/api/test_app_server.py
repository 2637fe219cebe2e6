"""Server-process settings of the app: the garbage collector after start-up."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lantern.api import create_app
from lantern.api.app import GC_THRESHOLDS
from lantern.campaign import CampaignEngine, Scenario
from lantern.clock import FakeClock
from tests.unit.api.api_support import OPEN_AT, make_settings, scenario_data


@pytest.fixture
def restore_gc() -> Iterator[None]:
    """Put the collector back as it was (thresholds, nothing frozen) after the test."""
    thresholds = gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    gc.unfreeze()


@pytest.mark.usefixtures("restore_gc")
def test_freeze_gc_raises_thresholds_only_for_servers(tmp_path: Path) -> None:
    """With ``freeze_gc`` the lifespan raises the collector's thresholds to GC_THRESHOLDS;
    without it (tests, embedded use) they stay as the process had them."""
    settings = make_settings(tmp_path, 1000.0)
    engine = CampaignEngine.open(settings.database_url, clock=FakeClock(OPEN_AT))
    try:
        engine.load(Scenario.model_validate(scenario_data()))
        before = gc.get_threshold()
        with TestClient(create_app(settings, campaign_engine=engine)):
            assert gc.get_threshold() == before
        assert before != GC_THRESHOLDS
        with TestClient(create_app(settings, campaign_engine=engine, freeze_gc=True)) as client:
            assert gc.get_threshold() == GC_THRESHOLDS
            assert gc.get_freeze_count() > 0
            assert client.get("/healthz").json() == {"status": "ok"}
    finally:
        engine.close()
