"""Van plans and cheapest feasible insertion of a pickup-and-drop pair (numpy over positions).

A van's plan starts at its *anchor*: the node where, and the time when, it finishes what it
is doing now (a committed leg and stop), with the load and the battery it will then have.
The plan is the list of stops after the anchor, ending (virtually) at the home depot.

:func:`best_insertion` tries, for several vans at once, every pickup position i and drop
position j >= i:
forward arrival times, cumulative waits and backward slacks make each (i, j) an O(1)
check of hard limits (drop by due + max lateness, capacity kg and m3 over the onboard
span, battery for the whole plan and the way home) on a numpy grid. The cost is added
travel time plus weighted lateness of the new order and delay pushed onto later drops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from lantern.fleet._matrix import PathCache
from lantern.fleet._vehicles import Van

__all__ = [
    "Insertion",
    "PairRequest",
    "Stop",
    "VanState",
    "apply_insertion",
    "best_insertion",
    "insertion_costs",
]

_INF = float("inf")
Forward = NDArray[np.float64]
"""A plan's arrays, one row per field below, one column per position (0 = anchor, n+1 = home)."""
NODES, LEG, ARR, DEP, SLACK, CUM_WAIT, B, KG, M3, DROPS = range(10)
_PAD = np.array([0.0, 0.0, 0.0, 0.0, _INF, 0.0, _INF, 0.0, 0.0, 0.0])
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
    out = np.zeros((10, n + 2))
    nodes = np.array([state.anchor_node, *(s.node for s in plan), state.home], dtype=np.int64)
    leg = factor * cache.times(nodes[:-1], nodes[1:])
    arr, dep, kg, m3 = out[ARR], out[DEP], out[KG], out[M3]
    wait = np.zeros(n + 2)
    latest = np.full(n + 2, _INF)
    dep[0] = max(now, state.anchor_s)
    kg[0], m3[0] = state.load_kg, state.load_m3
    for k, stop in enumerate(plan, start=1):
        arr[k] = dep[k - 1] + leg[k - 1]
        start = max(arr[k], stop.ready_s)
        wait[k] = start - arr[k]
        dep[k] = start + stop.service_s
        latest[k] = stop.latest_s
        kg[k] = kg[k - 1] + stop.kg
        m3[k] = m3[k - 1] + stop.m3
    arr[n + 1] = dep[n] + leg[n]
    slack = out[SLACK]  # max arrival delay at k keeping k.. feasible
    slack[:] = _INF
    for k in range(n, 0, -1):
        slack[k] = min(latest[k] - arr[k], wait[k] + slack[k + 1])
    cum_wait = np.cumsum(wait)
    is_drop = np.array([0, *(s.kind == "drop" for s in plan), 0], dtype=np.float64)
    out[NODES] = nodes
    out[LEG, : n + 1] = leg
    out[CUM_WAIT] = cum_wait
    out[B] = latest - arr + np.concatenate([[0.0], cum_wait[:-1]])
    out[DROPS] = np.cumsum(is_drop[::-1])[::-1]  # drops at positions >= k
    return out


def _stack(states: list[VanState], cache: PathCache, now: float, factor: float) -> Forward:
    """The vans' forward arrays padded to one (vans, fields, positions) block."""
    width = max(len(s.plan) for s in states) + 2
    block = np.repeat(np.repeat(_PAD[None, :, None], len(states), axis=0), width, axis=2)
    for c, state in enumerate(states):
        f = state.forward(cache, now, factor)
        n = f.shape[1]
        block[c, :, :n] = f
        block[c, NODES, n:] = state.home
        block[c, CUM_WAIT, n:] = f[CUM_WAIT, -1]
    return block


_Prepared = tuple[Forward, NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], float,
                  NDArray[np.int64], NDArray[np.int64]]  # fmt: skip


def _prepare(
    vans: list[VanState], request: PairRequest, cache: PathCache, now: float, factor: float
) -> _Prepared:
    """Stacked plan arrays, plan lengths, and the pickup's arrival and departure per position."""
    p, d = request.pickup, request.drop
    f = _stack(vans, cache, now, factor)
    n_c = np.array([len(s.plan) for s in vans], dtype=np.int64)
    top = f.shape[2] - 2  # the longest plan
    nodes = f[:, NODES].astype(np.int64)
    here, nxt = nodes[:, : top + 1], nodes[:, 1:]
    tp_in = factor * cache.times(here, p.node)
    tpd = factor * cache.time(p.node, d.node)
    dep_p = np.maximum(f[:, DEP, : top + 1] + tp_in, p.ready_s) + p.service_s
    return f, n_c, tp_in, dep_p, tpd, here, nxt


def insertion_costs(
    states: list[VanState],
    request: PairRequest,
    cache: PathCache,
    *,
    now: float,
    factor: float,
    km_per_free_flow_s: float,
    reserve_frac: float,
    weights: tuple[float, float],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Cost of every (van, i, j) insertion (inf where infeasible) and the drop's arrival.

    Pickup after position i (0 = the anchor), drop after position j >= i; the grid is
    padded to the longest plan. :func:`best_insertion` is the argmin of this, with a
    cheap bound first.
    """
    f, n_c, tp_in, dep_p, tpd, here, nxt = _prepare(states, request, cache, now, factor)
    fleet = (states, km_per_free_flow_s, reserve_frac)
    legs = (tp_in, dep_p, tpd, here, nxt)
    return _grid_cost(f, n_c, legs, request, cache, factor, fleet, weights)


def best_insertion(
    states: list[VanState],
    request: PairRequest,
    cache: PathCache,
    *,
    now: float,
    factor: float,
    km_per_free_flow_s: float,
    reserve_frac: float,
    weights: tuple[float, float],
) -> tuple[int, Insertion] | None:
    """The cheapest feasible insertion of the pair over these vans: (index in states, where)."""
    p, d = request.pickup, request.drop
    fits = [
        k for k, s in enumerate(states)
        if p.kg <= s.van.van_type.capacity_kg and p.m3 <= s.van.van_type.capacity_m3
    ]  # fmt: skip
    if not fits:
        return None
    vans = [states[k] for k in fits]
    f, n_c, tp_in, dep_p, tpd, here, nxt = _prepare(vans, request, cache, now, factor)
    positions = np.arange(dep_p.shape[1])
    dep_p_valid = np.where(positions[None, :] <= n_c[:, None], dep_p, _INF)
    alive = np.flatnonzero(dep_p_valid.min(axis=1) + tpd <= d.latest_s)  # cheap bound
    if alive.size == 0:
        return None
    f, n_c, here, nxt = f[alive], n_c[alive], here[alive], nxt[alive]
    legs = (tp_in[alive], dep_p[alive], tpd, here, nxt)
    fleet = ([vans[k] for k in alive], km_per_free_flow_s, reserve_frac)
    cost = _grid_cost(f, n_c, legs, request, cache, factor, fleet, weights)
    flat = int(np.argmin(cost[0]))
    if not np.isfinite(cost[0].flat[flat]):
        return None
    c, i, j = np.unravel_index(flat, cost[0].shape)
    van = fits[int(alive[c])]
    return van, Insertion(float(cost[0][c, i, j]), int(i), int(j) + 1, float(cost[1][c, i, j]))


def _grid_cost(
    f: Forward,
    n_c: NDArray[np.int64],
    legs: tuple[NDArray[np.float64], NDArray[np.float64], float, Any, Any],
    request: PairRequest,
    cache: PathCache,
    factor: float,
    fleet: tuple[list[VanState], float, float],
    weights: tuple[float, float],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Cost (inf where infeasible) and drop arrival of every (van, i, j) insertion."""
    p, d = request.pickup, request.drop
    tp_in, dep_p, tpd, here, nxt = legs
    vans, km_per_free_flow_s, reserve_frac = fleet
    tp_out = factor * cache.times(np.int64(p.node), nxt)
    td_in = factor * cache.times(here, d.node)
    td_out = factor * cache.times(np.int64(d.node), nxt)
    size = f.shape[2] - 1
    i_idx, j_idx = _grid(size)
    base = f[:, LEG, :size]
    arr, cw = f[:, ARR], f[:, CUM_WAIT]
    delay1 = (dep_p + tp_out - arr[:, 1:])[:, :, None]  # arrival delay at stop i+1 (j > i)
    upper = j_idx > i_idx
    min_b = np.minimum.accumulate(np.where(upper, f[:, B][:, j_idx], _INF), axis=2)
    cw_i, cw_j = cw[:, i_idx], cw[:, j_idx]
    ok = upper & (delay1 <= min_b - cw_i)
    dep_j = f[:, DEP][:, j_idx] + np.maximum(0.0, delay1 - (cw_j - cw_i))
    arr_d = np.where(upper, dep_j + td_in[:, j_idx], (dep_p + tpd)[:, :, None])
    dep_d = np.maximum(arr_d, d.ready_s) + d.service_s
    delay_next = dep_d + td_out[:, j_idx] - arr[:, j_idx + 1]
    diag = j_idx == i_idx
    ok |= diag
    ok &= (j_idx >= i_idx) & (j_idx <= n_c[:, None, None])
    ok &= (arr_d <= d.latest_s) & (delay_next <= f[:, SLACK][:, j_idx + 1])
    caps = np.array([[s.van.van_type.capacity_kg, s.van.van_type.capacity_m3] for s in vans])
    for row, cap, amount in ((KG, caps[:, 0], p.kg), (M3, caps[:, 1], p.m3)):
        span = np.where(j_idx >= i_idx, f[:, row][:, j_idx], -_INF)
        ok &= np.maximum.accumulate(span, axis=2) + amount <= cap[:, None, None]
    extra = np.where(
        diag,
        (tp_in + tpd + td_out - base)[:, :, None],
        (tp_in + tp_out - base)[:, :, None] + (td_in + td_out - base)[:, None, :],
    )
    per_s = np.array([km_per_free_flow_s * s.van.van_type.consumption_kwh_per_km for s in vans])
    room = np.array([s.battery_kwh - reserve_frac * s.van.van_type.battery_kwh for s in vans])
    energy = (base.sum(axis=1)[:, None, None] + extra) / factor * per_s[:, None, None]
    ok &= energy <= room[:, None, None]
    late_w, delay_w = weights
    drops = f[:, DROPS]
    after_j = drops[:, np.minimum(j_idx + 1, size)]
    between = drops[:, np.minimum(i_idx + 1, size)] - after_j
    pushed = np.where(diag, 0.0, np.maximum(delay1, 0.0) * between)
    pushed += np.maximum(delay_next, 0.0) * after_j
    cost = extra + late_w * np.maximum(0.0, arr_d - d.due_s) + delay_w * pushed
    return np.where(ok, cost, _INF), arr_d


def apply_insertion(state: VanState, request: PairRequest, ins: Insertion) -> None:
    """Put the pair into the plan at the chosen positions."""
    state.plan.insert(ins.pickup_index, request.pickup)
    state.plan.insert(ins.drop_index, request.drop)
    state.changed()
    assert state.plan.index(request.pickup) < state.plan.index(request.drop)
