"""Replay a campaign with synthetic users over its calendar, on a fake clock.

The scenario is scaled to the number of users (``users / audience_users``) and loaded as
``<id>-replay`` (replacing an earlier replay, never touching a live campaign). Each day runs a
few steps at fixed Shanghai times; each step submits every user's requests at once (the group
committer batches them) and waits for the answers:

- 00:05 expire vouchers; on New Year's Eve 00:30 the midnight cash drop;
- 10:00 wave 1: new users claim the free-order card, invited ones with a referral;
  wave 2: active users claim a voucher of one category;
- 12:00 active users pay orders with a voucher (reserve, then 90% capture, 10% release);
- 18:00 3% of captured orders are refunded;
- 20:30 wave 2: active users claim the day's cash envelope;
- 21:00 users with wallet cash pay part of an order with it (5% refunded later).

Refusals (quota, pacing, exhausted drops) are counted by error code; they are part of the
campaign, not failures. The audit at the end decides success.
"""

from __future__ import annotations

import random
import time as clock_time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from lantern.campaign._builtin import load_scenario
from lantern.campaign._engine import CampaignEngine
from lantern.campaign._types import AuditReport, CampaignStatus, Grant, ReferralGrant
from lantern.campaign.errors import CampaignError
from lantern.clock import SHANGHAI, FakeClock

__all__ = ["ReplayResult", "replay"]

EVE = date(2026, 2, 16)


@dataclass
class ReplayResult:
    """What a replay did and the audit it ended with."""

    campaign_id: str
    users: int
    seed: int
    scale: float
    elapsed_s: float
    ops: Counter[str]
    refusals: Counter[str]
    status: CampaignStatus
    audit: AuditReport


@dataclass
class _User:
    uid: str
    join_day: int
    activity: float
    inviter: str | None
    vouchers: list[tuple[str, str, int, int]] = field(default_factory=list)  # id, cat, thr, value
    cash_fen: int = 0


class _Sim:
    def __init__(
        self, engine: CampaignEngine, clock: FakeClock, cid: str, users: int, seed: int
    ) -> None:
        self.engine, self.clock, self.cid = engine, clock, cid
        self.rng = random.Random(seed)
        self.ops: Counter[str] = Counter()
        self.refusals: Counter[str] = Counter()
        self.keys = 0
        self.users = self._make_users(users)
        self.captured: list[str] = []
        self.payments: list[str] = []
        self.pending_cards: set[str] = set()

    def _make_users(self, n: int) -> list[_User]:
        weights = [0.34, 0.2, 0.14, 0.11, 0.09, 0.07, 0.05]
        out: list[_User] = []
        for i in range(n):
            day = self.rng.choices(range(7), weights)[0]
            earlier = [u for u in out[-200:] if u.join_day <= day]
            inviter = self.rng.choice(earlier).uid if earlier and self.rng.random() < 0.4 else None
            out.append(_User(f"user-{i:07d}", day, self.rng.uniform(0.02, 0.14), inviter))
        return out

    def key(self) -> str:
        self.keys += 1
        return f"replay-{self.keys}"

    def at(self, day: date, hour: int, minute: int = 0) -> None:
        when = datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)
        if when > self.clock.now():
            self.clock.set(when)

    def wait(self, op: str, futures: list[tuple[Any, Future[Any]]]) -> list[tuple[Any, Any]]:
        """Wait for a step's answers: (context, result) of each success."""
        done = []
        for ctx, future in futures:
            try:
                result = future.result()
            except CampaignError as exc:
                self.refusals[exc.code] += 1
                continue
            self.ops[op] += 1
            done.append((ctx, result))
        return done

    def take_grant(self, user: _User, grant: Grant) -> None:
        if grant.voucher is not None:
            v = grant.voucher
            user.vouchers.append((v.voucher_id, v.category, v.threshold_fen, v.value_fen))
        else:
            user.cash_fen += grant.amount_fen


def _wave1(sim: _Sim, day_index: int, day: date) -> None:
    e, cid = sim.engine, sim.cid
    joining = [u for u in sim.users if u.join_day == day_index]
    retry = [u for u in sim.users if u.uid in sim.pending_cards]
    claims = [
        (u, e.submit_claim(cid, u.uid, drop_id="welcome-card", idempotency_key=sim.key()))
        for u in joining + retry
    ]
    sim.pending_cards.clear()
    got = {u.uid for u, _ in claims}
    for user, grant in sim.wait("claim", claims):
        sim.take_grant(user, grant)
        got.discard(user.uid)
    sim.pending_cards |= got  # refused (pacing): retry tomorrow
    by_id = {u.uid: u for u in sim.users}
    refs = [
        (u, e.submit_referral(cid, u.inviter, u.uid, idempotency_key=sim.key()))
        for u in joining
        if u.inviter is not None
    ]
    for user, pair in sim.wait("referral", refs):
        assert isinstance(pair, ReferralGrant)
        sim.take_grant(by_id[pair.inviter.user_id], pair.inviter)
        sim.take_grant(user, pair.invitee)


def _vouchers(sim: _Sim, day: date, active: list[_User]) -> None:
    tag = day.strftime("%m%d")
    prefixes = ["food", "fun", "leisure"]
    futures = []
    for user in active:
        if sim.rng.random() < 0.6:
            drop = f"{sim.rng.choice(prefixes)}-{tag}"
            futures.append(
                (
                    user,
                    sim.engine.submit_claim(
                        sim.cid, user.uid, drop_id=drop, idempotency_key=sim.key()
                    ),
                )
            )
    for user, grant in sim.wait("claim", futures):
        sim.take_grant(user, grant)


def _orders(sim: _Sim, active: list[_User]) -> None:
    e, rng = sim.engine, sim.rng
    futures = []
    for user in active:
        if not user.vouchers or rng.random() < 0.3:
            continue
        vid, category, threshold, value = user.vouchers.pop(0)
        total = max(threshold, value // 2) + rng.randrange(100, 4000)
        futures.append(
            (
                user,
                e.submit_reserve(
                    sim.cid,
                    vid,
                    user.uid,
                    order_id=f"order-{sim.keys}",
                    order_total_fen=total,
                    merchant_id=f"merchant-{rng.randrange(500)}",
                    category=category,
                    idempotency_key=sim.key(),
                ),
            )
        )
    reserved = sim.wait("reserve", futures)
    resolves = []
    for _, res in reserved:
        if rng.random() < 0.9:
            resolves.append(
                (
                    "capture",
                    res.reservation_id,
                    e.submit_capture(sim.cid, res.reservation_id, idempotency_key=sim.key()),
                )
            )
        else:
            resolves.append(
                (
                    "release",
                    res.reservation_id,
                    e.submit_release(sim.cid, res.reservation_id, idempotency_key=sim.key()),
                )
            )
    for op, rid, future in resolves:
        for _, _ in sim.wait(op, [(rid, future)]):
            if op == "capture":
                sim.captured.append(rid)


def _refunds(sim: _Sim) -> None:
    e, rng = sim.engine, sim.rng
    picks = [rid for rid in sim.captured if rng.random() < 0.03]
    pays = [pid for pid in sim.payments if rng.random() < 0.05]
    sim.captured, sim.payments = [], []
    futures = [
        (rid, e.submit_refund(sim.cid, reservation_id=rid, idempotency_key=sim.key()))
        for rid in picks
    ]
    futures += [
        (pid, e.submit_refund(sim.cid, payment_id=pid, idempotency_key=sim.key())) for pid in pays
    ]
    sim.wait("refund", futures)


def _cash(sim: _Sim, drop: str, users: list[_User]) -> None:
    futures = [
        (u, sim.engine.submit_claim(sim.cid, u.uid, drop_id=drop, idempotency_key=sim.key()))
        for u in users
    ]
    for user, grant in sim.wait("claim", futures):
        sim.take_grant(user, grant)


def _spend(sim: _Sim, active: list[_User]) -> None:
    futures = []
    for user in active:
        if user.cash_fen >= 200 and sim.rng.random() < 0.5:
            amount = sim.rng.randrange(100, user.cash_fen)
            user.cash_fen -= amount
            futures.append(
                (
                    user,
                    sim.engine.submit_spend_cash(
                        sim.cid,
                        user.uid,
                        amount,
                        order_id=f"order-{sim.keys}",
                        merchant_id=f"merchant-{sim.rng.randrange(500)}",
                        idempotency_key=sim.key(),
                    ),
                )
            )
    for _, payment in sim.wait("spend_cash", futures):
        sim.payments.append(payment.payment_id)


def _day(sim: _Sim, index: int, day: date) -> None:
    sim.at(day, 0, 5)
    sim.engine.expire(sim.cid)
    wave2 = day >= date(2026, 2, 13)
    if day == EVE:
        sim.at(day, 0, 30)
        _cash(sim, "cash-eve-midnight", [u for u in sim.users if sim.rng.random() < 0.3])
    joined = [u for u in sim.users if u.join_day <= index]
    active = [u for u in joined if sim.rng.random() < u.activity]
    sim.at(day, 10)
    if wave2:
        _vouchers(sim, day, active)
    else:
        _wave1(sim, index, day)
    sim.at(day, 12)
    _orders(sim, active)
    sim.at(day, 18)
    _refunds(sim)
    if wave2:
        sim.at(day, 20, 30)
        _cash(sim, f"cash-{day:%m%d}", active)
    sim.at(day, 21)
    _spend(sim, active)


def replay(
    url: str,
    name: str = "spring-festival-2026",
    variant: str | None = None,
    *,
    users: int = 10_000,
    seed: int = 2026,
    on_day: Callable[[date], None] | None = None,
) -> ReplayResult:
    """Replay the built-in Spring Festival scenario (or a variant) with ``users`` users."""
    if not 1 <= users <= 10_000_000:
        raise CampaignError(f"--users must be 1 to 10000000, got {users}")
    base = load_scenario(name, variant)
    scale = users / base.audience_users
    scenario = load_scenario(name, variant, scale=scale)
    scenario = scenario.model_copy(update={"id": f"{scenario.id}-replay"})
    clock = FakeClock(scenario.calendar.opens_at())
    started = clock_time.perf_counter()
    with CampaignEngine.open(url, clock=clock, batch_max=2000) as engine:
        engine.load(scenario, replace=True)
        sim = _Sim(engine, clock, scenario.id, users, seed)
        for index, day in enumerate(scenario.calendar.days()):
            _day(sim, index, day)
            if on_day is not None:
                on_day(day)
        clock.set(scenario.calendar.closes_at() + timedelta(minutes=30))
        engine.expire(scenario.id)
        status, report = engine.status(scenario.id), engine.audit(scenario.id)
    return ReplayResult(
        scenario.id,
        users,
        seed,
        scale,
        clock_time.perf_counter() - started,
        sim.ops,
        sim.refusals,
        status,
        report,
    )
