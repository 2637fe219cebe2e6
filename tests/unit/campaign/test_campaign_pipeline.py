"""The pipelined SQLite committer: batch k+1 prepared during batch k's commit must never act
on stale state, whether the change came from this engine or from another connection."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from lantern.campaign import CampaignEngine, CampaignFrozen, Scenario
from lantern.clock import FakeClock

CID = "example"


def test_another_writer_is_noticed(
    engine: CampaignEngine, sqlite_url: str, clock: FakeClock
) -> None:
    """A freeze committed by another engine (another connection) between two batches is
    seen by the next batch, although that batch was prepared from cached state."""
    engine.claim(CID, "u1", drop_id="cards", idempotency_key="k1")
    engine.claim(CID, "u2", drop_id="cards", idempotency_key="k2")
    with CampaignEngine(sqlite_url, clock=clock) as other:
        other.freeze(CID, reason="from elsewhere")
    with pytest.raises(CampaignFrozen, match="from elsewhere"):
        engine.claim(CID, "u3", drop_id="cards", idempotency_key="k3")
    assert engine.audit(CID).passed


def test_waves_of_dependent_requests(
    sqlite_url: str, clock: FakeClock, scenario: Scenario, feb: Callable[..., datetime]
) -> None:
    """Claims, then reservations of the vouchers just granted, then captures and cash
    payments, in overlapping waves: every answer is right, batches are pipelined, audit passes."""
    with CampaignEngine.open(sqlite_url, clock=clock, batch_max=8) as engine:
        engine.load(scenario)
        clock.set(feb(13, 21))
        cash = [
            engine.submit_claim(CID, f"c{i}", drop_id="cash-13", idempotency_key=f"c{i}")
            for i in range(20)
        ]
        food = [
            engine.submit_claim(CID, f"f{i}", drop_id="food", idempotency_key=f"f{i}")
            for i in range(30)
        ]
        grants = [f.result() for f in cash + food]
        assert sum(g.amount_fen for g in grants[:20]) == 10_000
        holds = [
            engine.submit_reserve(
                CID,
                g.voucher.voucher_id,
                g.user_id,
                order_id=f"o{i}",
                order_total_fen=1_500,
                merchant_id="m1",
                category="gastronomy",
                idempotency_key=f"r{i}",
            )
            for i, g in enumerate(grants[20:])
            if g.voucher is not None
        ]
        pays = [
            engine.submit_spend_cash(
                CID,
                g.user_id,
                g.amount_fen,
                order_id=f"p{i}",
                merchant_id="m2",
                idempotency_key=f"p{i}",
            )
            for i, g in enumerate(grants[:20])
        ]
        reservations = [h.result() for h in holds]
        assert all(p.result().state == "paid" for p in pays)
        captures = [
            engine.submit_capture(CID, r.reservation_id, idempotency_key=f"x{r.order_id}")
            for r in reservations
        ]
        assert all(c.result().state == "captured" for c in captures)
        status = engine.status(CID)
        assert status.settled_fen == 10_000 + 30 * 300
        assert all(engine.wallet(CID, f"c{i}").cash_fen == 0 for i in range(20))
        assert engine.audit(CID).passed
        committer = engine._core.committers[0]
        assert getattr(committer, "prepared_batches", 0) > 0
