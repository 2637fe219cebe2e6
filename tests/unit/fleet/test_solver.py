"""The dispatcher: optimal on tiny instances, every feature honoured, every plan checked."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from lantern.fleet import (
    Depot,
    PickupDelivery,
    RoutingProblem,
    VehicleKind,
    Visit,
    check_solution,
    max_iterations,
    solve,
)
from lantern.fleet.errors import (
    CapacityExceeded,
    InvalidProblem,
    NoFeasibleSolution,
    UnreachableCustomer,
)


def _matrix(points: list[tuple[int, int]]) -> NDArray[np.int64]:
    xy = np.array(points, dtype=np.float64)
    diff = xy[:, None, :] - xy[None, :, :]
    lengths: NDArray[np.int64] = np.rint(np.hypot(diff[..., 0], diff[..., 1]) * 10).astype(np.int64)
    return lengths


def _partitions(items: list[int]) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        yield [[first], *part]
        for i in range(len(part)):
            yield [*part[:i], [first, *part[i]], *part[i + 1 :]]


def _route_cost(problem: RoutingProblem, route: tuple[int, ...]) -> int | None:
    d = problem.duration_matrix
    cap = problem.vehicle_kinds[0].capacity[0]
    if sum(problem.visits[i].demand[0] for i in route) > cap:
        return None
    time, here, cost = 0, 0, 0
    for i in route:
        v = problem.visits[i]
        time = max(time + int(d[here, v.location]), v.tw_early)
        if time > v.tw_late:
            return None
        cost += int(d[here, v.location])
        time += v.service_s
        here = v.location
    if time + int(d[here, 0]) > problem.depots[0].tw_late:
        return None
    return cost + int(d[here, 0])


def _brute_force_optimum(problem: RoutingProblem) -> int:
    best = None
    for part in _partitions(list(range(len(problem.visits)))):
        if len(part) > problem.vehicle_kinds[0].count:
            continue
        total = 0
        for block in part:
            costs = [_route_cost(problem, p) for p in itertools.permutations(block)]
            feasible = [c for c in costs if c is not None]
            if not feasible:
                break
            total += min(feasible)
        else:
            best = total if best is None else min(best, total)
    assert best is not None
    return best


def _tiny(seed: int) -> RoutingProblem:
    rng = np.random.default_rng(seed)
    points = [(50, 50)] + [(int(x), int(y)) for x, y in (rng.integers(0, 100, 2) for _ in range(6))]
    d = _matrix(points)
    visits = []
    for i in range(1, 7):
        early = int(rng.integers(0, 1200))
        visits.append(
            Visit(
                i,
                (int(rng.integers(1, 8)),),
                service_s=50,
                tw_early=early,
                tw_late=early + int(rng.integers(300, 1500)),
            )
        )
    return RoutingProblem(
        duration_matrix=d,
        depots=(Depot(0, 0, 4000),),
        vehicle_kinds=(VehicleKind(count=4, capacity=(15,)),),
        visits=tuple(visits),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tiny_instances_reach_the_enumerated_optimum(seed: int) -> None:
    """On 6-customer VRPTWs the solver finds the optimum found by full enumeration."""
    problem = _tiny(seed)
    solution = solve(problem, stop=max_iterations(300), seed=seed)
    report = check_solution(problem, solution)
    assert report.ok, report.violations
    assert report.distance == solution.distance == _brute_force_optimum(problem)


def test_same_seed_same_plan() -> None:
    """With an iteration limit the search is deterministic for a seed."""
    problem = _tiny(4)
    a = solve(problem, stop=max_iterations(100), seed=7)
    b = solve(problem, stop=max_iterations(100), seed=7)
    assert a.routes == b.routes


def _robovan_problem() -> RoutingProblem:
    points = [(0, 0), (100, 0), (0, 100), (200, 0), (0, 200), (150, 150), (-100, 0), (-100, 50)]
    return RoutingProblem(
        duration_matrix=_matrix(points),
        depots=(Depot(0, 0, 20_000, name="north"), Depot(6, 0, 20_000, name="south")),
        vehicle_kinds=(
            VehicleKind(count=2, capacity=(100, 3), start_depot=0, max_distance=6_000),
            VehicleKind(count=1, capacity=(50, 2), start_depot=1, max_duration=9_000),
        ),
        visits=(
            Visit(1, (40, 1), service_s=100, tw_early=0, tw_late=5_000, name="shop-1"),
            Visit(2, (40, 1), service_s=100, name="home-2"),
            Visit(7, (30, 1), service_s=60, name="home-7"),
        ),
        pairs=(
            PickupDelivery(
                3,
                4,
                (20, 1),
                pickup_service_s=120,
                delivery_service_s=60,
                delivery_tw_late=15_000,
                name="meal-1",
            ),
            PickupDelivery(5, 2, (10, 0), name="meal-2"),
        ),
        dimensions=("kg", "m3"),
    )


def test_depots_dimensions_range_and_pairs_are_honoured() -> None:
    """Two depots, kg and m3, range and duration limits, pickup-delivery pairs: the plan
    serves everything, pairs on one route with pickup first, and passes the checker."""
    problem = _robovan_problem()
    solution = solve(problem, stop=max_iterations(300), seed=1)
    report = check_solution(problem, solution)
    assert report.ok, report.violations
    assert report.distance == solution.distance
    for route in solution.routes:
        kinds = [(s.kind, s.index) for s in route.stops]
        for pair in range(len(problem.pairs)):
            if ("pickup", pair) in kinds:
                assert kinds.index(("pickup", pair)) < kinds.index(("delivery", pair))
    served_pairs = {s.index for r in solution.routes for s in r.stops if s.kind == "pickup"}
    assert served_pairs == {0, 1}


def test_range_limit_forces_more_vans() -> None:
    """A battery range too short for one tour makes the solver use two vans."""
    points = [(0, 0), (100, 0), (0, 100)]
    base: dict[str, Any] = dict(
        duration_matrix=_matrix(points), depots=(Depot(0),), visits=(Visit(1, (1,)), Visit(2, (1,)))
    )
    free = solve(
        RoutingProblem(vehicle_kinds=(VehicleKind(2, (10,)),), **base), stop=max_iterations(50)
    )
    limited_problem = RoutingProblem(
        vehicle_kinds=(VehicleKind(2, (10,), max_distance=2_500),), **base
    )
    limited = solve(limited_problem, stop=max_iterations(50))
    assert free.num_vehicles == 1
    assert limited.num_vehicles == 2
    assert check_solution(limited_problem, limited).ok


def test_over_capacity_order_is_named() -> None:
    """A demand above every van's capacity raises CapacityExceeded naming the order."""
    problem = RoutingProblem(
        duration_matrix=_matrix([(0, 0), (1, 1)]),
        depots=(Depot(0),),
        vehicle_kinds=(VehicleKind(1, (10,)),),
        visits=(Visit(1, (11,), name="order 42"),),
    )
    with pytest.raises(CapacityExceeded, match="order 42"):
        solve(problem, stop=max_iterations(10))


def test_unreachable_window_is_named() -> None:
    """A window closing before a van can arrive directly raises UnreachableCustomer."""
    problem = RoutingProblem(
        duration_matrix=_matrix([(0, 0), (100, 0)]),
        depots=(Depot(0),),
        vehicle_kinds=(VehicleKind(1, (10,)),),
        visits=(Visit(1, (1,), tw_early=0, tw_late=500, name="order 7"),),
    )
    with pytest.raises(UnreachableCustomer, match="order 7"):
        solve(problem, stop=max_iterations(10))


def test_too_few_vans_is_reported_not_dropped() -> None:
    """When the fleet cannot serve every order the call fails instead of dropping one."""
    problem = RoutingProblem(
        duration_matrix=_matrix([(0, 0), (10, 0), (0, 10)]),
        depots=(Depot(0),),
        vehicle_kinds=(VehicleKind(1, (5,)),),
        visits=(Visit(1, (4,)), Visit(2, (4,))),
    )
    with pytest.raises(NoFeasibleSolution):
        solve(problem, stop=max_iterations(50))
    relaxed = solve(problem, stop=max_iterations(50), require_feasible=False)
    assert not relaxed.feasible or relaxed.unserved_visits


def test_inconsistent_problem_is_rejected() -> None:
    """A location outside the matrix is an InvalidProblem, before any solving."""
    with pytest.raises(InvalidProblem, match="outside"):
        RoutingProblem(
            duration_matrix=_matrix([(0, 0)]),
            depots=(Depot(0),),
            vehicle_kinds=(VehicleKind(1, (5,)),),
            visits=(Visit(3, (1,)),),
        )


def test_order_check_can_be_turned_off() -> None:
    """Without the up-front check an unservable order comes back as an infeasible plan."""
    from lantern.fleet import PyVRPDispatcher

    problem = RoutingProblem(
        duration_matrix=_matrix([(0, 0), (100, 0)]),
        depots=(Depot(0),),
        vehicle_kinds=(VehicleKind(1, (10,)),),
        visits=(Visit(1, (1,), tw_early=0, tw_late=500),),
    )
    solution = solve(
        problem,
        stop=max_iterations(20),
        dispatcher=PyVRPDispatcher(check_orders=False),
        require_feasible=False,
    )
    assert not solution.feasible
    assert not check_solution(problem, solution).ok
