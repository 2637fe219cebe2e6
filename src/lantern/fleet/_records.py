"""What a simulation records: per order, per leg driven, per van; and the metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from lantern.fleet._orders import Order

__all__ = ["LegRecord", "OrderRecord", "OrderState", "VanStats", "compute_metrics"]

OrderState = Literal["pending", "assigned", "picked", "delivered", "undeliverable"]


@dataclass(eq=False)
class OrderRecord:
    """The life of one order in the simulation."""

    order: Order
    pickup_node: int
    drop_node: int
    state: OrderState = "pending"
    van: int | None = None
    assigned_s: float | None = None
    picked_s: float | None = None
    delivered_s: float | None = None
    reason: str = ""

    @property
    def lateness_s(self) -> float | None:
        if self.delivered_s is None:
            return None
        return max(0.0, self.delivered_s - self.order.due_s)


@dataclass(eq=False)
class LegRecord:
    """One drive: node path with the time the van passed each node (pauses included).

    ``pauses`` are the disengagements on the way: (seconds of driving after the start at
    which the van stopped, seconds it then waited for and got remote help).
    """

    van: int
    purpose: str
    nodes: NDArray[np.int64]
    times_s: NDArray[np.float64]
    km: float
    kwh: float
    pauses: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class VanStats:
    """Totals per van."""

    km: float = 0.0
    kwh: float = 0.0
    drive_s: float = 0.0
    service_s: float = 0.0
    ready_wait_s: float = 0.0
    remote_wait_s: float = 0.0  # queueing for an operator plus the help itself
    remote_queue_s: float = 0.0  # the queueing part: every operator was busy
    disengagements: int = 0
    swaps: int = 0
    delivered: int = 0
    max_load_kg: float = 0.0
    max_load_m3: float = 0.0
    min_battery_kwh: float = float("inf")
    first_s: float | None = None
    last_s: float = 0.0

    @property
    def active_s(self) -> float:
        """From the van's first departure to its last arrival."""
        return 0.0 if self.first_s is None else self.last_s - self.first_s


def _pct(values: NDArray[np.float64], q: float) -> float:
    return float(np.percentile(values, q)) if values.size else 0.0


def compute_metrics(
    orders: list[OrderRecord],
    vans: list[VanStats],
    span_s: float,
    costs: list[tuple[int, int]] | None = None,
) -> dict[str, Any]:
    """The headline figures of a run (see docs/fleet-sim.md for definitions).

    ``costs`` holds each van's (fen per km, fen per hour); the running cost counts every
    km driven and every hour from a van's first departure to its last arrival.
    """
    delivered = [r for r in orders if r.state == "delivered"]
    late = np.array([r.lateness_s or 0.0 for r in delivered])
    undeliverable = [r for r in orders if r.state == "undeliverable"]
    reasons: dict[str, int] = {}
    for r in undeliverable:
        reasons[r.reason] = reasons.get(r.reason, 0) + 1
    km = sum(v.km for v in vans)
    kwh = sum(v.kwh for v in vans)
    busy = sum(v.drive_s + v.service_s + v.remote_wait_s for v in vans)
    n_del = max(1, len(delivered))
    used = sum(1 for v in vans if v.km > 0 or v.delivered > 0)
    disengagements = sum(v.disengagements for v in vans)
    per_van = costs or [(0, 0)] * len(vans)
    cost_fen = sum(
        round(v.km * per_km + v.active_s / 3600.0 * per_h)
        for v, (per_km, per_h) in zip(vans, per_van, strict=True)
    )
    remote_min = sum(v.remote_wait_s for v in vans) / 60.0
    return {
        "orders": len(orders),
        "delivered": len(delivered),
        "undeliverable": len(undeliverable),
        "undeliverable_reasons": reasons,
        "on_time_pct": round(100.0 * float((late <= 0).sum()) / n_del, 2) if delivered else 0.0,
        "lateness_mean_min": round(float(late.mean()) / 60.0, 2) if delivered else 0.0,
        "lateness_p95_min": round(_pct(late, 95) / 60.0, 2),
        "km_total": round(km, 1),
        "km_per_order": round(km / n_del, 3),
        "kwh_total": round(kwh, 1),
        "kwh_per_order": round(kwh / n_del, 4),
        "vans": len(vans),
        "vans_used": used,
        "utilisation_pct": round(100.0 * busy / max(1.0, len(vans) * span_s), 2),
        "disengagements": disengagements,
        "remote_wait_min": round(remote_min, 1),
        "remote_wait_min_per_disengagement": round(remote_min / max(1, disengagements), 2),
        "remote_queue_min": round(sum(v.remote_queue_s for v in vans) / 60.0, 1),
        "swaps": sum(v.swaps for v in vans),
        "cost_fen": cost_fen,
        "cost_fen_per_order": round(cost_fen / n_del),
        "span_h": round(span_s / 3600.0, 2),
    }
