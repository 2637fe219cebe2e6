"""An independent route checker: replays a plan on the matrices, never trusting the solver.

For each route it walks depot -> stops -> depot, waiting when early, and checks capacity in
every dimension (deliveries loaded at the depot, pickups added, pair deliveries removed),
time windows, depot hours, maximum distance (battery) and duration, pickup before delivery
on the same route; then that each required order is served exactly once and the fleet size
per vehicle kind. Distance, duration and cost are recomputed from the matrices.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lantern.fleet._problem import PlannedRoute, RoutingProblem, Solution, VehicleKind

__all__ = ["CheckReport", "check_solution"]


@dataclass
class CheckReport:
    """What the checker found: violations (empty when valid) and recomputed totals."""

    violations: list[str] = field(default_factory=list)
    distance: int = 0
    duration: int = 0
    cost: int = 0
    route_distances: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the plan breaks no rule."""
        return not self.violations


def check_solution(problem: RoutingProblem, solution: Solution) -> CheckReport:
    """Replay ``solution`` on ``problem`` and report every violation."""
    report = CheckReport()
    for r, route in enumerate(solution.routes):
        if not 0 <= route.vehicle_kind < len(problem.vehicle_kinds):
            report.violations.append(f"route {r}: unknown vehicle kind {route.vehicle_kind}")
            continue
        _check_route(problem, r, route, report)
    _check_coverage(problem, solution, report)
    used = Counter(route.vehicle_kind for route in solution.routes)
    for k, count in used.items():
        if 0 <= k < len(problem.vehicle_kinds) and count > problem.vehicle_kinds[k].count:
            report.violations.append(
                f"vehicle kind {k}: {count} routes but only {problem.vehicle_kinds[k].count} vans"
            )
    return report


def _check_coverage(problem: RoutingProblem, solution: Solution, report: CheckReport) -> None:
    seen = Counter((s.kind, s.index) for route in solution.routes for s in route.stops)
    for (kind, index), count in seen.items():
        size = len(problem.visits) if kind == "visit" else len(problem.pairs)
        if kind not in ("visit", "pickup", "delivery") or not 0 <= index < size:
            report.violations.append(f"unknown stop {kind} {index}")
        elif count > 1:
            report.violations.append(f"{kind} {index} is served {count} times")
    for i, visit in enumerate(problem.visits):
        if visit.required and seen[("visit", i)] == 0:
            report.violations.append(f"{problem.order_name('visit', i)} is not served")
    for i in range(len(problem.pairs)):
        if seen[("pickup", i)] == 0 or seen[("delivery", i)] == 0:
            report.violations.append(f"{problem.order_name('pair', i)} is not served")


def _stop_data(problem: RoutingProblem, kind: str, index: int) -> tuple[int, int, int, int, int]:
    """(location, service, tw_early, tw_late, release) of a stop."""
    if kind == "visit":
        v = problem.visits[index]
        return v.location, v.service_s, v.tw_early, v.tw_late, v.release_time
    p = problem.pairs[index]
    if kind == "pickup":
        return p.pickup_location, p.pickup_service_s, p.pickup_tw_early, p.pickup_tw_late, 0
    return p.delivery_location, p.delivery_service_s, p.delivery_tw_early, p.delivery_tw_late, 0


def _check_route(problem: RoutingProblem, r: int, route: PlannedRoute, report: CheckReport) -> None:
    kind = problem.vehicle_kinds[route.vehicle_kind]
    start, end = problem.depots[kind.start_depot], problem.depots[kind.return_depot]
    bad = [s for s in route.stops if not _known(problem, s.kind, s.index)]
    if bad:
        report.violations.append(f"route {r}: unknown stops {bad}")
        return
    _check_loads(problem, r, route, kind, report)
    release = max((_stop_data(problem, s.kind, s.index)[4] for s in route.stops), default=0)
    depart = max(kind.tw_early, start.tw_early, release)
    time, here, distance = depart, start.location, 0
    waits: list[int] = []  # cumulative waiting up to each stop
    slacks: list[int] = []  # tw_late - service start at each stop
    waited = 0
    for s in route.stops:
        location, service, tw_early, tw_late, _ = _stop_data(problem, s.kind, s.index)
        time += int(problem.duration_matrix[here, location])
        distance += int(problem.distances[here, location])
        if time > tw_late:
            report.violations.append(
                f"route {r}: {s.kind} {s.index} starts at {time}, after its window ends at "
                f"{tw_late}"
            )
        waited += max(0, tw_early - time)
        time = max(time, tw_early)
        waits.append(waited)
        slacks.append(tw_late - time)
        time += service
        here = location
    time += int(problem.duration_matrix[here, end.location])
    distance += int(problem.distances[here, end.location])
    if time > min(kind.tw_late, end.tw_late):
        report.violations.append(f"route {r}: returns at {time}, after the depot/shift closes")
    # Leaving later absorbs waiting: the shortest duration of this sequence.
    delay = min([waited] + [max(0, s + w) for s, w in zip(slacks, waits, strict=True)])
    duration = time - depart - delay
    if distance > kind.max_distance:
        report.violations.append(f"route {r}: distance {distance} over range {kind.max_distance}")
    if duration > kind.max_duration:
        report.violations.append(f"route {r}: duration {duration} over {kind.max_duration}")
    report.distance += distance
    report.duration += duration
    report.route_distances.append(distance)
    report.cost += (
        kind.fixed_cost + kind.unit_distance_cost * distance + kind.unit_duration_cost * duration
    )


def _known(problem: RoutingProblem, kind: str, index: int) -> bool:
    size = len(problem.visits) if kind == "visit" else len(problem.pairs)
    return kind in ("visit", "pickup", "delivery") and 0 <= index < size


def _check_loads(
    problem: RoutingProblem, r: int, route: PlannedRoute, kind: VehicleKind, report: CheckReport
) -> None:
    dims = len(problem.dimensions)
    load = [0] * dims
    for s in route.stops:
        if s.kind == "visit":
            load = [a + b for a, b in zip(load, problem.visits[s.index].demand, strict=True)]
    peak = list(load)
    picked: set[int] = set()
    for s in route.stops:
        if s.kind == "visit":
            v = problem.visits[s.index]
            load = [a - b for a, b in zip(load, v.demand, strict=True)]
            load = [a + b for a, b in zip(load, v.pickup or [0] * dims, strict=True)]
        elif s.kind == "pickup":
            picked.add(s.index)
            load = [a + b for a, b in zip(load, problem.pairs[s.index].amount, strict=True)]
        else:
            if s.index not in picked:
                report.violations.append(f"route {r}: pair {s.index} delivered before pickup")
            load = [a - b for a, b in zip(load, problem.pairs[s.index].amount, strict=True)]
        peak = [max(a, b) for a, b in zip(peak, load, strict=True)]
    for d, (amount, cap) in enumerate(zip(peak, kind.capacity, strict=True)):
        if amount > cap:
            report.violations.append(
                f"route {r}: load {amount} {problem.dimensions[d]} over capacity {cap}"
            )
