"""One simulated day from a handful of numbers (what ``lantern fleet simulate`` runs)."""

from __future__ import annotations

from lantern.fleet._network import RoadNetwork
from lantern.fleet._orders import generate_orders
from lantern.fleet._sim_params import SimParams
from lantern.fleet._simulator import FleetSimulator, SimulationResult, default_depots
from lantern.fleet._vehicles import make_fleet
from lantern.fleet.errors import InvalidSimulation

__all__ = ["simulate_day"]


def simulate_day(
    network: RoadNetwork,
    *,
    n_vans: int,
    n_orders: int,
    n_depots: int = 4,
    params: SimParams | None = None,
) -> SimulationResult:
    """Generate a day of orders (seeded by ``params.seed``) and simulate the fleet on it."""
    if n_vans <= 0:
        raise InvalidSimulation(f"--vans must be > 0, got {n_vans}")
    if n_orders <= 0:
        raise InvalidSimulation(f"--orders must be > 0, got {n_orders}")
    params = params or SimParams()
    orders, _ = generate_orders(network, n_orders, seed=params.seed)
    depots = default_depots(network, n_depots)
    fleet = make_fleet(n_vans, len(depots))
    return FleetSimulator(network, fleet, depots, params).run(orders)
