"""What the drill needs from each engine, as small Protocols.

The drill's simulation (:mod:`lantern.drill._model`) talks only to these; the adapters in
:mod:`lantern.drill._engines` implement them over the engines' public interfaces (the same
code the API serves), so the model never re-implements an engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol

__all__ = [
    "AuditOutcome",
    "CampaignSide",
    "ClusterSnapshot",
    "ComputeSide",
    "Delivered",
    "DeliveryRequest",
    "FleetSide",
    "FleetTimeline",
    "OrderPlaced",
    "SessionOutcome",
    "SessionPlan",
    "ShopSide",
]

Lang = Literal["en", "de", "zh"]


@dataclass(frozen=True, slots=True)
class AuditOutcome:
    """The campaign audit at the end of a run: ok, and every violation it found."""

    ok: bool
    violations: tuple[str, ...] = ()


class CampaignSide(Protocol):
    """The campaign engine as the drill sees it (money and its audit)."""

    @property
    def budget_fen(self) -> int: ...

    def spent_by_pool_fen(self) -> Mapping[str, int]: ...

    def plan_by_pool_fen(self) -> Mapping[str, Mapping[date, int]]: ...

    def envelopes_granted(self) -> int: ...

    def audit(self) -> AuditOutcome: ...


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """What one simulated user means to do in a session (drawn by the drill's seed)."""

    user_id: str
    lang: Lang
    at: datetime
    claim: bool
    order_category: str | None  # gastronomy, entertainment, leisure, or None
    deliver_to: tuple[float, float]  # the customer's address (LaDe), for food orders


@dataclass(frozen=True, slots=True)
class OrderPlaced:
    """An order the user placed: id, category, totals, and its pickup point when delivered."""

    order_id: str
    category: str
    total_fen: int
    discount_fen: int
    pickup_lnglat: tuple[float, float] | None  # None: a ticket, nothing to deliver


@dataclass(frozen=True, slots=True)
class SessionOutcome:
    """What happened in a session, read back from the engines."""

    chats: int
    chat_latency_ms: tuple[float, ...]
    envelope_fen: int = 0
    claim_denied: str | None = None
    order: OrderPlaced | None = None
    tools: tuple[str, ...] = ()


class ShopSide(Protocol):
    """Assistant plus commerce: a user's session of chatting, claiming and ordering.

    Paid food orders reach the fleet through commerce's delivery hand-off.
    """

    def session(self, plan: SessionPlan) -> SessionOutcome: ...

    def delivered(self, order_id: str) -> None: ...

    def undeliverable(self, order_id: str) -> None:
        """The fleet gave up on the order: cancel it and refund the user."""
        ...


@dataclass(frozen=True, slots=True)
class DeliveryRequest:
    """A delivery handed to the fleet: pick up at the merchant, drop at the customer.

    Times are seconds since the window start (the drill's SimPy clock).
    """

    order_id: str
    pickup_lnglat: tuple[float, float]
    drop_lnglat: tuple[float, float]
    placed_s: float
    ready_s: float
    due_s: float
    weight_kg: float


@dataclass(frozen=True, slots=True)
class Delivered:
    """A delivery the fleet completed (``delivered``) or gave up on, at ``at_s``."""

    order_id: str
    at_s: float
    lateness_s: float
    delivered: bool = True


@dataclass(frozen=True, slots=True)
class FleetTimeline:
    """The fleet's day after the run: van positions per frame, busy share per bucket."""

    frame_s: float
    positions: Sequence[Sequence[tuple[float, float, int]]]  # per frame, per van: lng, lat, busy
    bucket_s: float
    busy_share: Sequence[float]  # per bucket: share of van-time serving deliveries


class FleetSide(Protocol):
    """The fleet engine's delivery service, running inside the drill's SimPy environment."""

    @property
    def van_count(self) -> int: ...

    def submit(self, request: DeliveryRequest) -> str: ...

    def collect_resolved(self) -> Sequence[Delivered]: ...

    def open_count(self) -> int: ...

    def close(self) -> None: ...

    def timeline(self, frame_s: float, bucket_s: float, horizon_s: float) -> FleetTimeline: ...


@dataclass(frozen=True, slots=True)
class ClusterSnapshot:
    """The accelerator cluster at a moment (seconds since the window start)."""

    at_s: float
    accelerators: int
    allocated_pct: float
    inference_pct: float
    training_pct: float
    inference_replicas: int
    latency_ms_p50: float
    latency_ms_p95: float
    jobs_running: int
    jobs_queued: int
    by_model: Mapping[str, int] = field(default_factory=dict)
    demand_rps: float = 0.0
    slo_ms: float = 0.0


class ComputeSide(Protocol):
    """The compute engine's time mode: the assistant's inference beside tenants' training.

    The drill reports the chat rate bucket by bucket; ``simulate`` runs the cluster on it.
    """

    def set_chat_load(self, at_s: float, chats_per_s: float) -> None: ...

    def simulate(self, bucket_s: float, horizon_s: float) -> Sequence[ClusterSnapshot]: ...
