"""The routing problem the dispatcher solves, and the plan it returns.

All quantities are integers in the problem's own units: a location index into the
matrices, times and durations in the duration matrix's unit (seconds for road networks and
EURO-NeurIPS instances; scaled distance units for Solomon), loads per capacity dimension
(``dimensions``, e.g. ``("kg", "m3")``). ``distance_matrix`` defaults to the duration matrix.

Orders come in two kinds:

- :class:`Visit`: a delivery from the vehicle's depot to one customer (the classic VRPTW
  "client"), optionally also a pickup brought back to the depot;
- :class:`PickupDelivery`: a pair, picked up at one location (a merchant) and dropped at
  another (the customer) by the same vehicle, pickup first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from lantern.fleet.errors import InvalidProblem

__all__ = [
    "HORIZON_MAX",
    "Depot",
    "PickupDelivery",
    "PlannedRoute",
    "RoutingProblem",
    "Solution",
    "Stop",
    "VehicleKind",
    "Visit",
]

HORIZON_MAX = 2**62
"""An 'unbounded' time or distance that still fits an int64 with room for sums."""

IntMatrix = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Depot:
    """A depot where vehicles start and end, open during ``[tw_early, tw_late]``."""

    location: int
    tw_early: int = 0
    tw_late: int = HORIZON_MAX
    name: str = ""


@dataclass(frozen=True)
class VehicleKind:
    """A type of vehicle: how many, their capacity per dimension, depots and limits.

    ``max_distance`` models the battery range; ``max_duration`` the longest route
    (waiting included). Costs per unit of distance and duration weigh the objective.
    """

    count: int
    capacity: tuple[int, ...]
    start_depot: int = 0
    end_depot: int | None = None
    tw_early: int = 0
    tw_late: int = HORIZON_MAX
    max_distance: int = HORIZON_MAX
    max_duration: int = HORIZON_MAX
    fixed_cost: int = 0
    unit_distance_cost: int = 1
    unit_duration_cost: int = 0
    name: str = ""

    @property
    def return_depot(self) -> int:
        """The depot (index) where routes of this kind end."""
        return self.start_depot if self.end_depot is None else self.end_depot


@dataclass(frozen=True)
class Visit:
    """A customer served from the depot: ``demand`` delivered, ``pickup`` brought back."""

    location: int
    demand: tuple[int, ...]
    service_s: int = 0
    tw_early: int = 0
    tw_late: int = HORIZON_MAX
    release_time: int = 0
    pickup: tuple[int, ...] = ()
    required: bool = True
    prize: int = 0
    name: str = ""


@dataclass(frozen=True)
class PickupDelivery:
    """A shipment picked up at ``pickup_location`` and dropped at ``delivery_location``."""

    pickup_location: int
    delivery_location: int
    amount: tuple[int, ...]
    pickup_service_s: int = 0
    pickup_tw_early: int = 0
    pickup_tw_late: int = HORIZON_MAX
    delivery_service_s: int = 0
    delivery_tw_early: int = 0
    delivery_tw_late: int = HORIZON_MAX
    name: str = ""


@dataclass(frozen=True)
class RoutingProblem:
    """A vehicle routing problem: matrices, depots, vehicle kinds and orders."""

    duration_matrix: IntMatrix
    depots: tuple[Depot, ...]
    vehicle_kinds: tuple[VehicleKind, ...]
    visits: tuple[Visit, ...] = ()
    pairs: tuple[PickupDelivery, ...] = ()
    distance_matrix: IntMatrix | None = None
    coords: npt.NDArray[np.float64] | None = None
    dimensions: tuple[str, ...] = ("load",)
    name: str = ""
    unit_scale: int = 1
    """Matrix units per unit of the source file (1000 or 10 for Solomon files, else 1):
    messages divide times and distances by it, so they read in the file's own units."""

    def __post_init__(self) -> None:
        _check_shapes(self)

    @property
    def distances(self) -> IntMatrix:
        """The distance matrix (the duration matrix when none was given)."""
        return self.duration_matrix if self.distance_matrix is None else self.distance_matrix

    @property
    def num_locations(self) -> int:
        """Number of locations (rows of the matrices)."""
        return int(self.duration_matrix.shape[0])

    def order_name(self, kind: str, index: int) -> str:
        """A readable name of a visit or pair, for messages."""
        order = self.visits[index] if kind == "visit" else self.pairs[index]
        return order.name or f"{kind} {index}"

    def in_file_units(self, value: int) -> str:
        """A time or distance of the matrices as the source file writes it ("28.29", "5")."""
        if self.unit_scale == 1:
            return str(value)
        return f"{value / self.unit_scale:.2f}".rstrip("0").rstrip(".")


def _check_shapes(problem: RoutingProblem) -> None:
    n = problem.duration_matrix.shape[0]
    if problem.duration_matrix.shape != (n, n):
        raise InvalidProblem(f"duration matrix must be square, got {problem.duration_matrix.shape}")
    if problem.distance_matrix is not None and problem.distance_matrix.shape != (n, n):
        raise InvalidProblem("distance matrix must have the duration matrix's shape")
    if not problem.depots or not problem.vehicle_kinds:
        raise InvalidProblem("a routing problem needs at least one depot and one vehicle kind")
    locations = [d.location for d in problem.depots] + [v.location for v in problem.visits]
    for pair in problem.pairs:
        locations += [pair.pickup_location, pair.delivery_location]
    bad = [loc for loc in locations if not 0 <= loc < n]
    if bad:
        raise InvalidProblem(f"location {bad[0]} is outside the {n}x{n} matrices")
    _check_orders(problem)


def _check_orders(problem: RoutingProblem) -> None:
    dims = len(problem.dimensions)
    for kind in problem.vehicle_kinds:
        if len(kind.capacity) != dims or kind.count < 1:
            raise InvalidProblem(
                f"vehicle kind {kind.name or kind} needs count >= 1 and {dims} capacities"
            )
        if not (0 <= kind.start_depot < len(problem.depots)) or not (
            0 <= kind.return_depot < len(problem.depots)
        ):
            raise InvalidProblem(f"vehicle kind {kind.name or kind} names an unknown depot")
    for i, visit in enumerate(problem.visits):
        if len(visit.demand) != dims or (visit.pickup and len(visit.pickup) != dims):
            raise InvalidProblem(f"{problem.order_name('visit', i)}: expected {dims} load values")
    for i, pair in enumerate(problem.pairs):
        if len(pair.amount) != dims:
            raise InvalidProblem(f"{problem.order_name('pair', i)}: expected {dims} load values")


@dataclass(frozen=True)
class Stop:
    """One stop of a route: a visit, or the pickup or delivery end of a pair."""

    kind: str  # "visit" | "pickup" | "delivery"
    index: int


@dataclass(frozen=True)
class PlannedRoute:
    """A vehicle's route: its kind and its stops in order (depots excluded)."""

    vehicle_kind: int
    stops: tuple[Stop, ...]
    distance: int = 0
    duration: int = 0


@dataclass(frozen=True)
class Solution:
    """The dispatcher's plan: routes, their cost as the solver sees it, and what is unserved."""

    routes: tuple[PlannedRoute, ...]
    cost: int
    distance: int
    duration: int
    feasible: bool
    unserved_visits: tuple[int, ...] = ()
    unserved_pairs: tuple[int, ...] = ()
    iterations: int = 0
    runtime_s: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def num_vehicles(self) -> int:
        """Number of routes (vehicles used)."""
        return len(self.routes)

    def visit_routes(self) -> list[list[int]]:
        """Routes as lists of visit indices (pairs' stops left out)."""
        return [[s.index for s in r.stops if s.kind == "visit"] for r in self.routes]
