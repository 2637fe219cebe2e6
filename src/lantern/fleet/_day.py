"""One simulated day from a handful of numbers (what ``lantern fleet simulate`` runs)."""

from __future__ import annotations

from lantern.fleet._network import RoadNetwork
from lantern.fleet._orders import generate_orders
from lantern.fleet._sim_params import SimParams
from lantern.fleet._simulator import FleetSimulator, SimulationResult, default_depots
from lantern.fleet._vehicles import make_fleet
from lantern.fleet.errors import InvalidSimulation

__all__ = ["MAX_ORDERS", "MAX_VANS", "simulate_day"]

MAX_VANS = 10_000  # a day with 10,000 vans and a few orders runs in seconds; beyond is a typo
MAX_ORDERS = 1_000_000  # 100x the benchmark day; more would take hours and gigabytes


def simulate_day(
    network: RoadNetwork,
    *,
    n_vans: int,
    n_orders: int,
    n_depots: int = 4,
    params: SimParams | None = None,
) -> SimulationResult:
    """Generate a day of orders (seeded by ``params.seed``) and simulate the fleet on it."""
    if not 0 < n_vans <= MAX_VANS:
        raise InvalidSimulation(f"--vans must be in 1..{MAX_VANS:,}, got {n_vans}")
    if not 0 < n_orders <= MAX_ORDERS:
        raise InvalidSimulation(f"--orders must be in 1..{MAX_ORDERS:,}, got {n_orders}")
    params = params or SimParams()
    orders, _ = generate_orders(network, n_orders, seed=params.seed)
    depots = default_depots(network, n_depots)
    fleet = make_fleet(n_vans, len(depots))
    return FleetSimulator(network, fleet, depots, params).run(orders)
