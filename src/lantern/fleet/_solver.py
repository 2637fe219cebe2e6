"""The dispatcher: one interface, PyVRP 0.14's iterated local search behind it.

PyVRP 0.14 covers every feature of :class:`RoutingProblem` natively: several depots,
multi-dimensional capacities, time windows, service and release times, maximum route
duration (``shift_duration``), battery range (``max_distance``), and pickup-and-delivery
pairs with precedence on one route (``Shipment``); so no second solver is needed.

The stop rule is a Protocol (PyVRP's ``pyvrp.stop`` classes satisfy it): tests pass
``MaxIterations`` for determinism, the CLI a wall-clock limit.
"""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from lantern.fleet._feasibility import check_fleet_capacity, check_orders_servable
from lantern.fleet._problem import PlannedRoute, RoutingProblem, Solution, Stop
from lantern.fleet.errors import InvalidProblem, NoFeasibleSolution

__all__ = [
    "Dispatcher",
    "PyVRPDispatcher",
    "StoppingCriterion",
    "max_iterations",
    "solve",
    "time_limit",
    "to_pyvrp",
]

_log = logging.getLogger(__name__)


class StoppingCriterion(Protocol):
    """Called with the best cost so far after each solver iteration; True stops the search."""

    def __call__(self, best_cost: int) -> bool: ...


class Dispatcher(Protocol):
    """Anything that turns a routing problem into a plan."""

    def solve(self, problem: RoutingProblem, *, stop: StoppingCriterion, seed: int) -> Solution:
        """Plan routes for ``problem`` until ``stop`` says so; deterministic for a seed."""
        ...


def time_limit(seconds: float) -> StoppingCriterion:
    """Stop after ``seconds`` of wall-clock time."""
    from pyvrp.stop import MaxRuntime

    if seconds <= 0:
        raise InvalidProblem(f"the time limit must be positive, got {seconds} s")
    stop: StoppingCriterion = MaxRuntime(seconds)
    return stop


def max_iterations(iterations: int) -> StoppingCriterion:
    """Stop after a number of iterations (deterministic, for tests)."""
    from pyvrp.stop import MaxIterations

    stop: StoppingCriterion = MaxIterations(iterations)
    return stop


def to_pyvrp(problem: RoutingProblem) -> Any:
    """The ``pyvrp.ProblemData`` equivalent of ``problem``."""
    import pyvrp

    n = problem.num_locations
    coords = problem.coords if problem.coords is not None else np.zeros((n, 2))
    locations = [pyvrp.Location(float(x), float(y)) for x, y in coords]
    zeros = [0] * len(problem.dimensions)
    clients = [
        pyvrp.Client(
            location=v.location,
            delivery=list(v.demand),
            pickup=list(v.pickup) if v.pickup else zeros,
            service_duration=v.service_s,
            tw_early=v.tw_early,
            tw_late=v.tw_late,
            release_time=v.release_time,
            prize=v.prize,
            required=v.required,
            name=v.name,
        )
        for v in problem.visits
    ]
    depots = [
        pyvrp.Depot(location=d.location, tw_early=d.tw_early, tw_late=d.tw_late, name=d.name)
        for d in problem.depots
    ]
    vehicle_types = [
        pyvrp.VehicleType(
            num_available=k.count,
            capacity=list(k.capacity),
            start_depot=k.start_depot,
            end_depot=k.return_depot,
            fixed_cost=k.fixed_cost,
            tw_early=k.tw_early,
            tw_late=k.tw_late,
            shift_duration=k.max_duration,
            max_distance=k.max_distance,
            unit_distance_cost=k.unit_distance_cost,
            unit_duration_cost=k.unit_duration_cost,
            name=k.name,
        )
        for k in problem.vehicle_kinds
    ]
    shipments = [
        pyvrp.Shipment(
            pickup_location=p.pickup_location,
            delivery_location=p.delivery_location,
            pickup_tw_early=p.pickup_tw_early,
            pickup_tw_late=p.pickup_tw_late,
            pickup_service_duration=p.pickup_service_s,
            delivery_tw_early=p.delivery_tw_early,
            delivery_tw_late=p.delivery_tw_late,
            delivery_service_duration=p.delivery_service_s,
            amount=list(p.amount),
            name=p.name,
        )
        for p in problem.pairs
    ]
    durations: Any = np.ascontiguousarray(problem.duration_matrix, dtype=np.int64)
    distances: Any = np.ascontiguousarray(problem.distances, dtype=np.int64)
    return pyvrp.ProblemData(
        locations, clients, depots, vehicle_types, [distances], [durations], shipments=shipments
    )


_KINDS = {"CLIENT": "visit", "PICKUP": "pickup", "DELIVERY": "delivery"}


def _from_pyvrp(problem: RoutingProblem, result: Any, runtime_s: float) -> Solution:
    best = result.best
    routes = []
    served_visits: set[int] = set()
    served_pairs: set[int] = set()
    for route in best.routes():
        stops = []
        for activity in route.schedule():
            kind = _KINDS.get(activity.type.name)
            if kind is None:
                continue
            stops.append(Stop(kind, int(activity.idx)))
            (served_visits if kind == "visit" else served_pairs).add(int(activity.idx))
        routes.append(
            PlannedRoute(
                vehicle_kind=int(route.vehicle_type()),
                stops=tuple(stops),
                distance=int(route.distance()),
                duration=int(route.duration()),
            )
        )
    extra = {}
    if not best.is_feasible():  # what the best plan breaks, for the error message
        extra = {
            "time_warp": float(best.time_warp()),
            "excess_load": float(sum(best.excess_load())),
            "excess_distance": float(best.excess_distance()),
            "overtime": float(best.overtime()),
        }
    return Solution(
        routes=tuple(routes),
        cost=int(result.cost()) if best.is_feasible() else int(best.distance()),
        distance=int(best.distance()),
        duration=int(best.duration()),
        feasible=bool(best.is_feasible()),
        unserved_visits=tuple(i for i in range(len(problem.visits)) if i not in served_visits),
        unserved_pairs=tuple(i for i in range(len(problem.pairs)) if i not in served_pairs),
        iterations=int(result.num_iterations),
        runtime_s=runtime_s,
        extra=extra,
    )


@dataclass(frozen=True)
class PyVRPDispatcher:
    """The default :class:`Dispatcher`: PyVRP's iterated local search, one core.

    ``check_orders`` (default on) first proves each required order servable by one vehicle
    alone from its start depot, raising a named error otherwise; turn it off for problems
    where that test does not apply (re-planning orders already aboard a moving van, which
    only that van can serve) and inspect ``Solution.feasible`` instead.
    """

    check_orders: bool = True

    def solve(self, problem: RoutingProblem, *, stop: StoppingCriterion, seed: int) -> Solution:
        """Check every order is servable alone, then search until ``stop``."""
        import pyvrp

        if self.check_orders:
            check_orders_servable(problem)
        if not problem.visits and not problem.pairs:
            return Solution(routes=(), cost=0, distance=0, duration=0, feasible=True)
        data = to_pyvrp(problem)
        started = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            # PyVRP's PenaltyBoundWarning and the like: an infeasible end is reported by
            # solve() as NoFeasibleSolution, so they are logged, not printed to the user
            warnings.simplefilter("always")
            result = pyvrp.solve(data, stop=stop, seed=seed, collect_stats=False, display=False)
        for warning in caught:
            _log.debug("PyVRP: %s: %s", warning.category.__name__, warning.message)
        return _from_pyvrp(problem, result, time.perf_counter() - started)


def solve(
    problem: RoutingProblem,
    *,
    time_limit_s: float | None = None,
    stop: StoppingCriterion | None = None,
    seed: int = 0,
    require_feasible: bool = True,
    dispatcher: Dispatcher | None = None,
) -> Solution:
    """Solve ``problem`` with ``dispatcher`` (PyVRP by default).

    Give either ``time_limit_s`` or a ``stop`` rule. With ``require_feasible`` (the
    default) a plan that leaves a required order unserved or breaks a constraint raises
    :class:`NoFeasibleSolution` instead of being returned; a fleet whose total capacity is
    below the visits' total demand raises :class:`FleetTooSmall` before any search.
    """
    if (time_limit_s is None) == (stop is None):
        raise InvalidProblem("give exactly one of time_limit_s and stop")
    rule = stop if stop is not None else time_limit(float(time_limit_s or 0))
    if require_feasible:
        check_fleet_capacity(problem)
    solution = (dispatcher or PyVRPDispatcher()).solve(problem, stop=rule, seed=seed)
    missing = [i for i in solution.unserved_visits if problem.visits[i].required]
    if require_feasible and (not solution.feasible or missing or solution.unserved_pairs):
        raise NoFeasibleSolution(
            f"no feasible plan for {problem.name or 'the problem'} within the stop rule: "
            f"the best plan found {_shortfall(problem, solution, len(missing))}; allow more "
            "vehicles or time, or relax the time windows"
        )
    return solution


def _shortfall(problem: RoutingProblem, solution: Solution, missing: int) -> str:
    """What the best plan breaks, in words ("leaves 2 customers unserved and ...")."""
    parts = []
    if missing:
        parts.append(f"leaves {missing} required customer{'s' if missing > 1 else ''} unserved")
    if solution.unserved_pairs:
        parts.append(f"leaves {len(solution.unserved_pairs)} pickup-delivery pairs unserved")
    extra = solution.extra
    units = problem.in_file_units
    if extra.get("time_warp", 0) > 0:
        late = units(int(extra["time_warp"]))
        parts.append(f"arrives after time windows close (by {late} in total)")
    if extra.get("excess_load", 0) > 0:
        parts.append(f"overloads vehicles (by {int(extra['excess_load'])} in total)")
    if extra.get("excess_distance", 0) > 0:
        parts.append(f"exceeds the range (by {units(int(extra['excess_distance']))} in total)")
    if extra.get("overtime", 0) > 0:
        parts.append(f"exceeds the shift length (by {units(int(extra['overtime']))} in total)")
    return " and ".join(parts) or "breaks a constraint"
