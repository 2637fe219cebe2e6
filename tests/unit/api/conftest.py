"""Fixtures: a real campaign engine on a SQLite file, a fake clock, the app and tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lantern.api import create_app
from lantern.api.auth import TokenSigner
from lantern.api.ratelimit import RateLimiter
from lantern.campaign import CampaignEngine, Scenario
from lantern.clock import FakeClock
from tests.unit.api.api_support import OPEN_AT, TOKEN_SECRET, Api, make_settings, scenario_data


@pytest.fixture
def make_api(tmp_path: Path) -> Iterator[Callable[..., Api]]:
    """Build an :class:`Api` (optionally with another rate limit or limiter); closes all."""
    opened: list[tuple[Any, CampaignEngine]] = []

    def build(rate_per_s: float = 1000.0, rate_limiter: RateLimiter | None = None) -> Api:
        clock = FakeClock(OPEN_AT)
        settings = make_settings(tmp_path, rate_per_s)
        engine = CampaignEngine.open(settings.database_url, clock=clock)
        engine.load(Scenario.model_validate(scenario_data()))
        app = create_app(settings, campaign_engine=engine, rate_limiter=rate_limiter)
        client = TestClient(app)
        client.__enter__()
        opened.append((client, engine))
        return Api(client, engine, clock, TokenSigner(TOKEN_SECRET.encode()))

    yield build
    for client, engine in opened:
        client.__exit__(None, None, None)
        engine.close()


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    """The API with a generous rate limit."""
    return make_api()
