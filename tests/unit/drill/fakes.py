"""Small in-memory engine sides for unit tests of the drill's model (not the real engines).

The end-to-end tests (tests/e2e/drill_*.py) run the drill on the real engines; these fakes
only let the model's own bookkeeping be tested in isolation and fast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from lantern.drill import (
    AuditOutcome,
    ClusterSnapshot,
    Delivered,
    DeliveryRequest,
    Engines,
    FleetSnapshot,
    OrderPlaced,
    SessionOutcome,
    SessionPlan,
    VanPosition,
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
class FakeShop:
    campaign: FakeCampaign
    orders: int = 0
    delivered_ids: list[str] = field(default_factory=list)

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
        return SessionOutcome(chats=2, chat_latency_ms=(1.0, 2.0), envelope_fen=fen, order=order)

    def delivered(self, order_id: str, at: datetime) -> None:
        self.delivered_ids.append(order_id)


@dataclass
class FakeFleet:
    vans: int = 3
    pending: list[DeliveryRequest] = field(default_factory=list)
    now: float = 0.0

    @property
    def van_count(self) -> int:
        return self.vans

    def submit(self, request: DeliveryRequest) -> None:
        self.pending.append(request)

    def advance(self, to_min: float) -> Sequence[Delivered]:
        assert to_min >= self.now
        self.now = to_min
        done = [r for r in self.pending if r.placed_min + 30 <= to_min]
        self.pending = [r for r in self.pending if r.placed_min + 30 > to_min]
        return [Delivered(r.order_id, to_min, to_min - r.due_min) for r in done]

    def snapshot(self) -> FleetSnapshot:
        vans = tuple(VanPosition(f"v{i}", 120.1 + i * 0.01, 30.3, i == 0) for i in range(self.vans))
        return FleetSnapshot(self.now, vans, 1 / self.vans)

    def finish(self) -> Sequence[Delivered]:
        return self.advance(self.now + 1000)


@dataclass
class FakeCompute:
    now: float = 0.0
    load: float = 0.0

    def set_chat_load(self, at_min: float, chats_per_s: float) -> None:
        self.load = chats_per_s

    def advance(self, to_min: float) -> None:
        self.now = to_min

    def snapshot(self) -> ClusterSnapshot:
        pct = min(100.0, 10.0 + self.load)
        return ClusterSnapshot(self.now, 48, pct + 50, pct, 50.0, 1, 20.0, 40.0, 3, 0)


def fake_engines(_config: object) -> Engines:
    campaign = FakeCampaign()
    return Engines(campaign, FakeShop(campaign), FakeFleet(), FakeCompute())
