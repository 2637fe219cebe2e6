"""The independent route checker catches every kind of violation and recomputes costs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lantern.fleet import (
    Depot,
    PickupDelivery,
    PlannedRoute,
    RoutingProblem,
    Solution,
    Stop,
    VehicleKind,
    Visit,
    check_solution,
)

# Locations on a line, 100 units apart: 0 depot, 1, 2, 3.
D = np.array([[abs(i - j) * 100 for j in range(4)] for i in range(4)], dtype=np.int64)


def _problem(**changes: Any) -> RoutingProblem:
    fields: dict[str, Any] = dict(
        duration_matrix=D,
        depots=(Depot(0, 0, 10_000),),
        vehicle_kinds=(
            VehicleKind(count=2, capacity=(10, 2), fixed_cost=1000, unit_duration_cost=1),
        ),
        visits=(
            Visit(1, (4, 1), service_s=10, tw_early=0, tw_late=350),
            Visit(2, (4, 1), service_s=10, tw_early=300, tw_late=400),
        ),
        pairs=(PickupDelivery(3, 1, (2, 0)),),
        dimensions=("kg", "m3"),
    )
    fields.update(changes)
    return RoutingProblem(**fields)


def _plan(*routes: list[tuple[str, int]], kind: int = 0) -> Solution:
    return Solution(
        routes=tuple(PlannedRoute(kind, tuple(Stop(k, i) for k, i in r)) for r in routes),
        cost=0,
        distance=0,
        duration=0,
        feasible=True,
    )


GOOD = [("visit", 0), ("visit", 1), ("pickup", 0), ("delivery", 0)]


def test_valid_plan_and_recomputed_costs() -> None:
    """A valid plan passes; distance, duration (waiting absorbed) and cost are recomputed."""
    report = check_solution(_problem(), _plan(GOOD))
    assert report.ok, report.violations
    # 0 -> 1 -> 2 -> 3 -> 1 -> 0 = 100 + 100 + 100 + 200 + 100
    assert report.distance == 600
    # leaving at 0 it waits 90 at 2 and is back at 710; leaving at 90 absorbs the wait
    assert report.duration == 710 - 90
    assert report.cost == 1000 + 600 + 620


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (_plan([("visit", 1), ("visit", 0), ("pickup", 0), ("delivery", 0)]), "after its window"),
        (_plan(GOOD[:1], GOOD[1:]), ""),  # valid split, checked separately below
        (
            _plan([("visit", 0), ("visit", 0), ("visit", 1), ("pickup", 0), ("delivery", 0)]),
            "served 2 times",
        ),
        (_plan([("visit", 0), ("pickup", 0), ("delivery", 0)]), "is not served"),
        (
            _plan([("visit", 0), ("visit", 1), ("delivery", 0), ("pickup", 0)]),
            "delivered before pickup",
        ),
        (
            _plan([("visit", 0), ("visit", 1), ("visit", 9), ("pickup", 0), ("delivery", 0)]),
            "unknown stops",
        ),
        (_plan([("visit", 0)], [("visit", 1)], [("pickup", 0), ("delivery", 0)]), "only 2 vans"),
    ],
)
def test_violations_are_caught(plan: Solution, message: str) -> None:
    """Late arrival, duplicates, missing orders, precedence, unknown stops, fleet size."""
    report = check_solution(_problem(), plan)
    if message:
        assert any(message in v for v in report.violations), report.violations
    else:
        assert report.ok


def test_capacity_in_every_dimension() -> None:
    """Over capacity in m3 alone is a violation."""
    tight = (VehicleKind(count=2, capacity=(10, 1)),)
    report = check_solution(_problem(vehicle_kinds=tight), _plan(GOOD))
    assert any("m3 over capacity" in v for v in report.violations)


def test_pickup_load_counts_on_board() -> None:
    """A pair's amount counts between its pickup and its delivery."""
    kinds = (VehicleKind(count=2, capacity=(9, 2)),)
    problem = _problem(vehicle_kinds=kinds)
    # deliveries first (8 kg on board at the start), then the 2 kg shipment: peak 8 kg.
    assert check_solution(problem, _plan(GOOD)).ok
    # shipment picked up before the deliveries are dropped: 8 + 2 = 10 kg > 9.
    early = [("pickup", 0), ("visit", 0), ("visit", 1), ("delivery", 0)]
    problem_wide = _problem(
        vehicle_kinds=kinds,
        visits=(Visit(1, (4, 1)), Visit(2, (4, 1))),
    )
    report = check_solution(problem_wide, _plan(early))
    assert any("kg over capacity" in v for v in report.violations)


def test_range_duration_and_depot_hours() -> None:
    """Battery range, maximum duration and the depot's closing time are enforced."""
    short = (VehicleKind(count=2, capacity=(10, 2), max_distance=500, max_duration=400),)
    report = check_solution(_problem(vehicle_kinds=short), _plan(GOOD))
    text = " ".join(report.violations)
    assert "over range 500" in text
    assert "duration 620 over 400" in text
    closing = check_solution(_problem(depots=(Depot(0, 0, 600),)), _plan(GOOD))
    assert any("after the depot" in v for v in closing.violations)
