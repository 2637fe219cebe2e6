"""Property: on random problems, the solver and the independent checker agree."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.fleet import (
    Depot,
    PickupDelivery,
    PyVRPDispatcher,
    RoutingProblem,
    VehicleKind,
    Visit,
    check_solution,
    max_iterations,
    solve,
)


@st.composite
def problems(draw: st.DrawFn) -> RoutingProblem:
    """Two depots, kg and m3 loads, windows, range limits and pickup-delivery pairs."""
    n = draw(st.integers(4, 9))
    xy = np.array(
        draw(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), min_size=n, max_size=n)),
        dtype=np.float64,
    )
    diff = xy[:, None, :] - xy[None, :, :]
    matrix = np.ceil(np.hypot(diff[..., 0], diff[..., 1])).astype(np.int64)
    visits = []
    for location in range(2, n - 2):
        early = draw(st.integers(0, 150))
        visits.append(
            Visit(
                location,
                (draw(st.integers(0, 6)), draw(st.integers(0, 2))),
                service_s=draw(st.integers(0, 10)),
                tw_early=early,
                tw_late=early + draw(st.integers(0, 400)),
                pickup=(draw(st.integers(0, 3)), 0),
            )
        )
    pairs = (
        PickupDelivery(
            n - 2, n - 1, (draw(st.integers(1, 5)), 1), delivery_tw_late=draw(st.integers(300, 900))
        ),
    )
    kinds = (
        VehicleKind(
            count=3, capacity=(12, 4), start_depot=0, max_distance=draw(st.integers(60, 600))
        ),
        VehicleKind(
            count=2,
            capacity=(8, 3),
            start_depot=1,
            end_depot=0,
            max_duration=draw(st.integers(200, 900)),
        ),
    )
    return RoutingProblem(
        duration_matrix=matrix,
        depots=(Depot(0, 0, 1500), Depot(1, 0, 1500)),
        vehicle_kinds=kinds,
        visits=tuple(visits),
        pairs=pairs,
        dimensions=("kg", "m3"),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.integers(0, 10))
def test_checker_agrees_with_the_solver(problem: RoutingProblem, seed: int) -> None:
    """A plan the solver calls feasible and complete passes the checker with the same
    distance; a plan the checker passes is one the solver calls feasible."""
    solution = solve(
        problem,
        stop=max_iterations(40),
        seed=seed,
        require_feasible=False,
        dispatcher=PyVRPDispatcher(check_orders=False),
    )
    report = check_solution(problem, solution)
    complete = not solution.unserved_visits and not solution.unserved_pairs
    if solution.feasible and complete:
        assert report.ok, report.violations
        assert report.distance == solution.distance
        assert report.duration == solution.duration
    if report.ok:
        assert solution.feasible
