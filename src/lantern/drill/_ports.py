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
    "FleetSnapshot",
    "OrderPlaced",
    "SessionOutcome",
    "SessionPlan",
    "ShopSide",
    "VanPosition",
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
    """Assistant plus commerce: a user's session of chatting, claiming and ordering."""

    def session(self, plan: SessionPlan) -> SessionOutcome: ...

    def delivered(self, order_id: str, at: datetime) -> None: ...


@dataclass(frozen=True, slots=True)
class DeliveryRequest:
    """A delivery handed to the fleet: pick up at the merchant, drop at the customer."""

    order_id: str
    pickup_lnglat: tuple[float, float]
    drop_lnglat: tuple[float, float]
    placed_min: float
    ready_min: float
    due_min: float


@dataclass(frozen=True, slots=True)
class Delivered:
    """A delivery the fleet completed (or gave up on) by some minute of the window."""

    order_id: str
    at_min: float
    lateness_min: float
    delivered: bool = True


@dataclass(frozen=True, slots=True)
class VanPosition:
    van_id: str
    lng: float
    lat: float
    busy: bool


@dataclass(frozen=True, slots=True)
class FleetSnapshot:
    """The fleet at a minute: van positions and how many vans were busy."""

    at_min: float
    vans: tuple[VanPosition, ...]
    busy_share: float
    routes: Mapping[str, Sequence[tuple[float, float]]] = field(default_factory=dict)


class FleetSide(Protocol):
    """The fleet simulator's incremental interface: submit, advance, look."""

    @property
    def van_count(self) -> int: ...

    def submit(self, request: DeliveryRequest) -> None: ...

    def advance(self, to_min: float) -> Sequence[Delivered]: ...

    def snapshot(self) -> FleetSnapshot: ...

    def finish(self) -> Sequence[Delivered]: ...


@dataclass(frozen=True, slots=True)
class ClusterSnapshot:
    """The accelerator cluster at a minute."""

    at_min: float
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


class ComputeSide(Protocol):
    """The compute engine's time mode: the assistant's inference beside tenants' training."""

    def set_chat_load(self, at_min: float, chats_per_s: float) -> None: ...

    def advance(self, to_min: float) -> None: ...

    def snapshot(self) -> ClusterSnapshot: ...
