"""The fleet engine: robovan dispatch (vehicle routing, dynamic dispatch) and simulation.

Dispatch (``lantern.fleet._problem``, ``_solver``, ``_checker``, ``_instances``, dynamic
modules): build a :class:`RoutingProblem`, call :func:`solve`, verify with
:func:`check_solution`. See docs/fleet-dispatch.md.
"""

from lantern.fleet._checker import CheckReport, check_solution
from lantern.fleet._problem import (
    HORIZON_MAX,
    Depot,
    PickupDelivery,
    PlannedRoute,
    RoutingProblem,
    Solution,
    Stop,
    VehicleKind,
    Visit,
)
from lantern.fleet._solver import (
    Dispatcher,
    PyVRPDispatcher,
    StoppingCriterion,
    max_iterations,
    solve,
    time_limit,
)

__all__ = [
    "HORIZON_MAX",
    "CheckReport",
    "Depot",
    "Dispatcher",
    "PickupDelivery",
    "PlannedRoute",
    "PyVRPDispatcher",
    "RoutingProblem",
    "Solution",
    "Stop",
    "StoppingCriterion",
    "VehicleKind",
    "Visit",
    "check_solution",
    "max_iterations",
    "solve",
    "time_limit",
]
