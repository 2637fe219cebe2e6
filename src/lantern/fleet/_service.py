"""The delivery service as SimPy processes: an epoch dispatcher and one process per van.

:class:`DeliveryService` runs inside a caller's ``simpy.Environment`` (the drill feeds it
orders as they are created). Every ``epoch_s`` the dispatcher inserts waiting orders into
van plans (cheapest feasible insertion, :mod:`lantern.fleet._plan`); an order no van can
deliver by ``due + max_lateness`` is reported undeliverable. Vans drive fastest paths over
the road network (congestion factor of the hour they leave), wait for pickups to be ready,
serve stops, disengage at random (Poisson per km) and wait for a remote operator (a
``simpy.Resource``), and swap or charge batteries at their depot: the van processes live
in :mod:`lantern.fleet._vans`, a mixin of this class.

Invariants (asserted): no van over capacity or below zero battery, each order delivered at
most once by the van it was assigned to, and the clock only moves forward.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import simpy

from lantern.fleet._matrix import PathCache
from lantern.fleet._network import RoadNetwork
from lantern.fleet._orders import Order
from lantern.fleet._plan import PairRequest, Stop, VanState, apply_insertion, best_insertion
from lantern.fleet._records import LegRecord, OrderRecord, VanStats, compute_metrics
from lantern.fleet._sim_params import SimParams
from lantern.fleet._vans import Proc, VanProcesses
from lantern.fleet._vehicles import DepotSite, Van
from lantern.fleet.errors import InvalidSimulation, OutOfNetworkArea

__all__ = ["DeliveryService"]


class DeliveryService(VanProcesses):
    """A robovan delivery service living in a SimPy environment; feed it with :meth:`submit`."""

    def __init__(
        self,
        env: simpy.Environment,
        network: RoadNetwork,
        fleet: Sequence[Van],
        depots: Sequence[DepotSite],
        params: SimParams | None = None,
        *,
        snap_limit_m: float = 500.0,
    ) -> None:
        if not fleet:
            raise InvalidSimulation("the fleet has no vans; pass at least one")
        if not depots:
            raise InvalidSimulation("the service needs at least one depot")
        if any(not 0 <= v.depot < len(depots) for v in fleet):
            raise InvalidSimulation("a van names a depot index that does not exist")
        self.env, self.network, self.params = env, network, params or SimParams()
        self.fleet, self.depots = tuple(fleet), tuple(depots)
        self.snap_limit_m = snap_limit_m
        self.depot_nodes = [
            int(n)
            for n in network.snap(
                [d.lon for d in depots], [d.lat for d in depots], max_distance_m=snap_limit_m
            )
        ]
        speed_cap = max(v.van_type.max_speed_kmh for v in fleet)
        self.cache = PathCache(network, speed_cap_kmh=speed_cap)
        self.km_per_free_flow_s = float(np.minimum(network.speed_kmh, speed_cap).max()) / 3600.0
        self.cache.ensure(self.depot_nodes, pin=True)
        self.operators = simpy.Resource(env, capacity=self.params.remote_operators)
        self.stations = [simpy.Resource(env, capacity=d.swap_stations) for d in depots]
        self.rng = np.random.default_rng(self.params.seed)
        self.orders: list[OrderRecord] = []
        self.legs: list[LegRecord] = []
        self.stats = [VanStats() for _ in fleet]
        self.states = [self._new_state(v) for v in fleet]
        self._at = [s.home for s in self.states]
        self._battery = [v.van_type.battery_kwh for v in fleet]
        self._load = [[0.0, 0.0] for _ in fleet]
        self._wake: list[simpy.Event | None] = [None] * len(fleet)
        self._pending: list[int] = []
        self._retry_at: dict[int, float] = {}
        self._fails: dict[int, int] = {}
        self._closed = False
        self._finished = False
        self._last_now = float(env.now)
        self.started_s = float(env.now)
        self.ended_s: float | None = None
        self.dispatch_s = 0.0
        self.reopt_runs = 0
        self.reopt_adopted = 0
        self.reopt_s = 0.0
        self._next_reopt_s = float(env.now) + self.params.reoptimize_every_s
        self.epochs = 0
        self.max_capacity = (
            max(v.van_type.capacity_kg for v in fleet),
            max(v.van_type.capacity_m3 for v in fleet),
        )
        self.done = env.event()
        env.process(self._epoch_loop())
        for st in self.states:
            env.process(self._van_loop(st))

    def _new_state(self, van: Van) -> VanState:
        home = self.depot_nodes[van.depot]
        self.cache.hold(home)
        return VanState(
            van=van,
            home=home,
            anchor_node=home,
            anchor_s=float(self.env.now),
            battery_kwh=van.van_type.battery_kwh,
        )

    # --- the public side ---------------------------------------------------------------
    def submit(self, order: Order) -> int:
        """Accept an order now (its pickup and drop are snapped to the network).

        Raises :class:`OutOfNetworkArea` (naming the order) if a point is off the network,
        :class:`InvalidSimulation` for out-of-range fields or after :meth:`close`.
        Returns the order's index in :attr:`orders`.
        """
        if self._closed:
            raise InvalidSimulation(f"order {order.order_id}: the service is closed")
        order.check()
        nodes = self.snap_order(order)
        self._tick()
        rec = OrderRecord(order=order, pickup_node=nodes[0], drop_node=nodes[1])
        self.orders.append(rec)
        index = len(self.orders) - 1
        kg, m3 = self.max_capacity
        if order.weight_kg > kg or order.volume_m3 > m3:
            self._reject(index, "larger than any van's capacity", hold=False)
        else:
            self.cache.hold(rec.pickup_node)
            self.cache.hold(rec.drop_node)
            self._pending.append(index)
        return index

    def snap_order(self, order: Order) -> tuple[int, int]:
        """Pickup and drop nodes of an order, or OutOfNetworkArea naming it."""
        try:
            nodes = self.network.snap(
                [order.pickup_lon, order.drop_lon],
                [order.pickup_lat, order.drop_lat],
                max_distance_m=self.snap_limit_m,
            )
        except OutOfNetworkArea as exc:
            which = "pickup" if exc.message.startswith("point 0") else "drop"
            raise OutOfNetworkArea(f"order {order.order_id}: its {which} {exc.message}") from None
        return int(nodes[0]), int(nodes[1])

    def close(self) -> None:
        """No more orders will come; vans go home once every order is resolved."""
        self._closed = True

    def metrics(self) -> dict[str, Any]:
        """The headline figures so far (see :func:`compute_metrics`)."""
        end = self.ended_s if self.ended_s is not None else float(self.env.now)
        first = min((r.order.created_s for r in self.orders), default=self.started_s)
        costs = [(v.van_type.cost_fen_per_km, v.van_type.cost_fen_per_hour) for v in self.fleet]
        out = compute_metrics(self.orders, self.stats, max(1.0, end - first), costs)
        out.update(
            {
                "epochs": self.epochs,
                "dispatch_s": round(self.dispatch_s, 2),
                "rows_computed": self.cache.rows_computed,
                "reopt_runs": self.reopt_runs,
                "reopt_adopted": self.reopt_adopted,
                "reopt_s": round(self.reopt_s, 2),
            }
        )
        return out

    # --- dispatching -------------------------------------------------------------------
    def _tick(self) -> float:
        now = float(self.env.now)
        assert now >= self._last_now, "the clock moved backwards"
        self._last_now = now
        return now

    def _factor(self, t_s: float) -> float:
        return self.params.congestion.factor_at(t_s + self.params.time_of_day_at_zero_s)

    def _epoch_loop(self) -> Proc:
        while True:
            self._dispatch()
            if self._closed and not self._pending:
                self._finished = True
                for i in range(len(self.states)):
                    self.kick(i)
                return
            yield self.env.timeout(self.params.epoch_s)

    def _dispatch(self) -> None:
        import time

        started = time.perf_counter()
        now = self._tick()
        self.epochs += 1
        if self._pending:
            recs = [self.orders[i] for i in self._pending]
            self.cache.ensure([n for r in recs for n in (r.pickup_node, r.drop_node)])
            self._pending.sort(key=lambda i: self.orders[i].order.due_s)
            self._pending = [i for i in self._pending if not self._try(i, now)]
        self.dispatch_s += time.perf_counter() - started
        every = self.params.reoptimize_every_s
        if every > 0 and now >= self._next_reopt_s:
            from lantern.fleet._reopt import reoptimize

            self._next_reopt_s = now + every
            started = time.perf_counter()
            self.reopt_runs += 1
            self.reopt_adopted += reoptimize(self, now, self._factor(now))
            self.reopt_s += time.perf_counter() - started

    def _request(self, rec: OrderRecord, index: int) -> PairRequest:
        o, p = rec.order, self.params
        pickup = Stop(
            index,
            "pickup",
            rec.pickup_node,
            o.ready_s,
            float("inf"),
            float("inf"),
            p.service_pickup_s,
            o.weight_kg,
            o.volume_m3,
        )
        drop = Stop(
            index,
            "drop",
            rec.drop_node,
            o.drop_earliest_s,
            o.due_s,
            o.due_s + p.max_lateness_s,
            p.service_drop_s,
            -o.weight_kg,
            -o.volume_m3,
        )
        return PairRequest(pickup, drop)

    def _candidates(self, node: int, now: float, factor: float) -> list[int]:
        k = min(self.params.candidate_vans, len(self.states))
        anchors = np.array([s.anchor_node for s in self.states], dtype=np.int64)
        ready = np.array([max(now, s.anchor_s) for s in self.states])
        soon = ready + factor * self.cache.times(anchors, node)
        ends = np.array([s.plan[-1].node if s.plan else s.anchor_node for s in self.states])
        tail = np.array([len(s.plan) for s in self.states]) * 300.0 + ready
        late = tail + factor * self.cache.times(ends, node)
        full = np.array([len(s.plan) + 2 > self.params.max_plan_stops for s in self.states])
        soon[full] = np.inf
        late[full] = np.inf
        first = [int(i) for i in np.argsort(soon)[:k] if not full[i]]
        second = [
            int(i) for i in np.argsort(late)[: max(1, k // 2)] if i not in first and not full[i]
        ]
        return first + second

    def _try(self, index: int, now: float) -> bool:
        """Assign or reject an order now, or keep it waiting (retrying less and less often)."""
        if self._retry_at.get(index, now) > now:
            return False
        if self._assign(index, now):
            self._retry_at.pop(index, None)
            return True
        fails = self._fails.get(index, 0) + 1
        self._fails[index] = fails
        self._retry_at[index] = now + self.params.epoch_s * (min(fails, 4) - 0.5)
        return False

    def _assign(self, index: int, now: float) -> bool:
        """Insert order ``index`` into the best van's plan; False if it must wait."""
        rec = self.orders[index]
        factor = self._factor(now)
        request = self._request(rec, index)
        weights = (self.params.late_weight, self.params.delay_weight)
        candidates = self._candidates(rec.pickup_node, now, factor)
        found = (
            None
            if not candidates
            else best_insertion(
                [self.states[v] for v in candidates],
                request,
                self.cache,
                now=now,
                factor=factor,
                km_per_free_flow_s=self.km_per_free_flow_s,
                reserve_frac=self.params.battery_reserve_frac,
                weights=weights,
            )
        )
        best = None if found is None else found[1]
        best_van = -1 if found is None else candidates[found[0]]
        if best is None:
            direct = factor * self.cache.time(rec.pickup_node, rec.drop_node)
            earliest = max(now, rec.order.ready_s) + self.params.service_pickup_s + direct
            if earliest > rec.order.due_s + self.params.max_lateness_s:
                self._reject(index, "no van could deliver it by due + max lateness", hold=True)
                return True
            return False
        apply_insertion(self.states[best_van], request, best)
        rec.state, rec.van, rec.assigned_s = "assigned", best_van, now
        self.kick(best_van)
        return True

    def _reject(self, index: int, reason: str, *, hold: bool) -> None:
        rec = self.orders[index]
        rec.state, rec.reason = "undeliverable", reason
        if hold:
            self.cache.release(rec.pickup_node)
            self.cache.release(rec.drop_node)

    def kick(self, van: int) -> None:
        """Wake a van waiting for work (its plan got stops)."""
        event = self._wake[van]
        if event is not None and not event.triggered:
            event.succeed()
