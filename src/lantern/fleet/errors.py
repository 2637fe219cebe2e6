"""Errors of the fleet engine.

    LanternError
    └── FleetError                    (FLEET_ERROR, 500)
        ├── InstanceFormatError       (INSTANCE_FORMAT, 422): a malformed instance file; names
        │                              the file and the line
        ├── InfeasibleOrder           (INFEASIBLE_ORDER, 422): an order no van can serve
        │   ├── UnreachableCustomer   (UNREACHABLE_CUSTOMER): its time window closes before
        │   │                          any van can get there (or back to its depot)
        │   └── CapacityExceeded      (CAPACITY_EXCEEDED): its demand exceeds every van's capacity
        ├── InvalidProblem            (INVALID_PROBLEM, 422): an inconsistent routing problem
        │                              (matrix shape, unknown depot, negative time window ...)
        ├── NoFeasibleSolution        (NO_FEASIBLE_SOLUTION, 422): the solver found no plan
        │   │                          that serves every required order within the limit
        │   └── FleetTooSmall         (FLEET_TOO_SMALL): found before solving: the orders'
        │                              total demand exceeds what the whole fleet can carry
        ├── ProtocolError             (AGENT_PROTOCOL, 422): the competition harness sent a
        │                              line the agent cannot understand
        ├── InvalidNetwork            (INVALID_NETWORK, 422): a road network file is missing,
        │                              malformed or empty
        ├── UnknownCity               (UNKNOWN_CITY, 404): no shipped network has that name
        ├── OutOfNetworkArea          (OUT_OF_NETWORK_AREA, 422): a point (an order's merchant
        │                              or customer) lies too far from every road of the network
        └── InvalidSimulation         (INVALID_SIMULATION, 422): bad simulator parameters or
                                       fleet (vans <= 0, negative rates, an order without a van
                                       type that can carry it ...)

Bad input is one of these, raised before anything is written; a broken invariant inside
the engine is an ``assert``.
"""

from __future__ import annotations

from pathlib import Path

from lantern.errors import LanternError

__all__ = [
    "CapacityExceeded",
    "FleetError",
    "FleetTooSmall",
    "InfeasibleOrder",
    "InstanceFormatError",
    "InvalidNetwork",
    "InvalidProblem",
    "InvalidSimulation",
    "NoFeasibleSolution",
    "OutOfNetworkArea",
    "ProtocolError",
    "UnknownCity",
    "UnreachableCustomer",
]


class FleetError(LanternError):
    """Base class of the fleet engine's errors."""

    code = "FLEET_ERROR"
    http_status = 500


class InstanceFormatError(FleetError):
    """An instance file is malformed; the message names the file and the line."""

    code = "INSTANCE_FORMAT"
    http_status = 422

    def __init__(self, file: str | Path, line: int | None, problem: str) -> None:
        where = f"{file}:{line}" if line is not None else str(file)
        super().__init__(f"{where}: {problem}")
        self.file = str(file)
        self.line = line


class InfeasibleOrder(FleetError):
    """An order (customer, request) that no vehicle of the fleet can serve."""

    code = "INFEASIBLE_ORDER"
    http_status = 422

    def __init__(self, order: str, reason: str) -> None:
        super().__init__(f"order {order} cannot be served: {reason}")
        self.order = order


class UnreachableCustomer(InfeasibleOrder):
    """A customer's time window closes before any vehicle can reach it (and get back)."""

    code = "UNREACHABLE_CUSTOMER"


class CapacityExceeded(InfeasibleOrder):
    """A customer's demand exceeds the capacity of every vehicle type."""

    code = "CAPACITY_EXCEEDED"


class InvalidProblem(FleetError):
    """A routing problem is internally inconsistent (shapes, indices, windows)."""

    code = "INVALID_PROBLEM"
    http_status = 422


class NoFeasibleSolution(FleetError):
    """The solver ended without a plan that serves every required order."""

    code = "NO_FEASIBLE_SOLUTION"
    http_status = 422


class FleetTooSmall(NoFeasibleSolution):
    """The required orders' total demand exceeds the capacity of all vehicles together."""

    code = "FLEET_TOO_SMALL"


class ProtocolError(FleetError):
    """The evaluation harness sent something the JSON-lines agent cannot parse."""

    code = "AGENT_PROTOCOL"
    http_status = 422


class InvalidNetwork(FleetError):
    """A road network file is missing, malformed or has no usable roads."""

    code = "INVALID_NETWORK"
    http_status = 422


class UnknownCity(FleetError):
    """No road network is shipped under that city name."""

    code = "UNKNOWN_CITY"
    http_status = 404


class OutOfNetworkArea(FleetError):
    """A point lies too far from every road of the network to be snapped onto it."""

    code = "OUT_OF_NETWORK_AREA"
    http_status = 422


class InvalidSimulation(FleetError):
    """Simulator parameters, fleet or orders are out of range; the message names which."""

    code = "INVALID_SIMULATION"
    http_status = 422
