"""The EURO Meets NeurIPS 2022 dynamic VRPTW environment, after the competition's rules.

The day is cut into epochs of ``EPOCH_S`` = 3,600 s; a vehicle dispatched in epoch ``e``
leaves at ``planning_start = 3600 e + MARGIN_S`` (MARGIN_S = 3,600 s). Epochs run from
``start_epoch = max((min customer ready time - MARGIN_S) // EPOCH_S, 0)`` to ``end_epoch``
(the same with the latest ready time). Each epoch the environment samples 100 requests
from the static instance with a seeded ``numpy.random.default_rng``: location, time window,
demand and service time each drawn independently and uniformly from the customers, and
drops a request that could not be reached by its latest time, or not be back at the depot
before it closes, leaving at ``planning_start``. A request is *must-dispatch* when leaving
one epoch later would be too late (the same test one epoch on); in the final epoch every
open request is. The agent sees the open requests as a small VRPTW (index 0 the depot,
times relative to ``planning_start``, clipped at 0) and answers routes of request ids.
A plan must dispatch every must-dispatch request, each request at most once, respect
capacity and time windows; the epoch's reward is minus its total driving time. A wrong
plan or a late answer fails the episode with a cost of 10^9 per remaining epoch.

The observation and info dictionaries use the competition's keys, so the JSON-lines agent
(``lantern.fleet._euro_agent``) speaks the official harness's protocol.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from lantern.fleet._checker import check_solution
from lantern.fleet._euro_instance import (
    BIG_NUMBER,
    EPOCH_S,
    GRACE_S,
    MARGIN_S,
    MAX_REQUESTS_PER_EPOCH,
    EuroInstance,
    IntArray,
    epoch_problem,
    sample_requests,
    too_late,
)
from lantern.fleet._problem import PlannedRoute, Solution, Stop

__all__ = [
    "BIG_NUMBER",
    "EPOCH_S",
    "MARGIN_S",
    "MAX_REQUESTS_PER_EPOCH",
    "EuroEnvironment",
    "EuroInstance",
    "epoch_problem",
    "sample_requests",
]


class EuroEnvironment:
    """The dynamic (or static) environment for one instance and seed; reset once, then step."""

    def __init__(
        self,
        instance: EuroInstance,
        *,
        seed: int = 1,
        epoch_tlim_s: float = 120.0,
        is_static: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.instance = instance
        self.seed = seed
        self.epoch_tlim_s = epoch_tlim_s
        self.is_static = is_static
        self._clock = clock
        self.done = True
        self.final_costs: dict[int, int] = {}
        self.final_solutions: dict[int, list[list[int]] | None] = {}
        self.errors: list[str] = []

    # -- reset and step ----------------------------------------------------------------
    def reset(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Start the day: (observation, info)."""
        n = len(self.instance.demands)
        if self.is_static:
            self.start_epoch = self.end_epoch = 0
        else:
            self.start_epoch, self.end_epoch = self.instance.epoch_range()
        self.current_epoch = self.start_epoch
        self._rng = np.random.default_rng(self.seed)
        tw = self.instance.time_windows
        # Request 0 is the depot sentinel; static: every customer is a request.
        size = n if self.is_static else 1
        self.req_customer = np.arange(size, dtype=np.int64)
        self.req_tw = tw[:size].copy()
        self.req_service = self.instance.service_times[:size].copy()
        self.req_demand = self.instance.demands[:size].copy()
        self.req_dispatched = np.zeros(size, dtype=bool)
        self.req_epoch = np.zeros(size, dtype=np.int64)
        self.req_must = np.arange(size) > 0 if self.is_static else np.zeros(1, dtype=bool)
        self.done = False
        self.final_costs, self.final_solutions, self.errors = {}, {}, []
        observation = self._observe()
        self._epoch_started = self._clock()
        info = {
            "dynamic_context": None if self.is_static else self.instance.to_dict(),
            "is_static": self.is_static,
            "start_epoch": self.start_epoch,
            "end_epoch": self.end_epoch,
            "num_epochs": self.end_epoch - self.start_epoch + 1,
            "epoch_tlim": self.epoch_tlim_s,
        }
        return observation, info

    def step(
        self, routes: list[list[int]]
    ) -> tuple[dict[str, Any] | None, int, bool, dict[str, Any]]:
        """Submit the epoch's routes (request ids): (observation, reward, done, info)."""
        assert not self.done, "the episode is finished: reset first"
        if self._clock() - self._epoch_started > self.epoch_tlim_s + GRACE_S:
            return self._fail("time limit of the epoch exceeded")
        error, driving = self._validate(routes)
        if error is not None:
            return self._fail(error)
        for route in routes:
            self.req_dispatched[route] = True
        assert not (self.req_must & ~self.req_dispatched).any()
        self.final_solutions[self.current_epoch] = [list(map(int, r)) for r in routes]
        self.final_costs[self.current_epoch] = driving
        self.current_epoch += 1
        self.done = self.current_epoch > self.end_epoch
        observation = None if self.done else self._observe()
        self._epoch_started = self._clock()
        return observation, -driving, self.done, {"error": None}

    @property
    def total_cost(self) -> int:
        """Total driving time so far (failures count 10^9 per remaining epoch)."""
        return sum(self.final_costs.values())

    def _fail(self, error: str) -> tuple[None, int, bool, dict[str, Any]]:
        self.final_solutions[self.current_epoch] = None
        self.final_costs[self.current_epoch] = max(self.end_epoch - self.current_epoch, 1) * (
            BIG_NUMBER
        )
        self.errors.append(error)
        self.done = True
        return None, -BIG_NUMBER, True, {"error": error}

    # -- observation -------------------------------------------------------------------
    def _observe(self) -> dict[str, Any]:
        current_time = EPOCH_S * self.current_epoch
        planning_start = current_time + MARGIN_S
        if self.is_static:
            current_time = planning_start = 0
        else:
            self._add_requests(sample_requests(self.instance, self._rng, planning_start))
            self._update_must_dispatch(planning_start)
        open_ids = np.flatnonzero(~self.req_dispatched)
        customers = self.req_customer[open_ids]
        offset = 0 if self.is_static else planning_start
        epoch_instance = {
            "is_depot": customers == 0,
            "customer_idx": customers,
            "request_idx": open_ids,
            "coords": self.instance.coords[customers],
            "demands": self.req_demand[open_ids],
            "capacity": self.instance.capacity,
            "time_windows": np.clip(self.req_tw[open_ids] - offset, 0, None),
            "service_times": self.req_service[open_ids],
            "duration_matrix": self.instance.duration_matrix[np.ix_(customers, customers)],
            "must_dispatch": self.req_must[open_ids],
        }
        self._epoch_instance = epoch_instance
        return {
            "current_epoch": self.current_epoch,
            "current_time": current_time,
            "planning_starttime": planning_start,
            "epoch_instance": epoch_instance,
        }

    def _add_requests(self, new: dict[str, IntArray]) -> None:
        count = len(new["customer"])
        self.req_customer = np.concatenate([self.req_customer, new["customer"]])
        self.req_tw = np.concatenate([self.req_tw, new["time_windows"]])
        self.req_service = np.concatenate([self.req_service, new["service_times"]])
        self.req_demand = np.concatenate([self.req_demand, new["demands"]])
        self.req_dispatched = np.concatenate([self.req_dispatched, np.zeros(count, bool)])
        self.req_epoch = np.concatenate(
            [self.req_epoch, np.full(count, self.current_epoch, np.int64)]
        )

    def _update_must_dispatch(self, planning_start: int) -> None:
        ids = np.arange(len(self.req_customer))
        if self.current_epoch >= self.end_epoch:
            self.req_must = ids > 0
            return
        late = too_late(
            self.instance,
            self.req_customer,
            self.req_tw,
            self.req_service,
            planning_start + EPOCH_S,
        )
        self.req_must = late & (ids > 0)

    # -- validation --------------------------------------------------------------------
    def _validate(self, routes: list[list[int]]) -> tuple[str | None, int]:
        """(error or None, driving time) of a plan for the current epoch."""
        epoch = self._epoch_instance
        request_idx = np.asarray(epoch["request_idx"])
        position = {int(r): i for i, r in enumerate(request_idx)}
        stops = [int(r) for route in routes for r in route]
        if any(not route for route in routes):
            return "a route is empty", 0
        unknown = [r for r in stops if r == 0 or r not in position]
        if unknown:
            return f"requests {unknown[:5]} are not open in this epoch", 0
        if len(set(stops)) != len(stops):
            return "a request is dispatched twice", 0
        must = set(request_idx[np.asarray(epoch["must_dispatch"], dtype=bool)].tolist())
        missing = sorted(must - set(stops))
        if missing:
            return f"must-dispatch requests {missing[:5]} were not dispatched", 0
        keep = np.zeros(len(request_idx), dtype=bool)
        keep[0] = True
        keep[[position[r] for r in stops]] = True
        problem = epoch_problem(epoch, keep)
        local = {int(j): k for k, j in enumerate(np.flatnonzero(keep)[1:])}
        plan = Solution(
            routes=tuple(
                PlannedRoute(0, tuple(Stop("visit", local[position[r]]) for r in route))
                for route in routes
            ),
            cost=0,
            distance=0,
            duration=0,
            feasible=True,
        )
        report = check_solution(problem, plan)
        if not report.ok:
            return "; ".join(report.violations[:3]), 0
        return None, report.distance
