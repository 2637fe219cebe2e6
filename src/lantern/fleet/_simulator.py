"""Run a whole day: :class:`FleetSimulator` feeds orders to a :class:`DeliveryService`.

``FleetSimulator(network, fleet, depots, params).run(orders)`` builds its own SimPy
environment, submits each order at its creation time, closes the service after the last
one, runs until every van is home, checks the invariants, and returns a
:class:`SimulationResult` (metrics, per-order records, driven legs).
"""

from __future__ import annotations

import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from lantern.fleet._network import RoadNetwork
from lantern.fleet._orders import Order
from lantern.fleet._records import LegRecord, OrderRecord, VanStats
from lantern.fleet._service import DeliveryService
from lantern.fleet._sim_params import SimParams
from lantern.fleet._vehicles import DepotSite, Van
from lantern.fleet.errors import InvalidSimulation

__all__ = ["FleetSimulator", "SimulationResult", "default_depots"]


def default_depots(
    network: RoadNetwork, n_depots: int, *, swap_stations: int = 4
) -> list[DepotSite]:
    """``n_depots`` depots at the intersections nearest to a grid over the network's nodes."""
    if n_depots <= 0:
        raise InvalidSimulation(f"need at least one depot, got {n_depots}")
    cols = int(np.ceil(np.sqrt(n_depots)))
    rows = int(np.ceil(n_depots / cols))
    lon_q = np.quantile(network.lon, (np.arange(cols) + 0.5) / cols)
    lat_q = np.quantile(network.lat, (np.arange(rows) + 0.5) / rows)
    points = [(lo, la) for la in lat_q for lo in lon_q][:n_depots]
    _, nodes = network.nearest(np.array([p[0] for p in points]), np.array([p[1] for p in points]))
    return [
        DepotSite(f"D{i}", float(network.lon[n]), float(network.lat[n]), swap_stations)
        for i, n in enumerate(nodes)
    ]


@dataclass
class SimulationResult:
    """Everything a run produced."""

    metrics: dict[str, Any]
    orders: list[OrderRecord]
    legs: list[LegRecord]
    network: RoadNetwork
    fleet: tuple[Van, ...]
    depots: tuple[DepotSite, ...]
    depot_nodes: list[int]
    van_stats: list[VanStats]


class FleetSimulator:
    """Simulate a fleet serving a list of orders over a road network."""

    def __init__(
        self,
        network: RoadNetwork,
        fleet: Sequence[Van],
        depots: Sequence[DepotSite],
        params: SimParams | None = None,
    ) -> None:
        self.network, self.fleet, self.depots = network, tuple(fleet), tuple(depots)
        self.params = params or SimParams()

    def run(self, orders: Sequence[Order]) -> SimulationResult:
        """Simulate until every order is delivered or reported undeliverable."""
        started = time.perf_counter()
        env = simpy.Environment(initial_time=0.0)
        service = DeliveryService(env, self.network, self.fleet, self.depots, self.params)
        for order in orders:  # validate everything before simulating anything
            order.check()
            service.snap_order(order)
        ids = [o.order_id for o in orders]
        if len(set(ids)) != len(ids):
            raise InvalidSimulation("order ids must be unique")
        ordered = sorted(orders, key=lambda o: o.created_s)
        if ordered and ordered[0].created_s < 0:
            raise InvalidSimulation(f"order {ordered[0].order_id}: created_s must be >= 0")
        env.process(self._feed(env, service, ordered))
        env.run()
        self._check(service, len(orders))
        metrics = service.metrics()
        metrics["wall_s"] = round(time.perf_counter() - started, 2)
        return SimulationResult(
            metrics,
            service.orders,
            service.legs,
            self.network,
            self.fleet,
            self.depots,
            service.depot_nodes,
            service.stats,
        )

    @staticmethod
    def _feed(
        env: simpy.Environment, service: DeliveryService, orders: list[Order]
    ) -> Generator[simpy.Event, Any, None]:
        for order in orders:
            if order.created_s > env.now:
                yield env.timeout(order.created_s - env.now)
            service.submit(order)
        service.close()

    @staticmethod
    def _check(service: DeliveryService, n_orders: int) -> None:
        """Every order ended delivered exactly once or undeliverable with a reason."""
        assert len(service.orders) == n_orders, "an order was lost before the service saw it"
        for rec in service.orders:
            assert rec.state in ("delivered", "undeliverable"), (
                f"order {rec.order.order_id} ended {rec.state}: neither delivered nor reported"
            )
            assert rec.state != "undeliverable" or rec.reason, "undeliverable without a reason"
            if rec.state == "delivered":
                assert rec.picked_s is not None
                assert rec.delivered_s is not None
                assert rec.order.created_s <= rec.picked_s <= rec.delivered_s
        for st in service.states:
            assert not st.plan, f"van {st.van.van_id} still has stops at the end"
