"""The fleet engine: robovan dispatch (vehicle routing, dynamic dispatch) and simulation.

Dispatch (``lantern.fleet._problem``, ``_solver``, ``_checker``, ``_instances``, dynamic
modules): build a :class:`RoutingProblem`, call :func:`solve`, verify with
:func:`check_solution`. See docs/fleet-dispatch.md.

Simulation (``_network``, ``_matrix``, ``_vehicles``, ``_orders``, ``_service``,
``_simulator``): load a :class:`RoadNetwork`, run :class:`FleetSimulator` on a day of
orders or feed a :class:`DeliveryService` in your own SimPy environment. See
docs/fleet-sim.md.
"""

from lantern.fleet._checker import CheckReport, check_solution
from lantern.fleet._congestion import CongestionProfile
from lantern.fleet._day import simulate_day
from lantern.fleet._euro_agent import EpisodeResult, run_agent, run_episode
from lantern.fleet._euro_env import EuroEnvironment, EuroInstance
from lantern.fleet._euro_policies import STRATEGIES, DispatchPolicy, make_policy
from lantern.fleet._instances import BestKnown, Convention, Instance, best_known, read_instance
from lantern.fleet._loaders import load_city, load_graphml, load_network, load_npz, save_npz
from lantern.fleet._map import render_map
from lantern.fleet._matrix import PathCache, travel_time_matrix
from lantern.fleet._network import RoadNetwork
from lantern.fleet._orders import Merchant, Order, generate_orders
from lantern.fleet._osm import load_osm_pbf
from lantern.fleet._outputs import positions, routes_geojson, write_outputs
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
from lantern.fleet._records import LegRecord, OrderRecord, VanStats
from lantern.fleet._service import DeliveryService
from lantern.fleet._sim_params import SimParams
from lantern.fleet._simulator import FleetSimulator, SimulationResult, default_depots
from lantern.fleet._solver import (
    Dispatcher,
    PyVRPDispatcher,
    StoppingCriterion,
    max_iterations,
    solve,
    time_limit,
)
from lantern.fleet._vehicles import ROBOVAN_1T5, ROBOVAN_5M3, DepotSite, Van, VanType, make_fleet

__all__ = [
    "HORIZON_MAX",
    "ROBOVAN_1T5",
    "ROBOVAN_5M3",
    "STRATEGIES",
    "BestKnown",
    "CheckReport",
    "CongestionProfile",
    "Convention",
    "DeliveryService",
    "Depot",
    "DepotSite",
    "DispatchPolicy",
    "Dispatcher",
    "EpisodeResult",
    "EuroEnvironment",
    "EuroInstance",
    "FleetSimulator",
    "Instance",
    "LegRecord",
    "Merchant",
    "Order",
    "OrderRecord",
    "PathCache",
    "PickupDelivery",
    "PlannedRoute",
    "PyVRPDispatcher",
    "RoadNetwork",
    "RoutingProblem",
    "SimParams",
    "SimulationResult",
    "Solution",
    "Stop",
    "StoppingCriterion",
    "Van",
    "VanStats",
    "VanType",
    "VehicleKind",
    "Visit",
    "best_known",
    "check_solution",
    "default_depots",
    "generate_orders",
    "load_city",
    "load_graphml",
    "load_network",
    "load_npz",
    "load_osm_pbf",
    "make_fleet",
    "make_policy",
    "max_iterations",
    "positions",
    "read_instance",
    "render_map",
    "routes_geojson",
    "run_agent",
    "run_episode",
    "save_npz",
    "simulate_day",
    "solve",
    "time_limit",
    "travel_time_matrix",
    "write_outputs",
]
