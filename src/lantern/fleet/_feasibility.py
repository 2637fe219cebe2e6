"""Checks, before solving, that every required order can be served by some vehicle alone.

An order no vehicle kind can carry raises :class:`CapacityExceeded`; one whose time window
(or the route limits: depot hours, battery range, maximum duration) rules out even a direct
trip from the depot raises :class:`UnreachableCustomer`. Both name the order, so nothing is
silently dropped. :func:`check_fleet_capacity` (run by ``solve`` when a feasible plan is
required) raises :class:`FleetTooSmall` when the visits' total demand (or total pickup)
exceeds what all vehicles together carry in one trip each, naming both figures.
Times and distances are printed in the source file's units (``unit_scale``).
"""

from __future__ import annotations

from lantern.fleet._problem import PickupDelivery, RoutingProblem, VehicleKind, Visit
from lantern.fleet.errors import CapacityExceeded, FleetTooSmall, UnreachableCustomer

__all__ = ["check_fleet_capacity", "check_orders_servable"]


def check_orders_servable(problem: RoutingProblem) -> None:
    """Raise for the first required order that no single vehicle can serve on its own."""
    for i, visit in enumerate(problem.visits):
        if visit.required:
            _check_one(problem, problem.order_name("visit", i), _visit_path(visit), visit)
    for i, pair in enumerate(problem.pairs):
        _check_one(problem, problem.order_name("pair", i), _pair_path(pair), pair)


def check_fleet_capacity(problem: RoutingProblem) -> None:
    """Raise when the required visits' total demand exceeds the fleet's total capacity.

    Each vehicle makes one trip, so it delivers (and brings back) at most its capacity per
    dimension; pairs are left out, as a van can carry several one after another."""
    required = [v for v in problem.visits if v.required]
    if any(not _fitting(problem.vehicle_kinds, v) for v in required):
        return  # an order too heavy for every vehicle: CapacityExceeded names it
    fleet = [
        sum(k.count * k.capacity[d] for k in problem.vehicle_kinds)
        for d in range(len(problem.dimensions))
    ]
    for label, loads in (
        ("demand", [v.demand for v in required]),
        ("pickup", [v.pickup for v in required if v.pickup]),
    ):
        for d, dimension in enumerate(problem.dimensions):
            total = sum(load[d] for load in loads)
            if total > fleet[d]:
                unit = "" if problem.dimensions == ("load",) else f" {dimension}"
                raise FleetTooSmall(
                    f"{problem.name or 'the problem'}: total {label} {total}{unit} of "
                    f"{len(required)} customers exceeds the fleet's capacity "
                    f"{fleet[d]}{unit} ({_fleet_words(problem, d)}); add vehicles or "
                    "split the work"
                )


def _fleet_words(problem: RoutingProblem, d: int) -> str:
    """``1 van x 50`` or ``2 vehicles x 50 + 1 vehicle x 80``."""
    parts = []
    for kind in problem.vehicle_kinds:
        noun = kind.name or "vehicle"
        plural = noun if kind.count == 1 else f"{noun}s"
        parts.append(f"{kind.count} {plural} x {kind.capacity[d]}")
    return " + ".join(parts)


# A path step: (where, as said in messages; location, service, tw_early, tw_late)
_Step = tuple[str, int, int, int, int]


def _visit_path(visit: Visit) -> list[_Step]:
    return [("", visit.location, visit.service_s, visit.tw_early, visit.tw_late)]


def _pair_path(pair: PickupDelivery) -> list[_Step]:
    return [
        (
            " at the pickup",
            pair.pickup_location,
            pair.pickup_service_s,
            pair.pickup_tw_early,
            pair.pickup_tw_late,
        ),
        (
            " at the delivery",
            pair.delivery_location,
            pair.delivery_service_s,
            pair.delivery_tw_early,
            pair.delivery_tw_late,
        ),
    ]


def _loads(order: Visit | PickupDelivery) -> tuple[tuple[int, ...], ...]:
    if isinstance(order, Visit):
        return (order.demand, order.pickup) if order.pickup else (order.demand,)
    return (order.amount,)


def _amount(values: tuple[int, ...], dimensions: tuple[str, ...]) -> str:
    """``(20, 1)`` in ``("kg", "m3")`` as "20 kg, 1 m3"; the unnamed default as "20"."""
    if dimensions == ("load",):
        return ", ".join(map(str, values))
    return ", ".join(f"{q} {d}" for q, d in zip(values, dimensions, strict=True))


def _fitting(kinds: tuple[VehicleKind, ...], order: Visit | PickupDelivery) -> list[VehicleKind]:
    """The vehicle kinds that can carry ``order`` at all."""
    return [
        k
        for k in kinds
        if all(all(q <= c for q, c in zip(load, k.capacity, strict=True)) for load in _loads(order))
    ]


def _check_one(
    problem: RoutingProblem, name: str, path: list[_Step], order: Visit | PickupDelivery
) -> None:
    kinds = problem.vehicle_kinds
    fitting = _fitting(kinds, order)
    if not fitting:
        best = max(k.capacity for k in kinds)
        loads = " and ".join(_amount(load, problem.dimensions) for load in _loads(order))
        raise CapacityExceeded(
            name,
            f"its demand {loads} exceeds every vehicle's capacity (largest "
            f"{_amount(best, problem.dimensions)}); split the order or add a larger vehicle",
        )
    release = order.release_time if isinstance(order, Visit) else 0
    reasons = [_direct_trip_problem(problem, k, path, release) for k in fitting]
    if all(reasons):
        raise UnreachableCustomer(name, f"{reasons[0]}; widen its time window or move it")


def _direct_trip_problem(
    problem: RoutingProblem, kind: VehicleKind, path: list[_Step], release: int
) -> str | None:
    """Why a vehicle of ``kind`` cannot serve ``path`` on a trip of its own (None if it can)."""
    start = problem.depots[kind.start_depot]
    end = problem.depots[kind.return_depot]
    durations, distances = problem.duration_matrix, problem.distances
    time = max(kind.tw_early, start.tw_early, release)
    here, distance, busy = start.location, 0, 0
    units = problem.in_file_units
    for where, location, service, tw_early, tw_late in path:
        time += int(durations[here, location])
        distance += int(distances[here, location])
        busy += int(durations[here, location]) + service
        if time > tw_late:
            return (
                f"the earliest arrival{where} is {units(time)}, after its time window "
                f"closes at {units(tw_late)}"
            )
        time = max(time, tw_early) + service
        here = location
    time += int(durations[here, end.location])
    distance += int(distances[here, end.location])
    busy += int(durations[here, end.location])
    if time > min(kind.tw_late, end.tw_late):
        closes = min(kind.tw_late, end.tw_late)
        return (
            f"a vehicle serving it returns at {units(time)}, after the depot closes "
            f"at {units(closes)}"
        )
    if distance > kind.max_distance:
        return (
            f"the direct round trip is {units(distance)} long, beyond the range "
            f"{units(kind.max_distance)}"
        )
    if busy > kind.max_duration:
        return (
            f"the direct round trip takes {units(busy)}, over the limit {units(kind.max_duration)}"
        )
    return None
