"""Periodic re-optimisation of all open plans with PyVRP's iterated local search.

Every ``SimParams.reoptimize_every_s`` the service splits its vans into groups of nearby
vans (at most ``reoptimize_group_vans``, by where they will be free) and hands each group's
stops not yet started to the routing solver as one problem: each van is a vehicle kind of
its own, starting at its anchor (where and when it will be free) and ending at its home
depot, with the capacity and battery range it has left. An order not yet picked up is a
pickup-and-delivery pair any van may take; an order already aboard is a pair whose pickup is
the van's own anchor at the very second it starts (so, in practice, only that van can take
it; the result is checked and dropped otherwise). The problem is a :class:`RoutingProblem`,
converted with the dispatcher's ``to_pyvrp``; PyVRP runs for ``reoptimize_time_s`` per
group. Drop windows close at the later of the promise and the currently planned arrival
(plus a minute for rounding), so a new plan does not make an on-time order late nor a late
one later. The new plans replace the old ones only if every order is served, every order
aboard stays on its van, and total driving time drops by at least 0.5%.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from lantern.fleet._plan import ARR, Stop, VanState
from lantern.fleet._problem import HORIZON_MAX, Depot, PickupDelivery, RoutingProblem, VehicleKind
from lantern.fleet._solver import to_pyvrp

if TYPE_CHECKING:
    from lantern.fleet._service import DeliveryService

__all__ = ["reoptimize"]

_ROUNDING_S = 60
"""Slack on drop windows for whole-second rounding of the solver's travel times."""


def _open_stops(
    service: DeliveryService, states: list[VanState], now: float, factor: float
) -> tuple[list[tuple[int, Stop, Stop | None]], dict[int, float]]:
    """(van, drop, pickup or None if aboard) per open order, and each drop's planned arrival.

    Vans are numbered by their position in ``states``.
    """
    pairs: list[tuple[int, Stop, Stop | None]] = []
    planned: dict[int, float] = {}
    for v, st in enumerate(states):
        if not st.plan:
            continue
        arr = st.forward(service.cache, now, factor)[ARR]
        pickups = {s.order: s for s in st.plan if s.kind == "pickup"}
        for k, stop in enumerate(st.plan, start=1):
            if stop.kind == "drop":
                pairs.append((v, stop, pickups.get(stop.order)))
                planned[stop.order] = float(arr[k])
    return pairs, planned


def reoptimize(service: DeliveryService, now: float, factor: float) -> int:
    """Re-solve the open plans of each group of nearby vans; how many groups adopted theirs."""
    anchors = np.array([st.anchor_node for st in service.states], dtype=np.int64)
    xy = service.network.project_m(service.network.lon[anchors], service.network.lat[anchors])
    groups = _groups(xy, np.arange(len(anchors)), service.params.reoptimize_group_vans)
    return sum(_reoptimize_group(service, [int(v) for v in g], now, factor) for g in groups)


def _groups(xy: NDArray[np.float64], vans: NDArray[np.int64], size: int) -> list[NDArray[np.int64]]:
    """Split vans into groups of at most ``size`` by halving along the wider axis."""
    if len(vans) <= size:
        return [vans]
    pts = xy[vans]
    axis = int(np.ptp(pts[:, 0]) < np.ptp(pts[:, 1]))
    order = vans[np.argsort(pts[:, axis], kind="stable")]
    half = len(order) // 2
    return _groups(xy, order[:half], size) + _groups(xy, order[half:], size)


def _reoptimize_group(
    service: DeliveryService, group: list[int], now: float, factor: float
) -> bool:
    """Try to improve these vans' open plans; True if the new plans were adopted."""
    p = service.params
    states = [service.states[v] for v in group]
    pairs, planned = _open_stops(service, states, now, factor)
    if len(pairs) < 2:
        return False
    anchors = [st.anchor_node for st in states]
    homes = sorted({st.home for st in states})
    nodes = sorted({*anchors, *homes, *(s.node for _, d, pk in pairs for s in (d, pk) if s)})
    where = {n: i for i, n in enumerate(nodes)}
    arr_nodes = np.array(nodes, dtype=np.int64)
    free_s = service.cache.times(arr_nodes[:, None], arr_nodes[None, :])
    durations = np.ceil(free_s * factor).astype(np.int64)
    metres = np.ceil(free_s * service.km_per_free_flow_s * 1000.0).astype(np.int64)
    depots = [Depot(location=where[n]) for n in anchors] + [Depot(location=where[h]) for h in homes]
    kinds = []
    for v, st in enumerate(states):
        vt = st.van.van_type
        room_km = max(0.0, st.battery_kwh - p.battery_reserve_frac * vt.battery_kwh)
        kinds.append(VehicleKind(
            count=1, capacity=(int(vt.capacity_kg * 100), int(vt.capacity_m3 * 1000)),
            start_depot=v, end_depot=len(anchors) + homes.index(st.home),
            tw_early=int(max(0.0, st.anchor_s - now)),
            max_distance=int(room_km / vt.consumption_kwh_per_km * 1000.0), name=str(v),
        ))  # fmt: skip
    requests = []
    for v, drop, pickup in pairs:
        start = int(max(0.0, states[v].anchor_s - now))
        early_p = int(max(0.0, pickup.ready_s - now)) if pickup else start
        early_d = int(max(0.0, drop.ready_s - now))
        late = min(drop.latest_s, max(drop.due_s, planned.get(drop.order, drop.due_s)))
        late_d = max(int(late - now) + _ROUNDING_S, early_p, early_d)
        requests.append(PickupDelivery(
            pickup_location=where[pickup.node if pickup else states[v].anchor_node],
            delivery_location=where[drop.node],
            amount=(round(-drop.kg * 100), round(-drop.m3 * 1000)),
            pickup_service_s=int(p.service_pickup_s) if pickup else 0,
            pickup_tw_early=early_p,
            pickup_tw_late=HORIZON_MAX if pickup else start,
            delivery_service_s=int(p.service_drop_s),
            delivery_tw_early=early_d,
            delivery_tw_late=late_d,
        ))  # fmt: skip
    problem = RoutingProblem(
        duration_matrix=durations, distance_matrix=metres, depots=tuple(depots),
        vehicle_kinds=tuple(kinds), pairs=tuple(requests), dimensions=("kg/100", "litre"),
    )  # fmt: skip
    routes = _solve(problem, p.reoptimize_time_s, p.seed)
    if routes is None:
        return False
    return _adopt(service, group, pairs, routes)


def _solve(
    problem: RoutingProblem, time_limit_s: float, seed: int
) -> list[tuple[int, list[tuple[str, int]]]] | None:
    """Run PyVRP on the problem; (vehicle kind, [(PICKUP|DELIVERY, pair)]) per route, or None.

    Calls PyVRP directly on :func:`to_pyvrp`'s data rather than :func:`solve`, whose
    up-front check (each order servable from a depot on its own) refuses the pairs of
    orders already aboard, which only their own van can serve.
    """
    import pyvrp
    from pyvrp.stop import MaxRuntime

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyVRP's penalty warnings; an infeasible result is dropped
        try:
            data = to_pyvrp(problem)
        except ValueError:  # a window PyVRP refuses: keep the current plans
            return None
        result = pyvrp.solve(data, stop=MaxRuntime(time_limit_s), seed=seed,
                             collect_stats=False, display=False)  # fmt: skip
    best = result.best
    if not best.is_feasible():
        return None
    routes = []
    for route in best.routes():
        acts = [(a.type.name, int(a.idx)) for a in route.schedule()
                if a.type.name in ("PICKUP", "DELIVERY")]  # fmt: skip
        routes.append((int(route.vehicle_type()), acts))
    served = {idx for _, acts in routes for kind, idx in acts if kind == "DELIVERY"}
    return routes if len(served) == len(problem.pairs) else None


def _adopt(
    service: DeliveryService,
    group: list[int],
    pairs: list[tuple[int, Stop, Stop | None]],
    routes: list[tuple[int, list[tuple[str, int]]]],
) -> bool:
    """Swap in the solver's plans if every aboard order stays put and driving time drops."""
    states = [service.states[v] for v in group]
    new_plans: list[list[Stop]] = [[] for _ in states]
    for van, acts in routes:
        for kind, index in acts:
            v, drop, pickup = pairs[index]
            if kind == "PICKUP":
                if pickup is None:
                    if van != v:
                        return False  # an order aboard would change vans
                    continue
                new_plans[van].append(pickup)
            else:
                new_plans[van].append(drop)
    before = sum(_drive_s(service, st, st.plan) for st in states)
    after = sum(_drive_s(service, st, plan) for st, plan in zip(states, new_plans, strict=True))
    if after >= before * 0.995:
        return False
    for van, st, plan in zip(group, states, new_plans, strict=True):
        for stop in plan:
            service.orders[stop.order].van = van
        st.plan = plan
        st.changed()
        if plan:
            service.kick(van)
    return True


def _drive_s(service: DeliveryService, st: VanState, plan: list[Stop]) -> float:
    nodes = np.array([st.anchor_node, *(s.node for s in plan), st.home], dtype=np.int64)
    return float(service.cache.times(nodes[:-1], nodes[1:]).sum())
