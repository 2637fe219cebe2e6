"""A delivery gateway that queues hand-offs in the database for the fleet to collect.

The production :class:`~lantern.commerce._delivery.DeliveryGateway` when commerce and the
fleet run as separate processes: ``hand_off`` writes the request to
``commerce_delivery_outbox`` (idempotent per order); the fleet (or the drill) reads
:meth:`DeliveryOutbox.pending`, marks requests taken, and reports deliveries back through
:meth:`lantern.commerce.Commerce.mark_delivered`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, Column, Engine, Float, Integer, String, Table, select, update

from lantern.commerce._delivery import DeliveryRequest
from lantern.commerce._store import METADATA, insert_ignore

__all__ = ["DeliveryOutbox"]

outbox = Table(
    "commerce_delivery_outbox",
    METADATA,
    Column("order_id", String(16), primary_key=True),
    Column("merchant_id", String(8), nullable=False),
    Column("pickup_lon", Float, nullable=False),
    Column("pickup_lat", Float, nullable=False),
    Column("pickup_road_node", Integer),
    Column("dropoff_lon", Float),
    Column("dropoff_lat", Float),
    Column("items", Integer, nullable=False),
    Column("weight_kg", Float, nullable=False),
    Column("queued_at", String(40), nullable=False),
    Column("taken", Boolean, nullable=False, default=False),
)


class DeliveryOutbox:
    """Hand-offs queued in the shared database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        METADATA.create_all(engine, checkfirst=True)

    def hand_off(self, request: DeliveryRequest) -> str:
        """Queue the request (a retry for the same order is a no-op); the delivery id."""
        values = {
            "order_id": request.order_id, "merchant_id": request.merchant_id,
            "pickup_lon": request.pickup_lon, "pickup_lat": request.pickup_lat,
            "pickup_road_node": request.pickup_road_node, "dropoff_lon": request.dropoff_lon,
            "dropoff_lat": request.dropoff_lat, "items": request.items,
            "weight_kg": request.weight_kg, "queued_at": datetime.now(UTC).isoformat(),
            "taken": False,
        }  # fmt: skip
        with self.engine.begin() as conn:
            conn.execute(insert_ignore(conn.dialect.name, outbox, values))
        return f"DL-{request.order_id[3:]}"

    def pending(self, limit: int = 100) -> list[DeliveryRequest]:
        """Queued requests not yet taken by the fleet, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(outbox)
                .where(outbox.c.taken.is_(False))
                .order_by(outbox.c.queued_at)
                .limit(limit)
            ).mappings()
            return [
                DeliveryRequest(**{k: v for k, v in row.items() if k not in ("queued_at", "taken")})
                for row in rows
            ]

    def take(self, order_id: str) -> bool:
        """Mark a request taken; False if it was taken already (or never queued)."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(outbox)
                .where(outbox.c.order_id == order_id, outbox.c.taken.is_(False))
                .values(taken=True)
            ).rowcount
        return done == 1
