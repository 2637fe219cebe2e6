"""Small in-memory engine sides for unit tests of the drill's model (not the real engines).

The end-to-end tests (tests/e2e/drill_*.py) run the drill on the real engines; these fakes
only let the model's own bookkeeping be tested in isolation and fast.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import simpy

from lantern.clock import FakeClock
from lantern.drill import (
    AuditOutcome,
    ClusterSnapshot,
    Delivered,
    DeliveryRequest,
    DrillConfig,
    Engines,
    FleetTimeline,
    OrderPlaced,
    SessionOutcome,
    SessionPlan,
)


@dataclass
class FakeCampaign:
    budget: int = 1_000_000
    spent: int = 0
    granted: int = 0
    claimed_by: set[str] = field(default_factory=set)

    @property
    def budget_fen(self) -> int:
        return self.budget

    def spent_by_pool_fen(self) -> Mapping[str, int]:
        return {"cash": self.spent}

    def plan_by_pool_fen(self) -> Mapping[str, Mapping[date, int]]:
        return {"cash": {date(2026, 2, 6): self.budget}}

    def envelopes_granted(self) -> int:
        return self.granted

    def audit(self) -> AuditOutcome:
        return AuditOutcome(self.spent <= self.budget)


@dataclass
class FakeFleet:
    env: simpy.Environment
    vans: int = 3
    pending: list[DeliveryRequest] = field(default_factory=list)
    done_ids: list[str] = field(default_factory=list)
    fail_every: int = 0  # every n-th resolved delivery is reported undeliverable (0: none)

    @property
    def van_count(self) -> int:
        return self.vans

    def submit(self, request: DeliveryRequest) -> str:
        self.pending.append(request)
        return f"DL-{request.order_id}"

    def collect_resolved(self) -> Sequence[Delivered]:
        now = float(self.env.now)
        done = [r for r in self.pending if r.placed_s + 1800 <= now]
        self.pending = [r for r in self.pending if r.placed_s + 1800 > now]
        out = []
        for r in done:
            self.done_ids.append(r.order_id)
            ok = not self.fail_every or len(self.done_ids) % self.fail_every
            out.append(Delivered(r.order_id, now, now - r.due_s, bool(ok)))
        return out

    def open_count(self) -> int:
        return len(self.pending)

    def close(self) -> None:
        return None

    def timeline(self, frame_s: float, bucket_s: float, horizon_s: float) -> FleetTimeline:
        frames = int(horizon_s // frame_s)
        positions = [[(120.1 + v * 0.01, 30.3, int(v == 0)) for v in range(self.vans)]] * frames
        return FleetTimeline(
            frame_s, positions, bucket_s, [1 / self.vans] * int(horizon_s // bucket_s)
        )


@dataclass
class FakeShop:
    campaign: FakeCampaign
    fleet: FakeFleet
    orders: int = 0
    delivered_ids: list[str] = field(default_factory=list)
    undeliverable_ids: list[str] = field(default_factory=list)

    def session(self, plan: SessionPlan) -> SessionOutcome:
        fen = 0
        if plan.claim and plan.user_id not in self.campaign.claimed_by:
            fen = min(100, self.campaign.budget - self.campaign.spent)
            if fen > 0:
                self.campaign.claimed_by.add(plan.user_id)
                self.campaign.spent += fen
                self.campaign.granted += 1
        order = None
        if plan.order_category is not None:
            self.orders += 1
            pickup = (120.16, 30.27) if plan.order_category == "gastronomy" else None
            order = OrderPlaced(f"o{self.orders}", plan.order_category, 3000, 0, pickup)
            if pickup is not None:
                now = float(self.fleet.env.now)
                self.fleet.submit(
                    DeliveryRequest(
                        order.order_id, pickup, plan.deliver_to, now, now + 600, now + 3600, 0.5
                    )
                )
        return SessionOutcome(chats=2, chat_latency_ms=(1.0, 2.0), envelope_fen=fen, order=order)

    def delivered(self, order_id: str) -> None:
        self.delivered_ids.append(order_id)

    def undeliverable(self, order_id: str) -> None:
        self.undeliverable_ids.append(order_id)


@dataclass
class FakeCompute:
    loads: list[tuple[float, float]] = field(default_factory=list)

    def set_chat_load(self, at_s: float, chats_per_s: float) -> None:
        self.loads.append((at_s, chats_per_s))

    def simulate(self, bucket_s: float, horizon_s: float) -> Sequence[ClusterSnapshot]:
        out = []
        for k, (at_s, load) in enumerate(self.loads[: int(horizon_s // bucket_s)]):
            pct = min(100.0, 10.0 + load)
            snap = ClusterSnapshot(at_s, 48, pct + 50, pct, 50.0, k % 3, 20.0, 40.0, 3, 0)
            out.append(dataclasses.replace(snap, demand_rps=load, slo_ms=30.0))
        return out


def fake_engines(config: DrillConfig) -> Engines:
    """Fake sides joined like the real ones (one SimPy environment, one fake clock)."""
    env = simpy.Environment()
    campaign = FakeCampaign()
    fleet = FakeFleet(env)
    shop = FakeShop(campaign, fleet)
    return Engines(env, FakeClock(config.start), campaign, shop, fleet, FakeCompute())
