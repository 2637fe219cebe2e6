"""Dispatch policies for the EURO-NeurIPS dynamic VRPTW: which open requests go now.

- ``greedy``: dispatch every open request each epoch and route them (the competition's
  baseline).
- ``lazy``: dispatch only must-dispatch requests (the quickstart's other baseline).
- ``sampling``: the idea of the competition's best teams (Kleopatra; OptiML/PyVRP):
  sample several scenarios of the next epochs' requests from the static instance, exactly
  as the environment draws them, with release times; solve each scenario as one VRPTW; a
  request that most scenarios route with future requests (so its van leaves later) is
  postponed, the others are dispatched now with the must-dispatch ones.

Every policy routes its chosen requests with :func:`lantern.fleet.solve` (PyVRP).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from lantern.fleet._euro_env import EPOCH_S, EuroInstance, epoch_problem, sample_requests
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
    epoch_instance: dict[str, Any], keep: BoolArray, time_limit_s: float, seed: int
) -> list[list[int]]:
    """Solve the epoch's VRPTW over ``keep`` (depot included) and return request-id routes."""
    routes = _try_route(epoch_instance, keep, time_limit_s, seed)
    if routes is None:  # no feasible plan in time: one van per request is always feasible
        requests = np.asarray(epoch_instance["request_idx"])[np.flatnonzero(keep)[1:]]
        return [[int(r)] for r in requests]
    return routes


def _try_route(
    epoch_instance: dict[str, Any], keep: BoolArray, time_limit_s: float, seed: int
) -> list[list[int]] | None:
    if keep.sum() <= 1:
        return []
    problem = epoch_problem(epoch_instance, keep)
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
    """Postpone requests that sampled futures would rather serve with later requests."""

    seed: int = 1
    lookahead_epochs: int = 3
    threshold: float = 0.5  # dispatch when at least this share of scenarios sends it now
    scenario_share: float = 0.6  # share of the epoch's time spent on scenarios
    scenario_s: float = 0.8  # target seconds per scenario solve

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
        count = int(np.clip(budget // self.scenario_s, 2, 40))
        votes, solved = np.zeros(len(must)), 0
        for _ in range(count):
            now = self._scenario(ei, instance, observation, remaining, budget / count)
            if now is not None:
                votes, solved = votes + now, solved + 1
        keep = must | (votes >= self.threshold * max(solved, 1)) if solved else np.ones_like(must)
        left = time_limit_s - (time.monotonic() - started)
        return route_requests(ei, keep, max(left, 0.1), self.seed)

    def _scenario(
        self,
        ei: dict[str, Any],
        instance: EuroInstance,
        observation: dict[str, Any],
        remaining: int,
        seconds: float,
    ) -> npt.NDArray[np.float64] | None:
        """1 for each current request the scenario's plan dispatches now, else 0 (None when
        no feasible plan was found in time)."""
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
        now = np.zeros(n_now)
        for route in routes:
            if max(route) < n_now:  # only current requests: this van leaves now
                now[route] = 1.0
        return now


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


STRATEGIES = ("greedy", "lazy", "must-routes", "sampling")


def make_policy(name: str, seed: int = 1) -> DispatchPolicy:
    """The policy called ``name`` (one of :data:`STRATEGIES`)."""
    from lantern.errors import InvalidInput

    policies: dict[str, type[Greedy] | type[Lazy] | type[MustRoutes] | type[Sampling]] = {
        "greedy": Greedy,
        "lazy": Lazy,
        "must-routes": MustRoutes,
        "sampling": Sampling,
    }
    if name not in policies:
        raise InvalidInput(f"unknown strategy {name!r}; choose one of {', '.join(STRATEGIES)}")
    return policies[name](seed=seed)
