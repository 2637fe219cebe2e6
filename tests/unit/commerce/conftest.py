"""Commerce fixtures: a fake clock at lunchtime of the campaign, fake payments, SQLite."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import structlog

from lantern.clock import SHANGHAI, FakeClock
from lantern.commerce import (
    Commerce,
    FakeDeliveryGateway,
    FakePayments,
    OrderStore,
    VoucherOption,
    make_engine,
)

LUNCH = datetime(2026, 2, 10, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fresh_logging() -> None:
    """A CLI test run earlier may have pointed structlog at a captured, now closed stream."""
    structlog.reset_defaults()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(LUNCH)


@pytest.fixture
def payments() -> FakePayments:
    card = VoucherOption("V-25", "gastronomy", 2500, 0, (), datetime(2026, 2, 28, tzinfo=SHANGHAI))
    return FakePayments(vouchers={"u1": [card]}, cash_fen={"u1": 1000})


@pytest.fixture
def gateway() -> FakeDeliveryGateway:
    return FakeDeliveryGateway()


@pytest.fixture
def commerce(
    tmp_path: Path, payments: FakePayments, gateway: FakeDeliveryGateway, clock: FakeClock
) -> Commerce:
    store = OrderStore(make_engine(f"sqlite:///{tmp_path / 'commerce.db'}"))
    return Commerce(store, payments, delivery=gateway, clock=clock)
