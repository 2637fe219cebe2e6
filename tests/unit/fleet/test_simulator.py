"""The SimPy delivery simulator: invariants, undeliverable orders, disengagements, API."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import simpy

from lantern.fleet._congestion import CongestionProfile
from lantern.fleet._day import simulate_day
from lantern.fleet._loaders import load_city, load_graphml
from lantern.fleet._matrix import PathCache
from lantern.fleet._network import RoadNetwork
from lantern.fleet._orders import Order, generate_orders
from lantern.fleet._service import DeliveryService
from lantern.fleet._sim_params import SimParams
from lantern.fleet._simulator import FleetSimulator, SimulationResult, default_depots
from lantern.fleet._vehicles import ROBOVAN_5M3, DepotSite, Van, VanType, make_fleet
from lantern.fleet.errors import InvalidSimulation, OutOfNetworkArea

TINY_VAN = VanType("tiny", capacity_kg=10.0, capacity_m3=1.0, battery_kwh=2.0,
                   consumption_kwh_per_km=0.2, max_speed_kmh=40.0, cost_fen_per_km=10,
                   cost_fen_per_hour=100, swap_s=120.0)  # fmt: skip
"""10 kg and a 10 km range: capacity and battery both bind on a small instance."""


@pytest.fixture(scope="module")
def small() -> RoadNetwork:
    return load_city("hangzhou").within(120.15, 30.27, 120.17, 30.29)


def _orders(network: RoadNetwork, n: int, seed: int, kg: float) -> list[Order]:
    orders, _ = generate_orders(network, n, seed=seed)
    return [replace(o, weight_kg=kg) for o in orders]


@pytest.fixture(scope="module")
def tight_run(small: RoadNetwork) -> SimulationResult:
    """4 tiny vans, 60 orders of 4 kg each, frequent disengagements."""
    depots = default_depots(small, 1)
    fleet = [Van(i, TINY_VAN, 0) for i in range(4)]
    params = SimParams(seed=3, disengagements_per_km=0.2, remote_operators=1)
    return FleetSimulator(small, fleet, depots, params).run(_orders(small, 60, seed=3, kg=4.0))


def test_every_order_is_delivered_once_or_reported(tight_run: SimulationResult) -> None:
    """Each order ends delivered (picked before dropped) or undeliverable with a reason."""
    assert len(tight_run.orders) == 60
    for rec in tight_run.orders:
        assert rec.state in ("delivered", "undeliverable")
        if rec.state == "delivered":
            assert rec.picked_s is not None
            assert rec.delivered_s is not None
            assert rec.order.created_s <= rec.picked_s <= rec.delivered_s
        else:
            assert rec.reason
    m = tight_run.metrics
    assert m["delivered"] + m["undeliverable"] == 60
    assert m["delivered"] > 30


def test_capacity_and_battery_limits_hold_and_bind(tight_run: SimulationResult) -> None:
    """No van goes over 10 kg or below 0 kWh; vans do carry 2 orders and swap batteries."""
    legs_km = {v.van_id: 0.0 for v in tight_run.fleet}
    for leg in tight_run.legs:
        legs_km[leg.van] += leg.km
    assert max(legs_km.values()) > TINY_VAN.range_km  # a van drove more than one battery
    assert tight_run.metrics["swaps"] > 0
    stats = tight_run.van_stats
    assert max(s.max_load_kg for s in stats) == pytest.approx(8.0)
    assert all(s.min_battery_kwh >= 0.0 for s in stats)


def test_clock_only_moves_forward(tight_run: SimulationResult) -> None:
    """Per van, legs follow one another and times along each path never decrease."""
    last_end: dict[int, float] = {}
    for leg in tight_run.legs:
        assert np.all(np.diff(leg.times_s) >= 0)
        assert leg.times_s[0] >= last_end.get(leg.van, 0.0)
        last_end[leg.van] = float(leg.times_s[-1])


def test_disengagements_delay_the_van_by_the_remote_wait(small: RoadNetwork) -> None:
    """One order, one van, free flow: with disengagements it arrives later by the waits."""
    depots = default_depots(small, 1)
    first = _orders(small, 1, seed=11, kg=1.0)[0]
    order = replace(first, ready_s=first.created_s, drop_earliest_s=0.0)
    fleet = [Van(0, ROBOVAN_5M3, 0)]
    free = CongestionProfile.free_flow()
    calm_params = SimParams(disengagements_per_km=0.0, congestion=free)
    rough_params = SimParams(disengagements_per_km=3.0, seed=2, congestion=free)
    calm = FleetSimulator(small, fleet, depots, calm_params).run([order])
    rough = FleetSimulator(small, fleet, depots, rough_params).run([order])
    delivered = rough.orders[0].delivered_s
    assert delivered is not None
    assert calm.orders[0].delivered_s is not None
    waits = sum(d for leg in rough.legs if leg.times_s[-1] <= delivered for _, d in leg.pauses)
    assert rough.metrics["disengagements"] > 0
    assert waits >= SimParams().remote_help_min_s
    assert delivered - calm.orders[0].delivered_s == pytest.approx(waits)


def test_a_limited_operator_pool_makes_vans_queue(small: RoadNetwork) -> None:
    """With one operator for six vans, disengaged vans queue for help; with six, never."""
    depots = default_depots(small, 1)
    fleet = make_fleet(6, 1)
    orders = _orders(small, 40, seed=7, kg=1.0)
    queued = {}
    for operators in (1, 6):
        params = SimParams(seed=7, disengagements_per_km=0.5, remote_operators=operators,
                           remote_help_mean_s=600.0)  # fmt: skip
        metrics = FleetSimulator(small, fleet, depots, params).run(orders).metrics
        assert metrics["disengagements"] > 10
        assert metrics["remote_queue_min"] <= metrics["remote_wait_min"]
        queued[operators] = metrics["remote_queue_min"]
    assert queued[1] > 0.0
    assert queued[6] == 0.0  # as many operators as vans: help always starts at once


def test_charging_vans_wait_in_proportion_to_the_energy_put_back(small: RoadNetwork) -> None:
    """Charge-mode vans recharge at the depot for energy / charge_kw, never below 0 kWh."""
    plug = replace(TINY_VAN, name="plug", energy_mode="charge", charge_kw=20.0)
    fleet = [Van(i, plug, 0) for i in range(3)]
    params = SimParams(seed=3, disengagements_per_km=0.0)
    run = FleetSimulator(small, fleet, default_depots(small, 1), params).run(
        _orders(small, 40, seed=3, kg=1.0)
    )
    assert run.metrics["swaps"] > 0
    assert all(s.min_battery_kwh >= 0.0 for s in run.van_stats)
    checked = 0
    for van in fleet:
        legs = sorted(
            (leg for leg in run.legs if leg.van == van.van_id), key=lambda g: g.times_s[0]
        )
        battery = plug.battery_kwh
        for leg, after in zip(legs, [*legs[1:], None], strict=True):
            battery -= leg.kwh
            if leg.purpose == "recharge":
                if after is not None:
                    needed = plug.recharge_s(plug.battery_kwh - battery)
                    assert after.times_s[0] - leg.times_s[-1] >= needed - 1e-6
                    checked += 1
                battery = plug.battery_kwh
    assert checked > 0


def test_undeliverable_orders_are_reported(small: RoadNetwork) -> None:
    """Too heavy for any van, or due before anyone can get there: reported, with reasons."""
    depots = default_depots(small, 1)
    base = _orders(small, 3, seed=5, kg=1.0)
    heavy = replace(base[0], weight_kg=5000.0)
    rushed = replace(
        base[1], due_s=base[1].created_s + 1.0, ready_s=base[1].created_s, drop_earliest_s=0.0
    )
    params = SimParams(max_lateness_s=0.0)
    result = FleetSimulator(small, make_fleet(2, 1), depots, params).run([heavy, rushed, base[2]])
    states = {r.order.order_id: (r.state, r.reason) for r in result.orders}
    assert states[heavy.order_id] == ("undeliverable", "larger than any van's capacity")
    assert states[rushed.order_id][0] == "undeliverable"
    assert "due" in states[rushed.order_id][1]
    assert states[base[2].order_id][0] == "delivered"


def test_bad_input_is_refused_before_simulating(small: RoadNetwork) -> None:
    """Zero vans, an order off the network, or duplicate ids: clear errors naming them."""
    with pytest.raises(InvalidSimulation, match="vans"):
        simulate_day(small, n_vans=0, n_orders=10)
    order = _orders(small, 1, seed=1, kg=1.0)[0]
    far = replace(order, order_id="FAR", drop_lon=121.5)
    sim = FleetSimulator(small, make_fleet(1, 1), default_depots(small, 1))
    with pytest.raises(OutOfNetworkArea, match="order FAR: its drop"):
        sim.run([order, far])
    with pytest.raises(InvalidSimulation, match="unique"):
        sim.run([order, order])
    with pytest.raises(InvalidSimulation, match="order X"):
        sim.run([replace(order, order_id="X", weight_kg=-1.0)])
    with pytest.raises(InvalidSimulation, match="empty order_id"):
        sim.run([replace(order, order_id=" ")])


@pytest.mark.parametrize(
    "field", ["epoch_s", "remote_help_mean_s", "reoptimize_every_s", "time_of_day_at_zero_s"]
)
def test_infinite_parameters_are_refused(field: str) -> None:
    """An infinite epoch, help time or clock offset is an InvalidSimulation, not a SimPy crash."""
    infinite: dict[str, Any] = {field: float("inf")}
    with pytest.raises(InvalidSimulation, match=f"{field} must be finite"):
        SimParams(**infinite)


def test_an_infinite_lateness_limit_means_no_limit() -> None:
    """max_lateness_s may be infinite: no order is refused for lateness."""
    assert SimParams(max_lateness_s=float("inf")).max_lateness_s == float("inf")


def test_incremental_service_in_a_callers_environment(small: RoadNetwork) -> None:
    """DeliveryService runs in the caller's SimPy env: submit over time, close, all served."""
    env = simpy.Environment(initial_time=8 * 3600.0)
    depots = [DepotSite("hub", float(small.lon[0]), float(small.lat[0]))]
    service = DeliveryService(env, small, make_fleet(3, 1), depots, SimParams(seed=1))
    orders = _orders(small, 12, seed=8, kg=2.0)

    def feed() -> simpy.events.ProcessGenerator:
        for k, o in enumerate(orders):
            yield env.timeout(120.0)
            now = float(env.now)
            service.submit(replace(o, created_s=now, ready_s=now + 300, due_s=now + 3600 + k,
                                   drop_earliest_s=0.0))  # fmt: skip
        service.close()

    env.process(feed())
    env.run(until=8 * 3600.0 + 1800.0)
    assert service.metrics()["orders"] == 12
    env.run()
    assert service.metrics()["delivered"] == 12
    assert all(r.state == "delivered" for r in service.orders)


def test_pyvrp_reoptimisation_keeps_the_invariants(small: RoadNetwork) -> None:
    """Periodic PyVRP re-plans run; every order is resolved, each drop made by its own van."""
    depots = default_depots(small, 1)
    params = SimParams(seed=2, reoptimize_every_s=900.0, reoptimize_time_s=0.2)
    result = FleetSimulator(small, make_fleet(4, 1), depots, params).run(
        _orders(small, 40, seed=9, kg=2.0)
    )
    assert result.metrics["reopt_runs"] > 10
    assert result.metrics["delivered"] + result.metrics["undeliverable"] == 40
    for rec in result.orders:  # each drop was driven to by the van it is recorded on
        if rec.state == "delivered":
            assert rec.delivered_s is not None
            assert any(
                leg.van == rec.van
                and int(leg.nodes[-1]) == rec.drop_node
                and float(leg.times_s[-1]) <= rec.delivered_s + 1e-6
                for leg in result.legs
            )


def test_legs_take_free_flow_time_times_the_hour_factor(small: RoadNetwork) -> None:
    """Without disengagements every leg lasts its path's free-flow time x its hour's factor."""
    depots = default_depots(small, 1)
    profile = CongestionProfile()
    params = SimParams(seed=4, disengagements_per_km=0.0, congestion=profile)
    fleet = make_fleet(3, 1)
    result = FleetSimulator(small, fleet, depots, params).run(_orders(small, 30, seed=4, kg=1.0))
    cache = PathCache(small, speed_cap_kmh=max(v.van_type.max_speed_kmh for v in fleet))
    factors = set()
    for leg in result.legs:
        if leg.nodes.shape[0] < 2:
            continue
        free = float(cache.path_times_s(leg.nodes.tolist()).sum())
        factor = profile.factor_at(float(leg.times_s[0]))
        factors.add(factor)
        assert float(leg.times_s[-1] - leg.times_s[0]) == pytest.approx(free * factor)
    assert len(factors) >= 3  # the day's legs start in hours with different congestion


def test_running_cost_counts_km_and_deployed_hours(tight_run: SimulationResult) -> None:
    """cost_fen = sum over vans of km x fen/km + hours out x fen/hour, in whole fen."""
    expected = sum(
        round(s.km * TINY_VAN.cost_fen_per_km + s.active_s / 3600 * TINY_VAN.cost_fen_per_hour)
        for s in tight_run.van_stats
    )
    assert all(s.active_s > 0 for s in tight_run.van_stats)
    assert tight_run.metrics["cost_fen"] == expected > 0
    delivered = tight_run.metrics["delivered"]
    assert tight_run.metrics["cost_fen_per_order"] == round(expected / delivered)


@pytest.mark.parametrize(
    "points",
    [
        [
            (10.0, 50.0),
            (10.001, 50.0),
            (10.001, 50.001),
        ],  # 3 intersections: fewer than 10 merchants
        [(120.02, 30.23), (120.23, 30.37)],  # one road across the LaDe area, far from its points
    ],
)
def test_orders_on_sparse_networks(tmp_path: Path, points: list[tuple[float, float]]) -> None:
    """generate_orders copes with tiny or sparse networks (it crashed or looped for ever)."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for i, (x, y) in enumerate(points):
        graph.add_node(i, x=x, y=y)
    for i in range(len(points)):
        for j in range(len(points)):
            if i != j:
                graph.add_edge(i, j, length=1000.0)
    nx.write_graphml(graph, tmp_path / "net.graphml")
    network = load_graphml(tmp_path / "net.graphml")
    orders, merchants = generate_orders(network, 30, seed=0)
    assert len(orders) == 30
    assert 1 <= len(merchants) <= len(points)
    nodes = set(zip(network.lon.tolist(), network.lat.tolist(), strict=True))
    assert all((o.pickup_lon, o.pickup_lat) in nodes for o in orders)
