"""Dispatch policies for the EURO-NeurIPS dynamic VRPTW: which open requests go now.

- ``greedy``: dispatch every open request each epoch and route them (the competition's
  baseline).
- ``lazy``: dispatch only must-dispatch requests (the quickstart's other baseline).
- ``must-routes``: route every open request, send only the routes that carry a
  must-dispatch request.
- ``prizes`` (the best here): a prize-collecting VRPTW where must-dispatch requests are
  required and the others are worth an estimate of their cost if served later; only routes
  with a must-dispatch request leave.
- ``sampling``: the rollout rule of the competition's OptiML team: sample scenarios of the
  next epochs' requests from the static instance, exactly as the environment draws them,
  with release times; solve each as one VRPTW; dispatch the optional requests that enough
  scenarios put on a route with a must-dispatch request.

Every policy routes its chosen requests with :func:`lantern.fleet.solve` (PyVRP).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from lantern.fleet._euro_instance import EPOCH_S, EuroInstance, epoch_problem, sample_requests
from lantern.fleet._solver import solve, time_limit
from lantern.fleet.errors import NoFeasibleSolution

__all__ = ["STRATEGIES", "DispatchPolicy", "Greedy", "Lazy", "Sampling", "make_policy"]

BoolArray = npt.NDArray[np.bool_]


class DispatchPolicy(Protocol):
    """Decides and routes an epoch: returns routes as lists of request ids."""

    def plan(
        self, observation: dict[str, Any], info: dict[str, Any], time_limit_s: float
    ) -> list[list[int]]: ...


def route_requests(
    epoch_instance: dict[str, Any],
    keep: BoolArray,
    time_limit_s: float,
    seed: int,
    prizes: npt.NDArray[np.int64] | None = None,
) -> list[list[int]]:
    """Solve the epoch's VRPTW over ``keep`` (depot included) and return request-id routes
    (with ``prizes``, optional requests are served only when worth their prize)."""
    routes = _try_route(epoch_instance, keep, time_limit_s, seed, prizes)
    if routes is None:  # no feasible plan in time: one van per request is always feasible
        requests = np.asarray(epoch_instance["request_idx"])[np.flatnonzero(keep)[1:]]
        return [[int(r)] for r in requests]
    return routes


def _try_route(
    epoch_instance: dict[str, Any],
    keep: BoolArray,
    time_limit_s: float,
    seed: int,
    prizes: npt.NDArray[np.int64] | None = None,
) -> list[list[int]] | None:
    if keep.sum() <= 1:
        return []
    problem = epoch_problem(epoch_instance, keep, prizes)
    try:
        solution = solve(problem, stop=time_limit(max(time_limit_s, 0.05)), seed=seed)
    except NoFeasibleSolution:
        return None
    requests = np.asarray(epoch_instance["request_idx"])[np.flatnonzero(keep)[1:]]
    return [[int(requests[i]) for i in route] for route in solution.visit_routes()]


def _must(epoch_instance: dict[str, Any]) -> BoolArray:
    must = np.asarray(epoch_instance["must_dispatch"], dtype=bool).copy()
    must[0] = True  # the depot is always part of the problem
    return must


@dataclass
class Greedy:
    """Dispatch everything that is open."""

    seed: int = 1

    def plan(
        self, observation: dict[str, Any], info: dict[str, Any], time_limit_s: float
    ) -> list[list[int]]:
        ei = observation["epoch_instance"]
        keep = np.ones(len(ei["request_idx"]), dtype=bool)
        return route_requests(ei, keep, time_limit_s, self.seed)


@dataclass
class Lazy:
    """Dispatch only what must go now."""

    seed: int = 1

    def plan(
        self, observation: dict[str, Any], info: dict[str, Any], time_limit_s: float
    ) -> list[list[int]]:
        ei = observation["epoch_instance"]
        return route_requests(ei, _must(ei), time_limit_s, self.seed)


@dataclass
class Sampling:
    """Dispatch the optional requests that sampled futures route with must-dispatch ones.

    Each scenario adds ``lookahead_epochs`` epochs of requests sampled from the static
    instance (release time = their epoch's dispatch time) to the open requests and solves
    the whole as one VRPTW for a fraction of a second. A route of the scenario's plan that
    carries a must-dispatch request has to leave now; the open requests on it get a vote.
    Requests with at least ``threshold`` of the votes go now with the must-dispatch ones;
    the others wait, since some future requests serve them better. This is the rollout
    rule of the OptiML team (the PyVRP authors) with their parameters (lookahead 3, threshold
    0.18 to 0.2, 70% of the epoch on scenarios).
    """

    seed: int = 1
    lookahead_epochs: int = 3
    threshold: float = 0.2
    scenario_share: float = 0.7
    scenario_s: float = 0.3
    must_routes_only: bool = False  # also hold back final routes without a must-dispatch request

    def __post_init__(self) -> None:
        self._rng = np.random.default_rng(self.seed)

    def plan(
        self, observation: dict[str, Any], info: dict[str, Any], time_limit_s: float
    ) -> list[list[int]]:
        started = time.monotonic()
        ei = observation["epoch_instance"]
        must = _must(ei)
        context = info.get("dynamic_context")
        remaining = int(info["end_epoch"]) - int(observation["current_epoch"])
        if context is None or remaining <= 0 or must.all():
            return route_requests(ei, np.ones(len(must), dtype=bool), time_limit_s, self.seed)
        instance = EuroInstance.from_dict(context)
        budget = self.scenario_share * time_limit_s
        count = int(np.clip(budget // self.scenario_s, 3, 40))
        votes, solved = np.zeros(len(must)), 0
        for _ in range(count):
            if time.monotonic() - started > budget:
                break
            voted = self._scenario(ei, instance, observation, remaining, budget / count)
            if voted is not None:
                votes, solved = votes + voted, solved + 1
        keep = must | (votes >= self.threshold * solved) if solved else np.ones_like(must)
        left = time_limit_s - (time.monotonic() - started)
        routes = route_requests(ei, keep, max(left, 0.1), self.seed)
        if not self.must_routes_only:
            return routes
        must_ids = set(np.asarray(ei["request_idx"])[must][1:].tolist())
        return [route for route in routes if must_ids.intersection(route)]

    def _scenario(
        self,
        ei: dict[str, Any],
        instance: EuroInstance,
        observation: dict[str, Any],
        remaining: int,
        seconds: float,
    ) -> npt.NDArray[np.float64] | None:
        """1 for each open request on a route with a must-dispatch request in this
        scenario's plan, else 0 (None when no feasible plan was found in time)."""
        planning_start = int(observation["planning_starttime"])
        customers = [np.asarray(ei["customer_idx"], dtype=np.int64)]
        windows = [np.asarray(ei["time_windows"], dtype=np.int64)]
        demands = [np.asarray(ei["demands"], dtype=np.int64)]
        service = [np.asarray(ei["service_times"], dtype=np.int64)]
        release = [np.zeros(len(customers[0]), dtype=np.int64)]
        for k in range(1, min(self.lookahead_epochs, remaining) + 1):
            new = sample_requests(instance, self._rng, planning_start + k * EPOCH_S)
            customers.append(new["customer"])
            windows.append(np.clip(new["time_windows"] - planning_start, 0, None))
            demands.append(new["demands"])
            service.append(new["service_times"])
            release.append(np.full(len(new["customer"]), k * EPOCH_S, dtype=np.int64))
        c = np.concatenate(customers)
        n_now = len(customers[0])
        scenario = {
            "request_idx": np.arange(len(c)),
            "capacity": ei["capacity"],
            "time_windows": np.concatenate(windows),
            "demands": np.concatenate(demands),
            "service_times": np.concatenate(service),
            "release_times": np.concatenate(release),
            "duration_matrix": instance.duration_matrix[np.ix_(c, c)],
        }
        seed = int(self._rng.integers(2**31))
        routes = _try_route(scenario, np.ones(len(c), dtype=bool), seconds, seed)
        if routes is None:
            return None
        must = np.flatnonzero(np.asarray(ei["must_dispatch"], dtype=bool))
        voted = np.zeros(n_now)
        for route in routes:
            if np.isin(route, must).any():
                current = [r for r in route if r < n_now]
                voted[current] = 1.0
        return voted


@dataclass
class MustRoutes:
    """Route every open request, then send only the routes that carry a must-dispatch request;
    routes of optional requests wait for next epoch's requests to join them."""

    seed: int = 1

    def plan(
        self, observation: dict[str, Any], info: dict[str, Any], time_limit_s: float
    ) -> list[list[int]]:
        ei = observation["epoch_instance"]
        must_ids = set(np.asarray(ei["request_idx"])[_must(ei)][1:].tolist())
        routes = route_requests(
            ei, np.ones(len(ei["request_idx"]), dtype=bool), time_limit_s, self.seed
        )
        return [route for route in routes if must_ids.intersection(route)]


@dataclass
class Prizes:
    """Serve optional requests now only when cheaper than their expected cost later.

    Must-dispatch requests are required; every other open request is optional with a prize:
    an estimate of what serving it later will cost, ``beta`` times the mean round trip to
    its ``k`` nearest customers of the static instance (future requests are drawn from
    those customers, so a later route will pass close by). The solver (prize-collecting
    VRPTW) then adds an optional request to today's routes when its detour is below its
    prize; only routes that carry a must-dispatch request leave.
    """

    seed: int = 1
    beta: float = 6.0
    k: int = 5
    _cache: dict[int, npt.NDArray[np.float64]] = field(default_factory=dict, repr=False)

    def _neighbour_cost(self, context: dict[str, Any]) -> npt.NDArray[np.float64]:
        key = id(context)
        if key not in self._cache:
            d = np.asarray(context["duration_matrix"], dtype=np.float64)
            trip = d + d.T
            np.fill_diagonal(trip, np.inf)
            trip[:, 0] = np.inf  # the depot is no neighbour
            nearest = np.sort(trip, axis=1)[:, : self.k]
            self._cache = {key: nearest.mean(axis=1)}
        return self._cache[key]

    def plan(
        self, observation: dict[str, Any], info: dict[str, Any], time_limit_s: float
    ) -> list[list[int]]:
        ei = observation["epoch_instance"]
        must = _must(ei)
        everyone = np.ones(len(must), dtype=bool)
        context = info.get("dynamic_context")
        if context is None or must.all():
            return route_requests(ei, everyone, time_limit_s, self.seed)
        cost = self._neighbour_cost(context)[np.asarray(ei["customer_idx"], dtype=np.int64)]
        prizes = np.rint(self.beta * cost).astype(np.int64)
        routes = route_requests(ei, everyone, time_limit_s, self.seed, prizes)
        must_ids = set(np.asarray(ei["request_idx"])[must][1:].tolist())
        return [route for route in routes if must_ids.intersection(route)]


STRATEGIES = ("greedy", "lazy", "must-routes", "prizes", "sampling")


def make_policy(name: str, seed: int = 1) -> DispatchPolicy:
    """The policy called ``name`` (one of :data:`STRATEGIES`)."""
    from lantern.errors import InvalidInput

    policies: dict[str, type[Greedy | Lazy | MustRoutes | Prizes | Sampling]] = {
        "greedy": Greedy,
        "lazy": Lazy,
        "must-routes": MustRoutes,
        "prizes": Prizes,
        "sampling": Sampling,
    }
    if name not in policies:
        raise InvalidInput(f"unknown strategy {name!r}; choose one of {', '.join(STRATEGIES)}")
    return policies[name](seed=seed)
