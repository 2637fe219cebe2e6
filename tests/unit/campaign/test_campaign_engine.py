"""Engine operations: grants, idempotency, quotas, pacing, redemption, errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy

from lantern.campaign import (
    BudgetExhausted,
    CampaignEngine,
    CampaignFrozen,
    CampaignNotActive,
    DropNotOpen,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidRequest,
    NotFoundError,
    PacingLimit,
    QuotaExceeded,
    ReferralNotAllowed,
    ReservationResolved,
    VoucherNotUsable,
)
from lantern.campaign._schema import metadata
from lantern.clock import FakeClock

CID = "example"
Feb = Callable[..., datetime]


def snapshot(engine: CampaignEngine) -> dict[str, Any]:
    """Row counts of every campaign table and every cached balance."""
    db = sqlalchemy.create_engine(engine.url)
    with db.connect() as conn:
        out: dict[str, Any] = {
            t.name: conn.execute(sqlalchemy.select(sqlalchemy.func.count()).select_from(t)).scalar()
            for t in metadata.sorted_tables
        }
        out["balances"] = sorted(
            conn.exec_driver_sql("SELECT account, balance_fen FROM cmp_account").all()
        )
        out["states"] = sorted(
            conn.exec_driver_sql("SELECT voucher_id, state FROM cmp_voucher").all()
        )
    db.dispose()
    return out


def test_claim_issues_a_voucher_and_retry_returns_the_same_grant(engine: CampaignEngine) -> None:
    """A lost response retried with the same key gets the identical grant, nothing new."""
    grant = engine.claim(CID, "alice", drop_id="cards", idempotency_key="k1")
    before = snapshot(engine)
    again = engine.claim(CID, "alice", drop_id="cards", idempotency_key="k1")
    assert again == grant
    assert grant.voucher is not None
    assert grant.voucher.value_fen == 500
    assert snapshot(engine) == before
    assert engine.audit(CID).passed


def test_same_key_other_payload_is_a_conflict(engine: CampaignEngine) -> None:
    """Reusing a key for another request raises IdempotencyConflict and changes nothing."""
    engine.claim(CID, "alice", drop_id="cards", idempotency_key="k1")
    before = snapshot(engine)
    with pytest.raises(IdempotencyConflict):
        engine.claim(CID, "bob", drop_id="cards", idempotency_key="k1")
    assert snapshot(engine) == before


def test_cash_claim_credits_the_wallet(engine: CampaignEngine, clock: FakeClock, feb: Feb) -> None:
    """A cash envelope lands in the wallet; spending pays the merchant; refund returns it."""
    clock.set(feb(13, 20, 30))
    grant = engine.claim(CID, "alice", idempotency_key="c1")
    assert grant.kind == "cash"
    assert 1 <= grant.amount_fen <= 2_000
    assert engine.wallet(CID, "alice").cash_fen == grant.amount_fen
    pay = engine.spend_cash(
        CID, "alice", grant.amount_fen, order_id="o1", merchant_id="m1", idempotency_key="s1"
    )
    assert engine.wallet(CID, "alice").cash_fen == 0
    with pytest.raises(InsufficientFunds):
        engine.spend_cash(CID, "alice", 1, order_id="o2", merchant_id="m1", idempotency_key="s2")
    engine.refund(CID, payment_id=pay.payment_id, idempotency_key="r1")
    assert engine.wallet(CID, "alice").cash_fen == grant.amount_fen
    with pytest.raises(ReservationResolved):
        engine.refund(CID, payment_id=pay.payment_id, idempotency_key="r2")
    assert engine.audit(CID).passed


def test_drop_is_exhausted_exactly(engine: CampaignEngine, clock: FakeClock, feb: Feb) -> None:
    """20 envelopes sum exactly to the drop's total; the 21st claim is refused."""
    clock.set(feb(13, 21))
    grants = [
        engine.claim(CID, f"u{i}", drop_id="cash-13", idempotency_key=f"k{i}") for i in range(20)
    ]
    assert sum(g.amount_fen for g in grants) == 10_000
    with pytest.raises(BudgetExhausted):
        engine.claim(CID, "late", drop_id="cash-13", idempotency_key="late")
    assert engine.audit(CID).passed


def test_quotas(engine: CampaignEngine) -> None:
    """Per-drop quota and a quota over several drops (cards-total: 3) are enforced."""
    engine.claim(CID, "alice", drop_id="cards", idempotency_key="a1")
    with pytest.raises(QuotaExceeded, match="cards"):
        engine.claim(CID, "alice", drop_id="cards", idempotency_key="a2")
    engine.grant_referral(CID, "alice", "bob", idempotency_key="r1")
    engine.grant_referral(CID, "alice", "carol", idempotency_key="r2")
    with pytest.raises(QuotaExceeded):
        engine.grant_referral(CID, "alice", "dave", idempotency_key="r3")
    assert engine.audit(CID).passed


def test_referral_rules(engine: CampaignEngine) -> None:
    """Both sides get a card; no self-invitation; an invitee is invited once."""
    pair = engine.grant_referral(CID, "alice", "bob", idempotency_key="r1")
    assert (pair.inviter.user_id, pair.invitee.user_id) == ("alice", "bob")
    assert engine.grant_referral(CID, "alice", "bob", idempotency_key="r1") == pair
    with pytest.raises(ReferralNotAllowed):
        engine.grant_referral(CID, "carol", "carol", idempotency_key="r2")
    with pytest.raises(ReferralNotAllowed):
        engine.grant_referral(CID, "carol", "bob", idempotency_key="r3")


def test_pacing_limits_the_day(engine: CampaignEngine) -> None:
    """With a plan of 1,000 fen for the day, only two 5-yuan cards are granted."""
    engine.set_pacing(CID, "gastronomy", {"2026-02-06": 1_000, "2026-02-13": 59_000})
    engine.claim(CID, "u1", drop_id="cards", idempotency_key="k1")
    engine.claim(CID, "u2", drop_id="cards", idempotency_key="k2")
    with pytest.raises(PacingLimit):
        engine.claim(CID, "u3", drop_id="cards", idempotency_key="k3")
    status = engine.status(CID)
    day = next(d for d in status.days if d.pool == "gastronomy" and str(d.day) == "2026-02-06")
    assert day.spent_fen == 1_000 == day.plan_fen
    assert engine.audit(CID).passed


def test_a_pacing_plan_over_the_pool_budget_is_refused(engine: CampaignEngine) -> None:
    """set_pacing with more fen than the pool holds is refused (InvalidAmount, both figures)
    and leaves the plan and the ledger as they were."""
    before = engine.status(CID)
    with pytest.raises(InvalidAmount, match=r"over the pool's budget"):
        engine.set_pacing(CID, "gastronomy", {"2026-02-06": 10**9})
    assert engine.status(CID) == before
    assert engine.audit(CID).passed


def test_unspent_plan_rolls_forward(engine: CampaignEngine, clock: FakeClock, feb: Feb) -> None:
    """Plan unspent on 6 Feb can be spent on 7 Feb (effective plan = plan + carry)."""
    engine.set_pacing(
        CID, "gastronomy", {"2026-02-06": 1_000, "2026-02-07": 0, "2026-02-13": 59_000}
    )
    clock.set(feb(7))
    engine.claim(CID, "u1", drop_id="cards", idempotency_key="k1")
    engine.claim(CID, "u2", drop_id="cards", idempotency_key="k2")
    with pytest.raises(PacingLimit):
        engine.claim(CID, "u3", drop_id="cards", idempotency_key="k3")


def test_voucher_flow_and_rules(engine: CampaignEngine, clock: FakeClock, feb: Feb) -> None:
    """Threshold, merchant, category, owner and single use are enforced; capture settles."""
    clock.set(feb(13, 11))
    v = engine.claim(CID, "alice", drop_id="food", idempotency_key="g").voucher
    assert v is not None
    assert v.threshold_fen == 1_000
    ok: dict[str, Any] = {
        "order_id": "o1",
        "order_total_fen": 1_500,
        "merchant_id": "m1",
        "category": "gastronomy",
    }
    cases: list[tuple[str, dict[str, Any]]] = [
        ("bob", {"order_total_fen": 1_500}),
        ("alice", {"order_total_fen": 999}),
        ("alice", {"merchant_id": "m9"}),
        ("alice", {"category": "leisure"}),
    ]
    before = snapshot(engine)
    for n, (user, change) in enumerate(cases):
        with pytest.raises(VoucherNotUsable):
            engine.reserve_voucher(
                CID, v.voucher_id, user, **(ok | change), idempotency_key=f"bad{n}"
            )
    assert snapshot(engine) == before
    res = engine.reserve_voucher(CID, v.voucher_id, "alice", **ok, idempotency_key="r1")
    assert res.discount_fen == 300
    with pytest.raises(VoucherNotUsable, match="reserved"):
        engine.reserve_voucher(CID, v.voucher_id, "alice", **ok, idempotency_key="r2")
    engine.release(CID, res.reservation_id, idempotency_key="rel")
    with pytest.raises(ReservationResolved):
        engine.capture(CID, res.reservation_id, idempotency_key="cap0")
    res2 = engine.reserve_voucher(CID, v.voucher_id, "alice", **ok, idempotency_key="r3")
    engine.capture(CID, res2.reservation_id, idempotency_key="cap")
    assert engine.capture(CID, res2.reservation_id, idempotency_key="cap").state == "captured"
    with pytest.raises(ReservationResolved):
        engine.release(CID, res2.reservation_id, idempotency_key="rel2")
    assert engine.status(CID).settled_fen == 300
    engine.refund(CID, reservation_id=res2.reservation_id, idempotency_key="ref")
    assert engine.status(CID).settled_fen == 0
    assert engine.audit(CID).passed


def test_discount_never_exceeds_the_order(engine: CampaignEngine) -> None:
    """A 5-yuan card on a 3-yuan order discounts 3 yuan; the rest lapses to expired."""
    v = engine.claim(CID, "alice", drop_id="cards", idempotency_key="g").voucher
    assert v is not None
    res = engine.reserve_voucher(
        CID,
        v.voucher_id,
        "alice",
        order_id="o",
        order_total_fen=300,
        merchant_id="m5",
        category="gastronomy",
        idempotency_key="r",
    )
    assert res.discount_fen == 300
    engine.capture(CID, res.reservation_id, idempotency_key="c")
    status = engine.status(CID)
    assert (status.settled_fen, status.expired_fen) == (300, 200)
    assert engine.audit(CID).passed


def test_expiry(engine: CampaignEngine, clock: FakeClock, feb: Feb) -> None:
    """One-day vouchers expire; after the end, unclaimed money expires; budget still adds up."""
    clock.set(feb(13, 11))
    v = engine.claim(CID, "alice", drop_id="food", idempotency_key="g").voucher
    assert v is not None
    clock.set(feb(14, 12))
    result = engine.expire(CID)
    assert (result.vouchers_expired, result.voucher_fen, result.unclaimed_fen) == (1, 300, 0)
    with pytest.raises(VoucherNotUsable, match="expired"):
        engine.reserve_voucher(
            CID,
            v.voucher_id,
            "alice",
            order_id="o",
            order_total_fen=2_000,
            merchant_id="m1",
            category="gastronomy",
            idempotency_key="r",
        )
    clock.set(feb(24, 1))
    end = engine.expire(CID)
    status = engine.status(CID)
    assert status.remaining_fen == 0
    assert end.unclaimed_fen > 0
    assert status.expired_fen == status.budget_fen
    with pytest.raises(CampaignNotActive):
        engine.claim(CID, "bob", idempotency_key="late")
    assert engine.audit(CID).passed


def test_freeze(engine: CampaignEngine) -> None:
    """A frozen campaign refuses grants until unfrozen."""
    engine.freeze(CID, reason="incident 42")
    with pytest.raises(CampaignFrozen, match="incident 42"):
        engine.claim(CID, "alice", drop_id="cards", idempotency_key="k")
    assert engine.status(CID).frozen
    engine.unfreeze(CID)
    assert engine.claim(CID, "alice", drop_id="cards", idempotency_key="k").amount_fen == 500


def test_windows(engine: CampaignEngine, clock: FakeClock, feb: Feb) -> None:
    """Drops outside their window and campaigns outside their calendar refuse claims."""
    with pytest.raises(DropNotOpen):
        engine.claim(CID, "alice", drop_id="cash-13", idempotency_key="k1")
    clock.set(feb(13, 9))
    with pytest.raises(DropNotOpen):
        engine.claim(CID, "alice", idempotency_key="k2")
    with pytest.raises(NotFoundError):
        engine.claim(CID, "alice", drop_id="nope", idempotency_key="k3")
    with pytest.raises(InvalidRequest, match="referral"):
        engine.claim(CID, "alice", drop_id="ref-cards", idempotency_key="k4")


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        (0, InvalidAmount),
        (-5, InvalidAmount),
        (1.5, InvalidAmount),
        (10**15, InvalidAmount),
        (True, InvalidAmount),
        ("100", InvalidAmount),
    ],
)
def test_bad_amounts_change_nothing(
    engine: CampaignEngine, clock: FakeClock, feb: Feb, amount: Any, error: type[Exception]
) -> None:
    """Zero, negative, fractional, huge or non-integer amounts are refused before any write."""
    clock.set(feb(13, 21))
    engine.claim(CID, "alice", drop_id="cash-13", idempotency_key="c")
    before = snapshot(engine)
    with pytest.raises(error):
        engine.spend_cash(CID, "alice", amount, order_id="o", merchant_id="m", idempotency_key="s")
    with pytest.raises(error):
        engine.reserve_voucher(
            CID,
            "v0",
            "alice",
            order_id="o",
            order_total_fen=amount,
            merchant_id="m",
            category="gastronomy",
            idempotency_key="r",
        )
    assert snapshot(engine) == before


def test_unknown_things_are_not_found(engine: CampaignEngine) -> None:
    """Unknown campaign, voucher, reservation or payment: NOT_FOUND, no change."""
    before = snapshot(engine)
    with pytest.raises(NotFoundError):
        engine.claim("other", "alice", idempotency_key="k")
    with pytest.raises(NotFoundError):
        engine.reserve_voucher(
            CID,
            "vnope",
            "alice",
            order_id="o",
            order_total_fen=100,
            merchant_id="m",
            category="gastronomy",
            idempotency_key="k2",
        )
    with pytest.raises(NotFoundError):
        engine.capture(CID, "rnope", idempotency_key="k3")
    with pytest.raises(NotFoundError):
        engine.refund(CID, payment_id="pnope", idempotency_key="k4")
    with pytest.raises(NotFoundError):
        engine.status("other")
    with pytest.raises(InvalidRequest):
        engine.claim(CID, "", idempotency_key="k5")
    with pytest.raises(InvalidRequest):
        engine.claim(CID, "alice", idempotency_key="")
    with pytest.raises(InvalidRequest):
        engine.refund(CID, idempotency_key="k6")
    assert snapshot(engine) == before


def test_error_codes_and_statuses() -> None:
    """Every error has a stable code and an HTTP status."""
    assert (BudgetExhausted.code, BudgetExhausted.http_status) == ("BUDGET_EXHAUSTED", 409)
    assert (IdempotencyConflict.code, IdempotencyConflict.http_status) == (
        "IDEMPOTENCY_CONFLICT",
        409,
    )
    assert (CampaignFrozen.code, NotFoundError.http_status) == ("CAMPAIGN_FROZEN", 404)
    assert issubclass(DropNotOpen, CampaignNotActive)


def test_reload_same_scenario_is_a_no_op(engine: CampaignEngine, scenario: Any) -> None:
    """Loading the same scenario twice changes nothing; a different one is refused."""
    from lantern.campaign import InvalidScenario

    before = snapshot(engine)
    engine.load(scenario)
    assert snapshot(engine) == before
    with pytest.raises(InvalidScenario, match="already loaded"):
        engine.load(scenario.model_copy(update={"title": "other"}))


def test_async_claim(engine: CampaignEngine) -> None:
    """claim_async answers on the running event loop with the same grant as a retry."""
    import asyncio

    async def main() -> None:
        grants = await asyncio.gather(
            *(
                engine.claim_async(CID, f"u{i}", drop_id="cards", idempotency_key=f"a{i}")
                for i in range(10)
            )
        )
        assert len({g.grant_id for g in grants}) == 10
        assert (
            await engine.claim_async(CID, "u0", drop_id="cards", idempotency_key="a0") == grants[0]
        )

    asyncio.run(main())
    assert engine.audit(CID).passed


def test_sharded_buckets_pay_out_exactly(sqlite_url: str, clock: FakeClock, feb: Feb) -> None:
    """With drops and pacing split into 3 buckets, the drop still pays exactly its total,
    pacing shares are borrowed across buckets, and the audit passes."""
    from lantern.campaign import load_scenario

    with CampaignEngine.open(sqlite_url, clock=clock, buckets=3) as engine:
        engine.load(load_scenario("example"))
        clock.set(feb(13, 21))
        grants = [
            engine.claim(CID, f"u{i}", drop_id="cash-13", idempotency_key=f"k{i}")
            for i in range(20)
        ]
        assert sum(g.amount_fen for g in grants) == 10_000
        with pytest.raises(BudgetExhausted):
            engine.claim(CID, "late", drop_id="cash-13", idempotency_key="late")
        engine.set_pacing(CID, "gastronomy", {"2026-02-13": 700})
        engine.claim(CID, "v1", drop_id="food", idempotency_key="f1")
        engine.claim(CID, "v2", drop_id="food", idempotency_key="f2")
        with pytest.raises(PacingLimit):
            engine.claim(CID, "v3", drop_id="food", idempotency_key="f3")
        assert engine.audit(CID).passed


def test_operator_adds_a_drop(engine: CampaignEngine, clock: FakeClock, feb: Feb) -> None:
    """A new drop is funded from the pool's unallocated budget and can be claimed; a drop
    that does not fit (duplicate id, over the pool's budget) is refused without a trace."""
    from lantern.campaign import Drop, InvalidScenario

    clock.set(feb(14, 9))
    extra = Drop(
        id="food-extra",
        pool="gastronomy",
        starts_at=feb(14, 10),
        ends_at=feb(15, 0),
        count=10,
        total_fen=3_000,
        template="food-3-over-10",
    )
    before = snapshot(engine)
    with pytest.raises(InvalidScenario, match="duplicate"):
        engine.add_drop(CID, extra.model_copy(update={"id": "food"}))
    with pytest.raises(InvalidScenario, match="over its budget"):
        engine.add_drop(CID, extra.model_copy(update={"count": 100, "total_fen": 30_000}))
    assert snapshot(engine) == before
    status = engine.add_drop(CID, extra)
    assert status.budget_fen == 200_000
    assert "food-extra" in {d.id for d in engine.scenario(CID).drops}
    engine.set_pacing(CID, "gastronomy", {"2026-02-14": 3_000})
    clock.set(feb(14, 11))
    grant = engine.claim(CID, "alice", drop_id="food-extra", idempotency_key="x1")
    assert grant.amount_fen == 300
    assert engine.audit(CID).passed
