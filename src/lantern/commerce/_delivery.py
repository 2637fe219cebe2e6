"""Hand-off to delivery: a small Protocol the fleet (and the drill) implement, and a fake.

Commerce hands a paid food or goods order to a :class:`DeliveryGateway`; the fleet reports
back through :meth:`lantern.commerce.Commerce.mark_delivered` (or, when it gives up,
:meth:`~lantern.commerce.Commerce.delivery_failed`, which cancels and refunds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["DeliveryGateway", "DeliveryRequest", "FakeDeliveryGateway"]


@dataclass(frozen=True, slots=True)
class DeliveryRequest:
    """What the fleet needs to deliver an order: pickup at the shop, drop at the user."""

    order_id: str
    merchant_id: str
    pickup_lon: float
    pickup_lat: float
    pickup_road_node: int | None
    dropoff_lon: float | None
    dropoff_lat: float | None
    items: int
    weight_kg: float


class DeliveryGateway(Protocol):
    """Something that accepts orders for delivery and returns its own delivery id.

    ``hand_off`` must be idempotent per ``order_id``: a retry returns the same id.
    """

    def hand_off(self, request: DeliveryRequest) -> str: ...


@dataclass
class FakeDeliveryGateway:
    """Records hand-offs in memory; ``fail_next`` makes the next hand-off raise."""

    requests: dict[str, DeliveryRequest] = field(default_factory=dict)
    fail_next: bool = False

    def hand_off(self, request: DeliveryRequest) -> str:
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("delivery gateway unavailable (fake)")
        self.requests.setdefault(request.order_id, request)
        return f"DL-{request.order_id[3:]}"
