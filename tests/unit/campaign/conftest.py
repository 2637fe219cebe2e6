"""Fixtures of the campaign tests: a fresh SQLite file or PostgreSQL schema, a fake clock,
the small example scenario and an open engine."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy

from lantern.campaign import CampaignEngine, Scenario, load_scenario
from lantern.clock import SHANGHAI, FakeClock


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file of its own for one test."""
    return f"sqlite:///{tmp_path / 'campaign.db'}"


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    """A schema of its own on the test PostgreSQL server, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in postgres_url else "?"
    yield f"{postgres_url}{sep}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """Wave 1 is open: 6 Feb 2026, 09:00 in Shanghai."""
    return FakeClock(datetime(2026, 2, 6, 9, tzinfo=SHANGHAI))


@pytest.fixture
def scenario() -> Scenario:
    """The shipped example scenario (cards, referral cards, threshold vouchers, cash)."""
    return load_scenario("example")


@pytest.fixture
def engine(sqlite_url: str, clock: FakeClock, scenario: Scenario) -> Iterator[CampaignEngine]:
    """An engine on a fresh SQLite file with the example campaign loaded."""
    with CampaignEngine.open(sqlite_url, clock=clock) as eng:
        eng.load(scenario)
        yield eng


def feb(day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A time on February ``day`` 2026 in Shanghai."""
    return datetime(2026, 2, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(name="feb")
def _feb() -> object:
    """``feb(day, hour=12, minute=0)``: a time in February 2026, Shanghai."""
    return feb
