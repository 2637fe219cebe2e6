"""The delivery service as SimPy processes: an epoch dispatcher and one process per van.

:class:`DeliveryService` runs inside a caller's ``simpy.Environment`` (the drill feeds it
orders as they are created). Every ``epoch_s`` the dispatcher inserts waiting orders into
van plans (cheapest feasible insertion, :mod:`lantern.fleet._plan`); an order no van can
deliver by ``due + max_lateness`` is reported undeliverable. Vans drive fastest paths over
the road network (congestion factor of the hour they leave), wait for pickups to be ready,
serve stops, disengage at random (Poisson per km) and wait for a remote operator (a
``simpy.Resource``), and swap or charge batteries at their depot.

Invariants (asserted): no van over capacity or below zero battery, each order delivered at
most once by the van it was assigned to, and the clock only moves forward.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

import numpy as np
import simpy

from lantern.fleet._matrix import PathCache
from lantern.fleet._network import RoadNetwork
from lantern.fleet._orders import Order
from lantern.fleet._plan import PairRequest, Stop, VanState, apply_insertion, best_insertion
from lantern.fleet._records import LegRecord, OrderRecord, VanStats, compute_metrics
from lantern.fleet._sim_params import SimParams
from lantern.fleet._vehicles import DepotSite, Van
from lantern.fleet.errors import InvalidSimulation, OutOfNetworkArea

__all__ = ["DeliveryService"]

_EPS = 1e-6
Proc = Generator[simpy.Event, Any, None]


class DeliveryService:
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
            self.reopt_adopted += int(reoptimize(self, now, self._factor(now)))
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

    # --- vans --------------------------------------------------------------------------
    def _van_loop(self, st: VanState) -> Proc:
        v = st.van.van_id
        vt = st.van.van_type
        while True:
            if st.plan:
                yield from self._serve_next(st)
            elif self._finished and self._at[v] != st.home:
                yield from self._go_home(st)
            elif self._finished:
                return
            elif self._battery[v] < self.params.swap_below_frac * vt.battery_kwh:
                yield from self._recharge(st)
            else:
                wake = self.env.event()
                self._wake[v] = wake
                yield wake
                self._wake[v] = None

    def _commit(self, st: VanState, node: int, done_s: float, kwh_after: float) -> None:
        self.cache.release(st.anchor_node)
        st.anchor_node, st.anchor_s, st.battery_kwh = node, done_s, kwh_after
        st.changed()

    def _leg_estimate(self, st: VanState, node: int) -> tuple[float, float]:
        now = float(self.env.now)
        free = self.cache.time(self._at[st.van.van_id], node)
        kwh = free * self.km_per_free_flow_s * st.van.van_type.consumption_kwh_per_km
        return now + free * self._factor(now), self._battery[st.van.van_id] - kwh

    def _serve_next(self, st: VanState) -> Proc:
        v = st.van.van_id
        stop = st.plan.pop(0)
        eta, kwh = self._leg_estimate(st, stop.node)
        path = self.cache.path(self._at[v], stop.node)
        self._commit(st, stop.node, max(eta, stop.ready_s) + stop.service_s, kwh)
        st.load_kg += stop.kg
        st.load_m3 += stop.m3
        yield from self._drive(st, path, stop.kind)
        now = self._tick()
        if stop.ready_s > now:
            self.stats[v].ready_wait_s += stop.ready_s - now
            yield self.env.timeout(stop.ready_s - now)
        yield self.env.timeout(stop.service_s)
        self.stats[v].service_s += stop.service_s
        self._complete(st, stop)

    def _complete(self, st: VanState, stop: Stop) -> None:
        v, vt = st.van.van_id, st.van.van_type
        now = self._tick()
        rec = self.orders[stop.order]
        assert rec.van == v, f"order {rec.order.order_id} served by a van it was not given to"
        if stop.kind == "pickup":
            assert rec.state == "assigned", f"order {rec.order.order_id} picked up twice"
            rec.state, rec.picked_s = "picked", now
        else:
            assert rec.state == "picked", f"order {rec.order.order_id} dropped twice or unpicked"
            rec.state, rec.delivered_s = "delivered", now
            self.stats[v].delivered += 1
        load = self._load[v]
        load[0] += stop.kg
        load[1] += stop.m3
        assert load[0] <= vt.capacity_kg + _EPS, f"van {v} over capacity: {load[0]:.1f} kg"
        assert load[1] <= vt.capacity_m3 + _EPS, f"van {v} over capacity: {load[1]:.3f} m3"
        assert min(load) >= -_EPS, f"van {v} load below zero"
        self.stats[v].max_load_kg = max(self.stats[v].max_load_kg, load[0])
        self.stats[v].max_load_m3 = max(self.stats[v].max_load_m3, load[1])
        st.anchor_s, st.battery_kwh = now, self._battery[v]
        st.changed()

    def _recharge(self, st: VanState) -> Proc:
        v, vt = st.van.van_id, st.van.van_type
        eta, kwh = self._leg_estimate(st, st.home)
        path = self.cache.path(self._at[v], st.home)
        self.cache.hold(st.home)
        self._commit(st, st.home, eta + vt.recharge_s(vt.battery_kwh - kwh), vt.battery_kwh)
        yield from self._drive(st, path, "recharge")
        with self.stations[st.van.depot].request() as slot:
            yield slot
            yield self.env.timeout(vt.recharge_s(vt.battery_kwh - self._battery[v]))
        self._battery[v] = vt.battery_kwh
        self.stats[v].swaps += 1
        st.anchor_s, st.battery_kwh = self._tick(), vt.battery_kwh
        st.changed()

    def _go_home(self, st: VanState) -> Proc:
        v = st.van.van_id
        eta, kwh = self._leg_estimate(st, st.home)
        path = self.cache.path(self._at[v], st.home)
        self.cache.hold(st.home)
        self._commit(st, st.home, eta, kwh)
        yield from self._drive(st, path, "home")
        st.anchor_s, st.battery_kwh = self._tick(), self._battery[v]
        st.changed()
        self.ended_s = max(self.ended_s or 0.0, float(self.env.now))

    def _drive(self, st: VanState, path: list[int], purpose: str) -> Proc:
        """Drive a node path, pausing for disengagements; record the leg."""
        v, vt = st.van.van_id, st.van.van_type
        start = self._tick()
        edge_s = self.cache.path_times_s(path) * self._factor(start)
        km = float(self.cache.path_lengths_m(path).sum()) / 1000.0
        total = float(edge_s.sum())
        n_events = int(self.rng.poisson(self.params.disengagements_per_km * km))
        offsets: list[float] = sorted(self.rng.uniform(0.0, total, n_events).tolist())
        pauses: list[tuple[float, float]] = []
        done = 0.0
        for offset in offsets:
            yield self.env.timeout(float(offset) - done)
            done = float(offset)
            waited_from = float(self.env.now)
            with self.operators.request() as operator:
                yield operator
                help_s = max(
                    self.params.remote_help_min_s,
                    float(self.rng.exponential(self.params.remote_help_mean_s)),
                )
                yield self.env.timeout(help_s)
            pauses.append((done, float(self.env.now) - waited_from))
        yield self.env.timeout(total - done)
        kwh = km * vt.consumption_kwh_per_km
        self._battery[v] -= kwh
        assert self._battery[v] >= -_EPS, f"van {v} ran out of battery"
        self._at[v] = path[-1]
        self._record(v, purpose, path, start, edge_s, km, kwh, pauses)

    def _record(
        self,
        v: int,
        purpose: str,
        path: list[int],
        start: float,
        edge_s: np.ndarray[Any, Any],
        km: float,
        kwh: float,
        pauses: list[tuple[float, float]],
    ) -> None:
        offsets = np.concatenate([[0.0], np.cumsum(edge_s)])
        shift = np.zeros_like(offsets)
        for offset, duration in pauses:
            shift[offsets > offset] += duration
        times = start + offsets + shift
        s = self.stats[v]
        s.km += km
        s.kwh += kwh
        s.drive_s += float(edge_s.sum())
        s.disengagements += len(pauses)
        s.remote_wait_s += sum(d for _, d in pauses)
        s.min_battery_kwh = min(s.min_battery_kwh, self._battery[v])
        s.first_s = start if s.first_s is None else s.first_s
        s.last_s = float(times[-1])
        nodes = np.asarray(path, dtype=np.int64)
        self.legs.append(LegRecord(v, purpose, nodes, times, km, kwh, pauses))
