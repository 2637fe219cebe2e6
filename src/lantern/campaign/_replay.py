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

That schedule names the built-in scenario's drops. Any other scenario (a file, ``example``)
runs a generic day over its own calendar and drops: users join over the first week (or the
whole campaign when it is shorter); at 00:30, 10:00, 15:00 and 20:30 each active user (and
each user on their joining day) claims one drop open at that moment, chosen at random;
invited users trigger a referral on their joining day when the scenario has referral drops;
orders, refunds and cash spending follow at 12:00, 18:00 and 21:00 as above.

Refusals (quota, pacing, exhausted drops) are counted by error code; they are part of the
campaign, not failures. The audit at the end decides success; a replay in which no claim
succeeded says so (:attr:`ReplayResult.warnings`).
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
from lantern.campaign._scenario import Scenario
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
    days: int = 0
    warnings: list[str] = field(default_factory=list)


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
        self,
        engine: CampaignEngine,
        clock: FakeClock,
        cid: str,
        users: int,
        seed: int,
        join_days: int = 7,
    ) -> None:
        self.engine, self.clock, self.cid = engine, clock, cid
        self.rng = random.Random(seed)
        self.ops: Counter[str] = Counter()
        self.refusals: Counter[str] = Counter()
        self.keys = 0
        self.users = self._make_users(users, join_days)
        self.captured: list[str] = []
        self.payments: list[str] = []
        self.pending_cards: set[str] = set()

    def _make_users(self, n: int, join_days: int = 7) -> list[_User]:
        weights = [0.34, 0.2, 0.14, 0.11, 0.09, 0.07, 0.05][: max(1, min(7, join_days))]
        out: list[_User] = []
        for i in range(n):
            day = self.rng.choices(range(len(weights)), weights)[0]
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
    _referrals(sim, joining)


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


GENERIC_CLAIM_TIMES = ((0, 30), (10, 0), (15, 0), (20, 30))
"""When users of a generic replay claim (Shanghai time): one open drop each, at random."""


def _claim_open_drops(sim: _Sim, scenario: Scenario, claimers: list[_User]) -> None:
    now = sim.clock.now()
    open_drops = [d.id for d in scenario.drops if not d.referral and d.starts_at <= now < d.ends_at]
    if not open_drops:
        return
    futures = [
        (
            u,
            sim.engine.submit_claim(
                sim.cid, u.uid, drop_id=sim.rng.choice(open_drops), idempotency_key=sim.key()
            ),
        )
        for u in claimers
    ]
    for user, grant in sim.wait("claim", futures):
        sim.take_grant(user, grant)


def _referrals(sim: _Sim, newcomers: list[_User]) -> None:
    by_id = {u.uid: u for u in sim.users}
    refs = [
        (u, sim.engine.submit_referral(sim.cid, u.inviter, u.uid, idempotency_key=sim.key()))
        for u in newcomers
        if u.inviter is not None
    ]
    for user, pair in sim.wait("referral", refs):
        assert isinstance(pair, ReferralGrant)
        sim.take_grant(by_id[pair.inviter.user_id], pair.inviter)
        sim.take_grant(user, pair.invitee)


def _generic_day(sim: _Sim, scenario: Scenario, index: int, day: date) -> None:
    """One day of a scenario other than the built-in one (see the module docstring)."""
    sim.at(day, 0, 5)
    sim.engine.expire(sim.cid)
    joined = [u for u in sim.users if u.join_day <= index]
    active = [u for u in joined if sim.rng.random() < u.activity]
    newcomers = [u for u in joined if u.join_day == index]
    seen = {u.uid for u in active}
    claimers = active + [u for u in newcomers if u.uid not in seen]
    for hour, minute in GENERIC_CLAIM_TIMES:
        if (hour, minute) == (15, 0):
            sim.at(day, 12)
            _orders(sim, active)
        if (hour, minute) == (20, 30):
            sim.at(day, 18)
            _refunds(sim)
        sim.at(day, hour, minute)
        _claim_open_drops(sim, scenario, claimers)
        if (hour, minute) == (10, 0) and any(d.referral for d in scenario.drops):
            _referrals(sim, newcomers)
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
    """Replay a scenario with ``users`` synthetic users: the built-in Spring Festival one (or
    a variant) on its own schedule, any other (a file, ``example``) on the generic one."""
    if not 1 <= users <= 10_000_000:
        raise CampaignError(f"--users must be 1 to 10000000, got {users}")
    base = load_scenario(name, variant)
    scale = users / base.audience_users
    scenario = load_scenario(name, variant, scale=scale)
    scenario = scenario.model_copy(update={"id": f"{scenario.id}-replay"})
    days = scenario.calendar.days()
    built_in = name == "spring-festival-2026"  # the schedule that names its drops
    clock = FakeClock(scenario.calendar.opens_at())
    started = clock_time.perf_counter()
    with CampaignEngine.open(url, clock=clock, batch_max=2000) as engine:
        engine.load(scenario, replace=True)
        sim = _Sim(engine, clock, scenario.id, users, seed, join_days=7 if built_in else len(days))
        for index, day in enumerate(days):
            if built_in:
                _day(sim, index, day)
            else:
                _generic_day(sim, scenario, index, day)
            if on_day is not None:
                on_day(day)
        clock.set(scenario.calendar.closes_at() + timedelta(minutes=30))
        engine.expire(scenario.id)
        status, report = engine.status(scenario.id), engine.audit(scenario.id)
    warnings = []
    if sim.ops["claim"] + sim.ops["referral"] == 0:
        refused = ", ".join(f"{code} {n:,}" for code, n in sim.refusals.most_common()) or "none"
        warnings.append(
            f"no claim succeeded in the whole replay (refusals: {refused}); check the "
            "scenario's drop windows, quotas and pacing"
        )
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
        days=len(days),
        warnings=warnings,
    )
