"""The van side of the delivery service: one SimPy process per van.

A van takes the next stop of its plan, drives the fastest path (congestion factor of the
hour it leaves), pauses for disengagements (Poisson per km; it queues for a remote
operator from a ``simpy.Resource`` pool and waits for help), waits for the pickup to be
ready, serves, and swaps or charges its battery at its depot when idle and low. Each leg
is recorded for positions, maps and metrics. Invariants are asserted here: capacity,
battery, and that a stop is served only by the van its order was given to.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from lantern.fleet._matrix import PathCache
from lantern.fleet._plan import Stop, VanState
from lantern.fleet._records import LegRecord, OrderRecord, VanStats
from lantern.fleet._sim_params import SimParams

__all__ = ["VanProcesses"]

_EPS = 1e-6
Proc = Generator[simpy.Event, Any, None]


class VanProcesses:
    """Mixin of :class:`~lantern.fleet._service.DeliveryService`: what vans do."""

    env: simpy.Environment
    params: SimParams
    cache: PathCache
    states: list[VanState]
    orders: list[OrderRecord]
    legs: list[LegRecord]
    stats: list[VanStats]
    operators: simpy.Resource
    stations: list[simpy.Resource]
    rng: np.random.Generator
    km_per_free_flow_s: float
    ended_s: float | None
    _at: list[int]
    _battery: list[float]
    _load: list[list[float]]
    _wake: list[simpy.Event | None]
    _finished: bool

    def _tick(self) -> float:
        raise NotImplementedError

    def _factor(self, t_s: float) -> float:
        raise NotImplementedError

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
                self.stats[v].remote_queue_s += float(self.env.now) - waited_from
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
