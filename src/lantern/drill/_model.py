"""The drill's discrete-event simulation (SimPy): users, deliveries and the cluster.

One SimPy environment, time in seconds since the window start (Asia/Shanghai midnight),
shared with the fleet engine's delivery service (its dispatcher and van processes run in
the same environment):

- ``_users``: sessions arrive along the daily curve; each user chats with the assistant,
  claims an envelope and may order (through :class:`ShopSide`: the real assistant, commerce
  and campaign engines); paid food orders go to the fleet through commerce's hand-off.
- ``_deliveries``: every minute the fleet's newly delivered orders go back to commerce.
- ``_cluster``: every bucket the chat rate of the bucket becomes the assistant's inference
  load; after the window the compute engine simulates the cluster on that load, beside
  the tenants' training jobs.
- ``_meter``: every bucket the budget spent per pool is read from the campaign engine.

The engines' clock (a :class:`~lantern.clock.FakeClock`) follows the SimPy clock.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import simpy

from lantern.clock import FakeClock
from lantern.drill._config import DrillConfig
from lantern.drill._curve import intensity_per_minute, sample_session_minutes
from lantern.drill._customers import Customer, load_customers
from lantern.drill._ports import (
    CampaignSide,
    ComputeSide,
    Delivered,
    FleetSide,
    Lang,
    SessionPlan,
    ShopSide,
)
from lantern.drill._series import Series

__all__ = ["FRAME_S", "DrillModel", "Engines", "Frame"]

LANGS: tuple[Lang, ...] = ("zh", "en", "de")
LANG_SHARES = (0.80, 0.12, 0.08)
CATEGORIES = ("gastronomy", "entertainment", "leisure")
CATEGORY_SHARES = (0.70, 0.15, 0.15)
CLAIM_SHARE = 0.85
FRAME_S = 120.0
OVERTIME_S = 6 * 3600.0  # after the window, the fleet gets this long to finish deliveries
StepFn = Callable[[float], None]
Gen = Generator[simpy.events.Event, Any, None]


@dataclass(frozen=True, slots=True)
class Engines:
    """The engine sides one drill run joins, their shared clock and SimPy environment."""

    env: simpy.Environment
    clock: FakeClock
    campaign: CampaignSide
    shop: ShopSide
    fleet: FleetSide
    compute: ComputeSide
    close: Callable[[], None] = lambda: None


@dataclass(frozen=True, slots=True)
class Frame:
    """One replay frame: minute, van positions and busy flags, running totals."""

    at_min: float
    vans: list[tuple[float, float, int]]
    totals: dict[str, int]


@dataclass(slots=True)
class _Totals:
    sessions: int = 0
    chats: int = 0
    claims_granted: int = 0
    claims_denied: int = 0
    orders: int = 0
    deliveries_submitted: int = 0
    deliveries: int = 0
    deliveries_late: int = 0
    undeliverable: int = 0
    users_seen: set[str] = field(default_factory=set)
    denied_by_code: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, int]:
        return {
            "users": len(self.users_seen),
            "sessions": self.sessions,
            "chats": self.chats,
            "claims_granted": self.claims_granted,
            "orders": self.orders,
            "deliveries_submitted": self.deliveries_submitted,
            "deliveries": self.deliveries,
            "deliveries_late": self.deliveries_late,
        }


@dataclass(slots=True)
class _DeliveryLog:
    placed_s: float
    drop: tuple[float, float]
    done_s: float | None = None
    on_time: bool | None = None


class DrillModel:
    """Builds the sessions from the seed and runs the SimPy environment over the window."""

    def __init__(
        self, config: DrillConfig, engines: Engines, progress: StepFn | None = None
    ) -> None:
        self.config = config
        self.engines = engines
        self.env = engines.env
        self.progress = progress
        self.rng = np.random.default_rng(config.seed)
        self.customers: tuple[Customer, ...] = load_customers()
        bucket_min = config.scale.metrics_bucket_min
        self.series = Series(bucket_min, config.horizon_min // bucket_min)
        self.totals = _Totals()
        self.totals_by_frame: list[tuple[float, dict[str, int]]] = []
        self.deliveries: dict[str, _DeliveryLog] = {}
        self._chats_in_bucket = 0

    # -- sessions --------------------------------------------------------------------------

    def _session_times_and_users(self) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        cfg = self.config
        users = cfg.scale.users
        count = users
        if cfg.days > 1:
            count = round(users * (1 + cfg.scale.return_share_per_day * (cfg.days - 1)))
        weights = intensity_per_minute(cfg.start.date(), cfg.days)
        minutes = sample_session_minutes(self.rng, weights, count)
        ids = np.concatenate(
            [self.rng.permutation(users), self.rng.integers(0, users, count - users)]
        )
        return minutes * 60.0, ids

    def _plans(self, times: Any, ids: Any) -> Iterator[SessionPlan]:
        """Every session's plan, drawn up front (vectorised) in a fixed order per seed."""
        rng, n = self.rng, len(times)
        langs = rng.choice(3, size=n, p=LANG_SHARES).tolist()
        claims = (rng.random(n) < CLAIM_SHARE).tolist()
        orders = (rng.random(n) < self.config.scale.order_share).tolist()
        categories = rng.choice(3, size=n, p=CATEGORY_SHARES).tolist()
        customers = rng.integers(len(self.customers), size=n).tolist()
        for i, (at_s, user) in enumerate(zip(times.tolist(), ids.tolist(), strict=True)):
            customer = self.customers[customers[i]]
            yield SessionPlan(
                user_id=f"u{user:07d}",
                lang=LANGS[langs[i]],
                at=self.config.start + timedelta(seconds=at_s),
                claim=claims[i],
                order_category=CATEGORIES[categories[i]] if orders[i] else None,
                deliver_to=(customer.lng, customer.lat),
            )

    def _users(self) -> Gen:
        times, ids = self._session_times_and_users()
        for plan in self._plans(times, ids):
            at_s = (plan.at - self.config.start).total_seconds()
            if at_s > self.env.now:
                yield self.env.timeout(at_s - self.env.now)
            self._one_session(plan)

    def _one_session(self, plan: SessionPlan) -> None:
        self.engines.clock.set(plan.at)
        outcome = self.engines.shop.session(plan)
        now = float(self.env.now)
        s, t, b = self.series, self.totals, self.series.bucket(now / 60.0)
        t.sessions += 1
        t.users_seen.add(plan.user_id)
        t.chats += outcome.chats
        self._chats_in_bucket += outcome.chats
        s.sessions[b] += 1
        s.chats[b] += outcome.chats
        s.chat_latency_ms.extend(outcome.chat_latency_ms)
        if outcome.envelope_fen > 0:
            t.claims_granted += 1
            s.claims_granted[b] += 1
        elif outcome.claim_denied is not None:
            t.claims_denied += 1
            t.denied_by_code[outcome.claim_denied] = (
                t.denied_by_code.get(outcome.claim_denied, 0) + 1
            )
            s.claims_denied[b] += 1
        order = outcome.order
        if order is None:
            return
        t.orders += 1
        s.count_order(now / 60.0, order.category)
        if order.pickup_lnglat is not None:
            t.deliveries_submitted += 1
            s.pickups.append(order.pickup_lnglat)
            self.deliveries[order.order_id] = _DeliveryLog(now, plan.deliver_to)

    # -- deliveries ------------------------------------------------------------------------

    def _record_resolved(self, done: Delivered) -> None:
        s, t = self.series, self.totals
        self.engines.clock.set(self.config.start + timedelta(seconds=float(self.env.now)))
        if not done.delivered:
            t.undeliverable += 1
            self.engines.shop.undeliverable(done.order_id)  # cancelled and refunded
            return
        late = done.lateness_s > 0.0
        t.deliveries += 1
        t.deliveries_late += int(late)
        b = s.bucket(done.at_s / 60.0)
        s.deliveries[b] += 1
        s.deliveries_late[b] += int(late)
        s.lateness_min.append(done.lateness_s / 60.0)
        log = self.deliveries.get(done.order_id)
        if log is not None:
            log.done_s, log.on_time = done.at_s, not late
            s.drops.append((log.drop[0], log.drop[1], not late))
        self.engines.shop.delivered(done.order_id)

    def _deliveries(self) -> Gen:
        while True:
            yield self.env.timeout(60.0)
            for done in self.engines.fleet.collect_resolved():
                self._record_resolved(done)

    # -- cluster and meters ----------------------------------------------------------------

    def _cluster(self) -> Gen:
        bucket_s = self.config.scale.metrics_bucket_min * 60.0
        while True:
            yield self.env.timeout(bucket_s)
            rate = self._chats_in_bucket / bucket_s
            self.engines.compute.set_chat_load(float(self.env.now) - bucket_s, rate)
            self._chats_in_bucket = 0

    def _meter(self) -> Gen:
        bucket_s = round(self.config.scale.metrics_bucket_min * 60.0)
        horizon_s = self.config.horizon_min * 60.0
        frame_s = round(FRAME_S)
        second = 0
        while second < horizon_s:
            yield self.env.timeout(60.0)
            second += 60
            if second % frame_s == 0:
                self.totals_by_frame.append((second / 60.0, self.totals.as_dict()))
            if second % bucket_s == 0:
                spent = self.engines.campaign.spent_by_pool_fen()
                for pool, fen in spent.items():
                    self.series.spent_by_pool_fen.setdefault(pool, []).append(int(fen))
                if self.progress is not None:
                    self.progress(min(1.0, second / horizon_s))

    # -- run -------------------------------------------------------------------------------

    def run(self) -> list[Frame]:
        """Run the window, let the fleet finish its deliveries, return the replay frames."""
        horizon_s = self.config.horizon_min * 60.0
        for process in (self._users(), self._deliveries(), self._cluster(), self._meter()):
            self.env.process(process)
        self.env.run(until=horizon_s + 1e-6)
        fleet = self.engines.fleet
        fleet.close()
        while fleet.open_count() > 0 and self.env.now < horizon_s + OVERTIME_S:
            self.env.run(until=self.env.now + 60.0)  # _deliveries collects every minute
        for done in fleet.collect_resolved():
            self._record_resolved(done)
        bucket_s = self.config.scale.metrics_bucket_min * 60.0
        self.series.cluster.extend(self.engines.compute.simulate(bucket_s, horizon_s))
        timeline = self.engines.fleet.timeline(FRAME_S, bucket_s, horizon_s)
        self.series.van_busy_share.extend(list(timeline.busy_share)[: self.series.buckets])
        return [
            Frame(at_min, list(vans), totals)
            for (at_min, totals), vans in zip(
                self.totals_by_frame, timeline.positions, strict=False
            )
        ]
