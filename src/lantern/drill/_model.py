"""The drill's discrete-event simulation (SimPy): users, the fleet loop, the cluster loop.

One SimPy environment, time in minutes since the window start (Asia/Shanghai midnight):

- ``_users``: sessions arrive along the daily curve; each user chats with the assistant,
  claims an envelope and may order (through :class:`ShopSide`, i.e. the real assistant,
  commerce and campaign engines); food orders become deliveries for the fleet.
- ``_fleet``: every minute the fleet simulator advances to the clock; completed deliveries
  go back to commerce as delivered.
- ``_cluster``: every bucket the chat rate of the last bucket sets the assistant's inference
  load on the accelerator cluster, which advances beside the tenants' training jobs.
- ``_meter``: every bucket the budget spent per pool and the fleet's state are recorded,
  and every ``frame_min`` a replay frame (van positions, counters) is kept for the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import simpy

from lantern.drill._config import DrillConfig
from lantern.drill._curve import intensity_per_minute, sample_session_minutes
from lantern.drill._customers import Customer, load_customers
from lantern.drill._ports import (
    CampaignSide,
    ComputeSide,
    Delivered,
    DeliveryRequest,
    FleetSide,
    Lang,
    SessionPlan,
    ShopSide,
)
from lantern.drill._series import Series

__all__ = ["DELIVERY_PROMISE_MIN", "PREP_MIN", "DrillModel", "Engines", "Frame"]

LANGS: tuple[Lang, ...] = ("zh", "en", "de")
LANG_SHARES = (0.80, 0.12, 0.08)
CATEGORIES = ("gastronomy", "entertainment", "leisure")
CATEGORY_SHARES = (0.70, 0.15, 0.15)
CLAIM_SHARE = 0.85
PREP_MIN = 12.0  # the merchant prepares the order before a van can pick it up
DELIVERY_PROMISE_MIN = 60.0  # promised delivery, minutes after the order
FRAME_MIN = 2
StepFn = Callable[[float], None]
Gen = Generator[simpy.events.Event, Any, None]


@dataclass(frozen=True, slots=True)
class Engines:
    """The four engine sides one drill run joins."""

    campaign: CampaignSide
    shop: ShopSide
    fleet: FleetSide
    compute: ComputeSide


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


class DrillModel:
    """Builds the sessions from the seed and runs the SimPy environment over the window."""

    def __init__(
        self, config: DrillConfig, engines: Engines, progress: StepFn | None = None
    ) -> None:
        self.config = config
        self.engines = engines
        self.progress = progress
        self.rng = np.random.default_rng(config.seed)
        self.customers: tuple[Customer, ...] = load_customers()
        scale = config.scale
        self.series = Series(
            scale.metrics_bucket_min, config.horizon_min // scale.metrics_bucket_min
        )
        self.frames: list[Frame] = []
        self.totals = _Totals()
        self.submitted_at: dict[str, float] = {}
        self._chats_in_bucket = 0
        self._drop_of: dict[str, tuple[float, float]] = {}
        self.delivered_at: dict[str, tuple[float, bool]] = {}
        self.env = simpy.Environment()

    # -- sessions --------------------------------------------------------------------------

    def _session_times_and_users(self) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        cfg = self.config
        users = cfg.scale.users
        count = users
        if cfg.days > 1:
            count = round(users * (1 + cfg.scale.return_share_per_day * (cfg.days - 1)))
        weights = intensity_per_minute(cfg.start.date(), cfg.days)
        times = sample_session_minutes(self.rng, weights, count)
        ids = np.concatenate(
            [self.rng.permutation(users), self.rng.integers(0, users, count - users)]
        )
        return times, ids

    def _plan(self, user: int, at_min: float) -> SessionPlan:
        rng = self.rng
        lang = LANGS[int(rng.choice(3, p=LANG_SHARES))]
        claim = bool(rng.random() < CLAIM_SHARE)
        category = None
        if rng.random() < self.config.scale.order_share:
            category = CATEGORIES[int(rng.choice(3, p=CATEGORY_SHARES))]
        return SessionPlan(
            user_id=f"u{user:07d}",
            lang=lang,
            at=self.config.start + timedelta(minutes=at_min),
            claim=claim,
            order_category=category,
        )

    def _users(self) -> Gen:
        times, ids = self._session_times_and_users()
        for at_min, user in zip(times.tolist(), ids.tolist(), strict=True):
            yield self.env.timeout(max(0.0, at_min - self.env.now))
            self._one_session(self._plan(int(user), at_min), at_min)

    def _one_session(self, plan: SessionPlan, at_min: float) -> None:
        outcome = self.engines.shop.session(plan)
        s, t, b = self.series, self.totals, self.series.bucket(at_min)
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
            s.claims_denied[b] += 1
        order = outcome.order
        if order is None:
            return
        t.orders += 1
        s.count_order(at_min, order.category)
        if order.pickup_lnglat is None:
            return
        customer = self.customers[int(self.rng.integers(len(self.customers)))]
        self.engines.fleet.submit(
            DeliveryRequest(
                order_id=order.order_id,
                pickup_lnglat=order.pickup_lnglat,
                drop_lnglat=(customer.lng, customer.lat),
                placed_min=at_min,
                ready_min=at_min + PREP_MIN,
                due_min=at_min + DELIVERY_PROMISE_MIN,
            )
        )
        t.deliveries_submitted += 1
        self.submitted_at[order.order_id] = at_min
        s.pickups.append(order.pickup_lnglat)
        self._drop_of[order.order_id] = (customer.lng, customer.lat)

    # -- fleet -----------------------------------------------------------------------------

    def _record_delivered(self, done: Delivered) -> None:
        s, t = self.series, self.totals
        if not done.delivered:
            t.undeliverable += 1
            return
        late = done.lateness_min > 0.0
        t.deliveries += 1
        t.deliveries_late += int(late)
        b = s.bucket(done.at_min)
        s.deliveries[b] += 1
        s.deliveries_late[b] += int(late)
        s.lateness_min.append(done.lateness_min)
        self.delivered_at[done.order_id] = (done.at_min, not late)
        lng, lat = self._drop_of.get(done.order_id, (float("nan"), float("nan")))
        s.drops.append((lng, lat, not late))
        at = self.config.start + timedelta(minutes=done.at_min)
        self.engines.shop.delivered(done.order_id, at)

    def _fleet(self) -> Gen:
        while True:
            yield self.env.timeout(1.0)
            for done in self.engines.fleet.advance(self.env.now):
                self._record_delivered(done)

    # -- cluster and meters ----------------------------------------------------------------

    def _cluster(self) -> Gen:
        bucket_min = self.config.scale.metrics_bucket_min
        compute = self.engines.compute
        while True:
            chats_per_s = self._chats_in_bucket / (bucket_min * 60.0)
            compute.set_chat_load(self.env.now, chats_per_s)
            self._chats_in_bucket = 0
            yield self.env.timeout(bucket_min)
            compute.advance(self.env.now)
            self.series.cluster.append(compute.snapshot())

    def _meter(self) -> Gen:
        bucket_min = self.config.scale.metrics_bucket_min
        horizon = self.config.horizon_min
        while True:
            yield self.env.timeout(FRAME_MIN)
            now = self.env.now
            snap = self.engines.fleet.snapshot()
            self.frames.append(
                Frame(
                    at_min=now,
                    vans=[(round(v.lng, 5), round(v.lat, 5), int(v.busy)) for v in snap.vans],
                    totals=self.totals.as_dict(),
                )
            )
            if int(now) % bucket_min == 0:
                self.series.van_busy_share.append(snap.busy_share)
                spent = self.engines.campaign.spent_by_pool_fen()
                for pool, fen in spent.items():
                    self.series.spent_by_pool_fen.setdefault(pool, []).append(int(fen))
                if self.progress is not None:
                    self.progress(min(1.0, now / horizon))

    # -- run -------------------------------------------------------------------------------

    def run(self) -> None:
        """Run the window, then let the fleet finish the deliveries still under way."""
        for process in (self._users(), self._fleet(), self._cluster(), self._meter()):
            self.env.process(process)
        self.env.run(until=self.config.horizon_min + 1e-9)
        for done in self.engines.fleet.finish():
            self._record_delivered(done)
