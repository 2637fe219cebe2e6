"""EURO-NeurIPS 2022 instances as arrays, the competition's request sampling, and the VRPTW
of one epoch. See :mod:`lantern.fleet._euro_env` for the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from lantern.fleet._instances import Instance
from lantern.fleet._problem import Depot, RoutingProblem, VehicleKind, Visit
from lantern.fleet.errors import InvalidProblem

__all__ = [
    "BIG_NUMBER",
    "EPOCH_S",
    "GRACE_S",
    "MARGIN_S",
    "MAX_REQUESTS_PER_EPOCH",
    "EuroInstance",
    "epoch_problem",
    "sample_requests",
    "too_late",
]

EPOCH_S = 3600
MARGIN_S = 3600
MAX_REQUESTS_PER_EPOCH = 100
GRACE_S = 2.0
BIG_NUMBER = 10**9

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class EuroInstance:
    """A static EURO-NeurIPS instance as arrays; index 0 is the depot."""

    coords: IntArray
    demands: IntArray
    capacity: int
    time_windows: IntArray  # (n, 2)
    service_times: IntArray
    duration_matrix: IntArray

    @classmethod
    def from_instance(cls, instance: Instance) -> EuroInstance:
        """From a VRPLIB instance read by :func:`read_instance` (one depot, node 0)."""
        p = instance.problem
        visits = sorted(p.visits, key=lambda v: v.location)
        if (
            instance.format != "vrplib"
            or len(p.depots) != 1
            or p.depots[0].location != 0
            or [v.location for v in visits] != list(range(1, p.num_locations))
        ):
            raise InvalidProblem(
                f"{instance.path}: the EURO-NeurIPS dynamic variant needs a VRPLIB instance "
                "with one depot, node 1 of the file"
            )
        depot = p.depots[0]
        coords = p.coords if p.coords is not None else np.zeros((p.num_locations, 2))
        return cls(
            coords=np.asarray(coords, dtype=np.int64),
            demands=np.array([0] + [v.demand[0] for v in visits], dtype=np.int64),
            capacity=p.vehicle_kinds[0].capacity[0],
            time_windows=np.array(
                [[depot.tw_early, depot.tw_late]] + [[v.tw_early, v.tw_late] for v in visits],
                dtype=np.int64,
            ),
            service_times=np.array([0] + [v.service_s for v in visits], dtype=np.int64),
            duration_matrix=np.asarray(p.duration_matrix, dtype=np.int64),
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EuroInstance:
        """From the harness's ``dynamic_context`` (lists or arrays)."""
        return cls(
            coords=np.asarray(data["coords"], dtype=np.int64),
            demands=np.asarray(data["demands"], dtype=np.int64),
            capacity=int(data["capacity"]),
            time_windows=np.asarray(data["time_windows"], dtype=np.int64),
            service_times=np.asarray(data["service_times"], dtype=np.int64),
            duration_matrix=np.asarray(data["duration_matrix"], dtype=np.int64),
        )

    def to_dict(self) -> dict[str, Any]:
        """The competition's instance dictionary."""
        return {
            "is_depot": np.arange(len(self.demands)) == 0,
            "coords": self.coords,
            "demands": self.demands,
            "capacity": self.capacity,
            "time_windows": self.time_windows,
            "service_times": self.service_times,
            "duration_matrix": self.duration_matrix,
        }

    def epoch_range(self) -> tuple[int, int]:
        """(start_epoch, end_epoch) of the dynamic day."""
        ready = self.time_windows[1:, 0]
        return (
            int(max((ready.min() - MARGIN_S) // EPOCH_S, 0)),
            int(max((ready.max() - MARGIN_S) // EPOCH_S, 0)),
        )


def epoch_problem(
    epoch_instance: dict[str, Any],
    keep: npt.NDArray[np.bool_],
    prizes: npt.NDArray[np.int64] | None = None,
) -> RoutingProblem:
    """The VRPTW of an epoch instance restricted to ``keep`` (index 0, the depot, always).

    With ``prizes`` (per epoch request), requests that are not must-dispatch become
    optional, worth their prize when served now."""
    index = np.flatnonzero(keep)
    must = np.asarray(epoch_instance.get("must_dispatch", np.ones(len(keep), bool)))[index]
    assert index[0] == 0, "the depot is always kept"
    tw = np.asarray(epoch_instance["time_windows"], dtype=np.int64)[index]
    demands = np.asarray(epoch_instance["demands"], dtype=np.int64)[index]
    service = np.asarray(epoch_instance["service_times"], dtype=np.int64)[index]
    matrix = np.asarray(epoch_instance["duration_matrix"], dtype=np.int64)[np.ix_(index, index)]
    release = epoch_instance.get("release_times")
    rel = np.zeros(len(index), np.int64) if release is None else np.asarray(release)[index]
    requests = np.asarray(epoch_instance["request_idx"])[index]
    visits = tuple(
        Visit(
            location=i,
            demand=(int(demands[i]),),
            service_s=int(service[i]),
            tw_early=int(tw[i, 0]),
            tw_late=int(tw[i, 1]),
            release_time=int(rel[i]),
            required=prizes is None or bool(must[i]),
            prize=0 if prizes is None or must[i] else int(prizes[index[i]]),
            name=f"request {int(requests[i])}",
        )
        for i in range(1, len(index))
    )
    return RoutingProblem(
        duration_matrix=matrix,
        depots=(Depot(0, int(tw[0, 0]), int(tw[0, 1])),),
        vehicle_kinds=(
            VehicleKind(count=max(1, len(visits)), capacity=(int(epoch_instance["capacity"]),)),
        ),
        visits=visits,
    )


def too_late(
    instance: EuroInstance,
    customers: IntArray,
    windows: IntArray,
    service: IntArray,
    depart: int,
) -> npt.NDArray[np.bool_]:
    """Whether a request (customer, window, service) is infeasible leaving at ``depart``."""
    matrix = instance.duration_matrix
    arrival = np.maximum(depart + matrix[0, customers], windows[:, 0])
    back = arrival + service + matrix[customers, 0]
    result: npt.NDArray[np.bool_] = (arrival > windows[:, 1]) | (back > instance.time_windows[0, 1])
    return result


def sample_requests(
    instance: EuroInstance, rng: np.random.Generator, planning_start: int
) -> dict[str, IntArray]:
    """Up to 100 requests for an epoch leaving at ``planning_start``, as the competition drew
    them: customer, window, demand and service time indices drawn independently (in that
    order) from customers 1..n; requests that cannot be served in time are dropped."""
    n = len(instance.demands) - 1
    draws = [rng.integers(n, size=MAX_REQUESTS_PER_EPOCH) + 1 for _ in range(4)]
    customer, window_idx, demand_idx, service_idx = draws
    windows = instance.time_windows[window_idx]
    service = instance.service_times[service_idx]
    ok = ~too_late(instance, customer, windows, service, planning_start)
    return {
        "customer": customer[ok],
        "time_windows": windows[ok],
        "service_times": service[ok],
        "demands": instance.demands[demand_idx[ok]],
    }
