"""The vectorised insertion grid against a plain-Python replay of every (i, j) insertion."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lantern.fleet._loaders import load_city
from lantern.fleet._matrix import PathCache
from lantern.fleet._network import RoadNetwork
from lantern.fleet._plan import PairRequest, Stop, VanState, best_insertion, insertion_costs
from lantern.fleet._vehicles import Van, VanType

VAN = VanType("test", capacity_kg=10.0, capacity_m3=1.0, battery_kwh=3.0,
              consumption_kwh_per_km=0.2, max_speed_kmh=40.0, cost_fen_per_km=1,
              cost_fen_per_hour=1)  # fmt: skip
NOW, FACTOR, RESERVE = 36_000.0, 1.3, 0.1


@pytest.fixture(scope="module")
def world() -> tuple[RoadNetwork, PathCache, float]:
    small = load_city("hangzhou").within(120.15, 30.27, 120.17, 30.29)
    cache = PathCache(small)
    cache.ensure(np.arange(small.n_nodes))
    km_per_s = float(small.speed_kmh.max()) / 3600.0
    return small, cache, km_per_s


def _replay(state: VanState, plan: list[Stop], cache: PathCache, km_per_s: float) -> float | None:
    """Arrival at the last drop if the plan keeps every hard limit, else None."""
    t = max(NOW, state.anchor_s)
    node, kg, m3, drive, last_drop = state.anchor_node, state.load_kg, state.load_m3, 0.0, 0.0
    for stop in plan:
        leg = cache.time(node, stop.node)
        drive += leg
        arrival = t + FACTOR * leg
        if arrival > stop.latest_s:
            return None
        kg, m3 = kg + stop.kg, m3 + stop.m3
        if kg > VAN.capacity_kg + 1e-9 or m3 > VAN.capacity_m3 + 1e-9:
            return None
        t = max(arrival, stop.ready_s) + stop.service_s
        node = stop.node
        last_drop = arrival if stop.kind == "drop" else last_drop
    drive += cache.time(node, state.home)
    if drive * km_per_s * VAN.consumption_kwh_per_km > state.battery_kwh - RESERVE * 3.0:
        return None
    return last_drop


def _random_case(rng: np.random.Generator, n_nodes: int) -> tuple[VanState, PairRequest]:
    def node() -> int:
        return int(rng.integers(0, n_nodes))

    plan: list[Stop] = []
    aboard = 0.0
    for order in range(int(rng.integers(0, 6))):
        kg = float(rng.uniform(0.5, 4.0))
        drop = Stop(order, "drop", node(), 0.0, NOW + 3000, NOW + float(rng.uniform(900, 7200)),
                    60.0, -kg, -0.01)  # fmt: skip
        if rng.random() < 0.3:  # already aboard: only the drop is left
            aboard += kg
            plan.insert(int(rng.integers(0, len(plan) + 1)), drop)
            continue
        pickup = Stop(order, "pickup", node(), NOW + float(rng.uniform(0, 1800)), np.inf,
                      np.inf, 60.0, kg, 0.01)  # fmt: skip
        a = int(rng.integers(0, len(plan) + 1))
        plan.insert(a, pickup)
        plan.insert(int(rng.integers(a + 1, len(plan) + 1)), drop)
    home = node()
    state = VanState(van=Van(0, VAN, 0), home=home, anchor_node=node(),
                     anchor_s=NOW + float(rng.uniform(0, 300)), load_kg=aboard,
                     load_m3=0.01 * sum(1 for s in plan if s.kind == "drop") - 0.01 * sum(
                         1 for s in plan if s.kind == "pickup"),
                     battery_kwh=float(rng.uniform(1.0, 3.0)), plan=plan)  # fmt: skip
    kg = float(rng.uniform(0.5, 6.0))
    ready = NOW + float(rng.uniform(0, 1200))
    request = PairRequest(
        Stop(99, "pickup", node(), ready, np.inf, np.inf, 60.0, kg, 0.01),
        Stop(99, "drop", node(), 0.0, NOW + 2400, NOW + float(rng.uniform(600, 6000)), 60.0, -kg,
             -0.01),
    )  # fmt: skip
    return state, request


def test_grid_feasibility_matches_a_replay_of_every_insertion(
    world: tuple[RoadNetwork, PathCache, float],
) -> None:
    """On 150 random feasible plans the grid marks exactly the insertions a replay accepts."""
    network, cache, km_per_s = world
    rng = np.random.default_rng(7)
    checked = feasible_cells = infeasible_cells = 0
    while checked < 150:
        state, request = _random_case(rng, network.n_nodes)
        if _replay(state, state.plan, cache, km_per_s) is None:
            continue  # the grid assumes the current plan keeps its limits
        checked += 1
        cost, arr_d = insertion_costs([state], request, cache, now=NOW, factor=FACTOR,
                                      km_per_free_flow_s=km_per_s, reserve_frac=RESERVE,
                                      weights=(4.0, 0.5))  # fmt: skip
        n = len(state.plan)
        for i in range(n + 1):
            for j in range(i, n + 1):
                plan = list(state.plan)
                plan.insert(i, request.pickup)
                plan.insert(j + 1, request.drop)
                ok = _replay(state, plan, cache, km_per_s) is not None
                assert ok == bool(np.isfinite(cost[0, i, j])), (checked, i, j)
                feasible_cells += ok
                infeasible_cells += not ok
                if ok:
                    t = max(NOW, state.anchor_s)
                    node = state.anchor_node
                    for stop in plan:  # arrival at the new drop
                        arrival = t + FACTOR * cache.time(node, stop.node)
                        if stop is request.drop:
                            assert arr_d[0, i, j] == pytest.approx(arrival, abs=1e-3)
                            break
                        t, node = max(arrival, stop.ready_s) + stop.service_s, stop.node
    assert feasible_cells > 100
    assert infeasible_cells > 100


def test_best_insertion_picks_the_cheapest_feasible_van(
    world: tuple[RoadNetwork, PathCache, float],
) -> None:
    """Over several vans, best_insertion returns the grid's minimum, or None if none fits."""
    network, cache, km_per_s = world
    rng = np.random.default_rng(11)
    for _ in range(40):
        cases = [_random_case(rng, network.n_nodes) for _ in range(4)]
        states = [c[0] for c in cases]
        request = cases[0][1]
        kwargs: dict[str, Any] = {"now": NOW, "factor": FACTOR, "km_per_free_flow_s": km_per_s,
                                  "reserve_frac": RESERVE, "weights": (4.0, 0.5)}  # fmt: skip
        cost, _ = insertion_costs(states, request, cache, **kwargs)
        best = best_insertion(states, request, cache, **kwargs)
        if not np.isfinite(cost).any():
            assert best is None
            continue
        assert best is not None
        van, ins = best
        assert ins.cost == pytest.approx(float(cost.min()))
        assert cost[van, ins.pickup_index, ins.drop_index - 1] == pytest.approx(ins.cost)
