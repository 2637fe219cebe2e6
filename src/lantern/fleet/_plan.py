"""Van plans and cheapest feasible insertion of a pickup-and-drop pair (numpy over positions).

A van's plan starts at its *anchor*: the node where, and the time when, it finishes what it
is doing now (a committed leg and stop), with the load and the battery it will then have.
The plan is the list of stops after the anchor, ending (virtually) at the home depot.

:func:`best_insertion` tries every pickup position i and drop position j >= i at once:
forward arrival times, cumulative waits and backward slacks make each (i, j) an O(1)
check of hard limits (drop by due + max lateness, capacity kg and m3 over the onboard
span, battery for the whole plan and the way home) on a numpy grid. The cost is added
travel time plus weighted lateness of the new order and delay pushed onto later drops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from lantern.fleet._matrix import PathCache
from lantern.fleet._vehicles import Van

__all__ = ["Insertion", "PairRequest", "Stop", "VanState", "apply_insertion", "best_insertion"]

_INF = float("inf")
Forward = dict[str, NDArray[np.float64]]
_GRIDS: dict[int, tuple[NDArray[np.int64], NDArray[np.int64]]] = {}


def _grid(size: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    if size not in _GRIDS:
        i, j = np.indices((size, size))
        _GRIDS[size] = (i, j)
    return _GRIDS[size]


@dataclass(eq=False)
class Stop:
    """A pickup or drop of one order at a node."""

    order: int
    kind: Literal["pickup", "drop"]
    node: int
    ready_s: float
    due_s: float
    latest_s: float
    service_s: float
    kg: float
    m3: float


@dataclass(eq=False)
class VanState:
    """What the dispatcher knows about a van: its anchor and the stops after it."""

    van: Van
    home: int
    anchor_node: int
    anchor_s: float
    load_kg: float = 0.0
    load_m3: float = 0.0
    battery_kwh: float = 0.0
    plan: list[Stop] = field(default_factory=list)
    version: int = 0
    _forward: tuple[int, float, float, Forward] | None = None

    def changed(self) -> None:
        """Call after changing the anchor or the plan: cached arrays are stale."""
        self.version += 1

    def forward(self, cache: PathCache, now: float, factor: float) -> Forward:
        """The plan's forward arrays, recomputed only when the van, time or factor changed."""
        key = (self.version, now, factor)
        if self._forward is None or self._forward[:3] != key:
            self._forward = (*key, _forward(self, cache, now, factor))
        return self._forward[3]


@dataclass(frozen=True)
class PairRequest:
    """The two stops of a new order, and its size."""

    pickup: Stop
    drop: Stop


@dataclass(frozen=True)
class Insertion:
    """Where to put a pair in a van's plan and what it costs."""

    cost: float
    pickup_index: int
    drop_index: int
    drop_eta_s: float


def _forward(state: VanState, cache: PathCache, now: float, factor: float) -> Forward:
    """Arrival, wait, departure, slack and load arrays of a plan (index 0 = anchor)."""
    plan = state.plan
    n = len(plan)
    nodes = np.array([state.anchor_node, *(s.node for s in plan), state.home], dtype=np.int64)
    leg = factor * cache.times(nodes[:-1], nodes[1:])
    arr = np.zeros(n + 2)
    wait = np.zeros(n + 2)
    dep = np.zeros(n + 2)
    latest = np.full(n + 2, _INF)
    load_kg = np.zeros(n + 2)
    load_m3 = np.zeros(n + 2)
    dep[0] = max(now, state.anchor_s)
    load_kg[0], load_m3[0] = state.load_kg, state.load_m3
    for k, stop in enumerate(plan, start=1):
        arr[k] = dep[k - 1] + leg[k - 1]
        start = max(arr[k], stop.ready_s)
        wait[k] = start - arr[k]
        dep[k] = start + stop.service_s
        latest[k] = stop.latest_s
        load_kg[k] = load_kg[k - 1] + stop.kg
        load_m3[k] = load_m3[k - 1] + stop.m3
    arr[n + 1] = dep[n] + leg[n]
    slack = np.full(n + 2, _INF)  # max arrival delay at k keeping k.. feasible
    for k in range(n, 0, -1):
        slack[k] = min(latest[k] - arr[k], wait[k] + slack[k + 1])
    cum_wait = np.cumsum(wait)
    is_drop = np.array([0, *(s.kind == "drop" for s in plan), 0], dtype=np.float64)
    drops_from = np.cumsum(is_drop[::-1])[::-1]  # drops at positions >= k
    return {
        "nodes": nodes.astype(np.float64),
        "leg": leg,
        "arr": arr,
        "dep": dep,
        "slack": slack,
        "cum_wait": cum_wait,
        "b": latest - arr + np.concatenate([[0.0], cum_wait[:-1]]),
        "load_kg": load_kg,
        "load_m3": load_m3,
        "drops_from": drops_from,
    }


def best_insertion(
    state: VanState,
    request: PairRequest,
    cache: PathCache,
    *,
    now: float,
    factor: float,
    km_per_free_flow_s: float,
    reserve_kwh: float,
    weights: tuple[float, float],
) -> Insertion | None:
    """The cheapest feasible insertion of the pair into this van's plan, or None."""
    vt = state.van.van_type
    p, d = request.pickup, request.drop
    if p.kg > vt.capacity_kg or p.m3 > vt.capacity_m3:
        return None
    f = state.forward(cache, now, factor)
    n = len(state.plan)
    nodes = f["nodes"].astype(np.int64)
    here, nxt = nodes[: n + 1], nodes[1 : n + 2]
    tp_in = factor * cache.times(here, p.node)
    tpd = factor * cache.time(p.node, d.node)
    dep, arr, cw = f["dep"][: n + 1], f["arr"], f["cum_wait"]
    dep_p = np.maximum(dep + tp_in, p.ready_s) + p.service_s  # pickup after stop i
    if float(dep_p.min()) + tpd > d.latest_s:  # cheap bound: too late wherever it goes
        return None
    tp_out = factor * cache.times(np.int64(p.node), nxt)
    td_in = factor * cache.times(here, d.node)
    td_out = factor * cache.times(np.int64(d.node), nxt)
    base = f["leg"]
    delay1 = dep_p + tp_out - arr[1 : n + 2]  # arrival delay at stop i+1 (j > i)

    i_idx, j_idx = _grid(n + 1)
    upper = j_idx > i_idx
    b = np.where(upper, f["b"][np.minimum(j_idx, n + 1)], _INF)
    min_b = np.minimum.accumulate(b, axis=1)  # min over k in (i, j] of B[k]
    ok = upper & (delay1[:, None] <= min_b - cw[i_idx])
    dep_j = dep[j_idx] + np.maximum(0.0, delay1[:, None] - (cw[j_idx] - cw[i_idx]))
    arr_d = np.where(upper, dep_j + td_in[j_idx], (dep_p + tpd)[:, None])
    dep_d = np.maximum(arr_d, d.ready_s) + d.service_s
    delay_next = dep_d + td_out[j_idx] - arr[j_idx + 1]
    diag = j_idx == i_idx
    ok |= diag
    ok &= (j_idx >= i_idx) & (arr_d <= d.latest_s) & (delay_next <= f["slack"][j_idx + 1])
    for load, cap, size in (("load_kg", vt.capacity_kg, p.kg), ("load_m3", vt.capacity_m3, p.m3)):
        span = np.where(j_idx >= i_idx, f[load][j_idx], -_INF)
        ok &= np.maximum.accumulate(span, axis=1) + size <= cap
    extra = np.where(
        diag,
        (tp_in + tpd + td_out - base)[:, None],
        (tp_in + tp_out - base)[:, None] + (td_in + td_out - base)[None, :],
    )
    energy_kwh = (base.sum() + extra) / factor * km_per_free_flow_s * vt.consumption_kwh_per_km
    ok &= energy_kwh <= state.battery_kwh - reserve_kwh
    if not ok.any():
        return None
    late_w, delay_w = weights
    drops_from = f["drops_from"]
    between = drops_from[np.minimum(i_idx + 1, n + 1)] - drops_from[np.minimum(j_idx + 1, n + 1)]
    pushed = np.where(diag, 0.0, np.maximum(delay1, 0.0)[:, None] * between)
    pushed += np.maximum(delay_next, 0.0) * drops_from[np.minimum(j_idx + 1, n + 1)]
    cost = extra + late_w * np.maximum(0.0, arr_d - d.due_s) + delay_w * pushed
    cost = np.where(ok, cost, _INF)
    flat = int(np.argmin(cost))
    i, j = divmod(flat, n + 1)
    return Insertion(float(cost[i, j]), i, j + 1, float(arr_d[i, j]))


def apply_insertion(state: VanState, request: PairRequest, ins: Insertion) -> None:
    """Put the pair into the plan at the chosen positions."""
    state.plan.insert(ins.pickup_index, request.pickup)
    state.plan.insert(ins.drop_index, request.drop)
    state.changed()
    assert state.plan.index(request.pickup) < state.plan.index(request.drop)
