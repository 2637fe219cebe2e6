"""Solving benchmark instance files and summarising against best-known values.

Used by ``lantern fleet solve`` (one file) and ``lantern fleet bench`` (a folder, one core
per solve). Every plan is replayed by the independent checker before it is reported.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from lantern.fleet._checker import check_solution
from lantern.fleet._instances import (
    BestKnown,
    Convention,
    Instance,
    best_known,
    dimacs_length,
    euclidean_length,
    read_instance,
    route_node_ids,
)
from lantern.fleet._problem import Solution
from lantern.fleet._solver import solve

__all__ = ["SolveSummary", "bench", "bench_summary", "find_bks_file", "solve_file"]


@dataclass(frozen=True)
class SolveSummary:
    """What ``lantern fleet solve`` prints for one instance."""

    instance: str
    file: str
    format: str
    convention: str
    objective: float  # the convention's distance (Solomon) / driving time (VRPLIB)
    distance: float  # the routes' unrounded length (= objective but in DIMACS convention)
    vehicles: int
    customers: int
    valid: bool  # the independent checker found no violation
    violations: int
    time_limit_s: float
    seed: int
    iterations: int
    runtime_s: float
    bks: float | None
    bks_convention: str | None
    gap_pct: float | None
    bks_hierarchical: float | None
    bks_vehicles: int | None
    routes: list[list[int]]

    def public(self) -> dict[str, Any]:
        """The JSON summary (routes left out; they go to routes.json)."""
        data = asdict(self)
        del data["routes"]
        return data


def _lengths(instance: Instance, solution: Solution) -> tuple[float, float]:
    """(objective, unrounded length) of the plan, in instance units.

    Solomon files: the objective is the length in the instance's convention, so that it
    compares like-for-like with best-known values of that convention: exact, the unrounded
    Euclidean length (to 0.001); DIMACS, the sum of arcs truncated to one decimal."""
    problem = instance.problem
    if instance.format == "solomon" and problem.coords is not None:
        locations = [[problem.visits[i].location for i in r] for r in solution.visit_routes()]
        exact = round(euclidean_length(problem.coords, 0, locations), 3)
        if instance.convention == Convention.DIMACS.value:
            return dimacs_length(problem.coords, 0, locations), exact
        return exact, exact
    objective = instance.objective(solution)
    return objective, objective


def _gap(objective: float, bks: BestKnown | None) -> float | None:
    if bks is None or bks.cost <= 0:
        return None
    return round(100.0 * (objective - bks.cost) / bks.cost, 3)


def solve_file(
    path: Path,
    *,
    time_limit_s: float,
    seed: int = 0,
    convention: Convention = Convention.EXACT,
    bks_file: Path | None = None,
    vehicle_cost: float = 0.0,
) -> SolveSummary:
    """Read, solve, check and compare one instance file.

    ``vehicle_cost`` (instance units, default 0: distance only) is added per van used; a
    large value approximates the hierarchical objective (fewest vans first). The reported
    objective stays the distance."""
    instance = read_instance(path, convention=convention)
    customers = len(instance.problem.visits)
    distance_bks, hierarchical = best_known(
        instance.name, bks_file, customers=customers, convention=convention
    )
    problem = instance.problem
    if vehicle_cost > 0:
        fixed = round(vehicle_cost * instance.scale)
        kinds = tuple(replace(k, fixed_cost=fixed) for k in problem.vehicle_kinds)
        problem = replace(problem, vehicle_kinds=kinds)
    solution = solve(problem, time_limit_s=time_limit_s, seed=seed)
    report = check_solution(problem, solution)
    objective, length = _lengths(instance, solution)
    primary = _primary(distance_bks, hierarchical, convention, vehicle_cost)
    return SolveSummary(
        instance=instance.name,
        file=str(path),
        format=instance.format,
        convention=instance.convention,
        objective=objective,
        distance=length,
        vehicles=solution.num_vehicles,
        customers=len(instance.problem.visits),
        valid=report.ok,
        violations=len(report.violations),
        time_limit_s=time_limit_s,
        seed=seed,
        iterations=solution.iterations,
        runtime_s=round(solution.runtime_s, 2),
        bks=primary.cost if primary else None,
        bks_convention=primary.convention if primary else None,
        gap_pct=_gap(objective, primary),
        bks_hierarchical=hierarchical.cost if hierarchical else None,
        bks_vehicles=hierarchical.vehicles if hierarchical else None,
        routes=route_node_ids(instance, solution),
    )


def _primary(
    distance: BestKnown | None,
    hierarchical: BestKnown | None,
    convention: Convention,
    vehicle_cost: float,
) -> BestKnown | None:
    """The value the gap is taken against.

    Priced vans: the hierarchical table (fewest vans first). Distance only: the distance
    value of the same convention; in the exact convention the hierarchical value stands in
    when there is none (an upper bound on the distance-only optimum), in the DIMACS one
    there is no stand-in, as a gap against another rounding would not be like-for-like."""
    if vehicle_cost > 0:
        return hierarchical or distance
    if convention is Convention.DIMACS:
        return distance
    return distance or hierarchical


def find_bks_file(data: Path) -> Path | None:
    """A BKS.json in ``data`` or its parent (the ../shared/data/vrptw layout)."""
    for candidate in (data / "BKS.json", data.parent / "BKS.json"):
        if candidate.is_file():
            return candidate
    return None


def bench(
    files: Iterable[Path],
    *,
    time_limit_s: float,
    seed: int,
    jobs: int,
    convention: Convention,
    bks_file: Path | None,
    vehicle_cost: float = 0.0,
    on_done: Callable[[SolveSummary], None] | None = None,
) -> list[SolveSummary]:
    """Solve every file, ``jobs`` processes at a time (one core each).

    Every file (and ``bks_file``) is read first, so a malformed one stops the bench before
    any solve rather than after hours of them."""
    paths = sorted(files)
    for path in paths:
        best_known(read_instance(path, convention=convention).name, bks_file, convention=convention)
    results: list[SolveSummary] = []
    run = partial(
        solve_file,
        time_limit_s=time_limit_s,
        seed=seed,
        convention=convention,
        bks_file=bks_file,
        vehicle_cost=vehicle_cost,
    )
    if jobs <= 1:
        for path in paths:
            results.append(run(path))
            if on_done:
                on_done(results[-1])
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(run, path) for path in paths]
            for future in as_completed(futures):
                results.append(future.result())
                if on_done:
                    on_done(results[-1])
    return sorted(results, key=lambda r: r.file)


def bench_summary(results: list[SolveSummary]) -> dict[str, Any]:
    """Aggregate figures: mean gap, vehicles against the hierarchical table, validity."""
    gaps = [r.gap_pct for r in results if r.gap_pct is not None]
    with_vehicles = [r for r in results if r.bks_vehicles is not None]
    return {
        "instances": len(results),
        "all_valid": all(r.valid for r in results),
        "mean_gap_pct": round(statistics.fmean(gaps), 3) if gaps else None,
        "max_gap_pct": max(gaps) if gaps else None,
        "instances_with_bks": len(gaps),
        "vehicles": sum(r.vehicles for r in results),
        "bks_hierarchical_vehicles": sum(r.bks_vehicles or 0 for r in with_vehicles),
        "results": [r.public() for r in results],
    }
