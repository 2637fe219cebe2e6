"""The fleet engine's delivery service as the drill's :class:`FleetSide`.

The service (:class:`lantern.fleet.DeliveryService`) runs its epoch dispatcher and van
processes inside the drill's SimPy environment; commerce hands paid food orders to it
through :class:`FleetGateway` (commerce's ``DeliveryGateway`` protocol). After the run the
vans' recorded legs give their positions frame by frame and their busy time per bucket.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from lantern.drill._ports import Delivered, DeliveryRequest, FleetTimeline

if TYPE_CHECKING:
    from lantern.commerce import DeliveryRequest as CommerceDelivery
    from lantern.fleet import DeliveryService

__all__ = ["FleetAdapter", "FleetGateway"]

PREP_S = 12 * 60.0  # the merchant prepares the order before a van can pick it up
PROMISE_S = 60 * 60.0  # promised delivery, after the order
_SERVING = ("pickup", "drop")


class FleetAdapter:
    """Submit orders to the delivery service, collect what it resolved, replay its legs."""

    def __init__(self, env: simpy.Environment, service: DeliveryService) -> None:
        self.env = env
        self.service = service
        self._open: list[int] = []
        self._ids: set[str] = set()

    @property
    def van_count(self) -> int:
        return len(self.service.fleet)

    def submit(self, request: DeliveryRequest) -> str:
        from lantern.fleet import Order

        if request.order_id in self._ids:  # commerce retries a hand-off: same delivery
            return f"DL-{request.order_id}"
        order = Order(
            order_id=request.order_id,
            created_s=request.placed_s,
            pickup_lon=request.pickup_lnglat[0],
            pickup_lat=request.pickup_lnglat[1],
            drop_lon=request.drop_lnglat[0],
            drop_lat=request.drop_lnglat[1],
            ready_s=request.ready_s,
            due_s=request.due_s,
            weight_kg=request.weight_kg,
            volume_m3=request.weight_kg / 200.0,
        )
        self._open.append(self.service.submit(order))
        self._ids.add(request.order_id)
        return f"DL-{request.order_id}"

    def collect_resolved(self) -> Sequence[Delivered]:
        done: list[Delivered] = []
        still: list[int] = []
        for index in self._open:
            rec = self.service.orders[index]
            if rec.state == "delivered":
                assert rec.delivered_s is not None
                lateness = rec.delivered_s - rec.order.due_s
                done.append(Delivered(rec.order.order_id, rec.delivered_s, lateness))
            elif rec.state == "undeliverable":
                done.append(Delivered(rec.order.order_id, float(self.env.now), 0.0, False))
            else:
                still.append(index)
        self._open = still
        return done

    def open_count(self) -> int:
        return len(self._open)

    def close(self) -> None:
        self.service.close()

    def timeline(self, frame_s: float, bucket_s: float, horizon_s: float) -> FleetTimeline:
        service = self.service
        network = service.network
        lon = np.asarray(network.lon, dtype=np.float64)
        lat = np.asarray(network.lat, dtype=np.float64)
        frames = np.arange(frame_s, horizon_s + 1e-6, frame_s)
        n_vans = len(service.fleet)
        homes = [service.depot_nodes[v.depot] for v in service.fleet]
        x = np.tile(lon[homes], (len(frames), 1))
        y = np.tile(lat[homes], (len(frames), 1))
        busy = np.zeros((len(frames), n_vans), dtype=np.int8)
        buckets = round(horizon_s / bucket_s)
        busy_s = np.zeros(buckets)
        for leg in sorted(service.legs, key=lambda g: float(g.times_s[0])):
            _place(leg, frames, lon, lat, x, y, busy)
            if leg.purpose in _SERVING:
                _add_busy(busy_s, float(leg.times_s[0]), float(leg.times_s[-1]), bucket_s)
        positions = [
            [(round(float(x[f, v]), 5), round(float(y[f, v]), 5), int(busy[f, v]))
             for v in range(n_vans)]
            for f in range(len(frames))
        ]  # fmt: skip
        share = (busy_s / (bucket_s * n_vans)).clip(0.0, 1.0).tolist()
        return FleetTimeline(frame_s, positions, bucket_s, share)


def _place(leg: Any, frames: Any, lon: Any, lat: Any, x: Any, y: Any, busy: Any) -> None:
    """Set the van's position in every frame from this leg's start onwards."""
    t = np.asarray(leg.times_s, dtype=np.float64)
    nodes = np.asarray(leg.nodes, dtype=np.int64)
    first = int(np.searchsorted(frames, t[0]))
    if first >= len(frames):
        return
    ts = frames[first:]
    x[first:, leg.van] = np.interp(ts, t, lon[nodes])
    y[first:, leg.van] = np.interp(ts, t, lat[nodes])
    on_leg = ts <= t[-1]
    busy[first:, leg.van] = np.where(on_leg, int(leg.purpose in _SERVING), 0)


def _add_busy(busy_s: Any, start: float, end: float, bucket_s: float) -> None:
    b = int(start // bucket_s)
    while start < end and b < len(busy_s):
        edge = (b + 1) * bucket_s
        busy_s[b] += min(end, edge) - start
        start, b = edge, b + 1


class FleetGateway:
    """Commerce's delivery hand-off, forwarding paid food orders to the fleet.

    The drop address comes with the order (``deliver_to``) or, for orders placed through the
    assistant, is the ordering user's address, set for the session by the drill;
    preparation time and the promised delivery time are the drill's (``PREP_S``,
    ``PROMISE_S``).
    """

    def __init__(self, env: simpy.Environment, fleet: FleetAdapter) -> None:
        self.env = env
        self.fleet = fleet
        self.drop_address: tuple[float, float] | None = None  # the ordering user's address

    def hand_off(self, request: CommerceDelivery) -> str:
        drop = self.drop_address
        if request.dropoff_lon is not None and request.dropoff_lat is not None:
            drop = (request.dropoff_lon, request.dropoff_lat)
        assert drop is not None, f"order {request.order_id}: no delivery address"
        now = float(self.env.now)
        return self.fleet.submit(
            DeliveryRequest(
                order_id=request.order_id,
                pickup_lnglat=(request.pickup_lon, request.pickup_lat),
                drop_lnglat=drop,
                placed_s=now,
                ready_s=now + PREP_S,
                due_s=now + PROMISE_S,
                weight_kg=request.weight_kg,
            )
        )
