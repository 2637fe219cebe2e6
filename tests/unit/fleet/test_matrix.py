"""Travel-time matrices and paths (scipy csgraph) against networkx; congestion scaling."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from lantern.errors import InvalidInput
from lantern.fleet._congestion import CongestionProfile
from lantern.fleet._loaders import load_city
from lantern.fleet._matrix import PathCache, travel_time_matrix
from lantern.fleet._network import RoadNetwork


def _tiny() -> RoadNetwork:
    """Five nodes, a one-way shortcut and a slow road; one parallel edge (slower) dropped."""
    lon = np.array([120.0, 120.01, 120.02, 120.01, 120.03])
    lat = np.array([30.0, 30.0, 30.0, 30.01, 30.01])
    src = np.array([0, 1, 1, 2, 0, 3, 3, 2, 4, 2, 0])
    dst = np.array([1, 0, 2, 1, 3, 0, 2, 4, 2, 3, 1])
    length = np.array([1000, 1000, 1000, 1000, 1500, 1500, 1200, 800, 800, 900, 1000.0])
    speed = np.array([30, 30, 30, 30, 60, 60, 30, 30, 30, 20, 10.0])
    return RoadNetwork.from_edges("tiny", lon, lat, (src, dst, length, speed))


def _nx(network: RoadNetwork) -> nx.DiGraph:
    graph = nx.DiGraph()
    times = network.edge_time_s()
    for s, d, t in zip(network.src.tolist(), network.dst.tolist(), times.tolist(), strict=True):
        graph.add_edge(s, d, weight=t)
    return graph


def test_matrix_equals_networkx_on_a_tiny_graph() -> None:
    """Every entry equals networkx's Dijkstra; the slower parallel edge is ignored."""
    network = _tiny()
    assert network.n_edges == 10
    matrix = travel_time_matrix(network, range(5))
    expected = dict(nx.all_pairs_dijkstra_path_length(_nx(network)))
    for i in range(5):
        for j in range(5):
            assert matrix[i, j] == pytest.approx(expected[i][j])


def test_matrix_equals_networkx_on_a_city_subgraph() -> None:
    """Random origins and destinations on a Hangzhou subgraph match networkx."""
    small = load_city("hangzhou").within(120.15, 30.27, 120.17, 30.29)
    rng = np.random.default_rng(3)
    origins = rng.choice(small.n_nodes, 8, replace=False)
    dests = rng.choice(small.n_nodes, 12, replace=False)
    matrix = travel_time_matrix(small, origins, dests)
    graph = _nx(small)
    for a, o in enumerate(origins.tolist()):
        lengths = nx.single_source_dijkstra_path_length(graph, o)
        for b, d in enumerate(dests.tolist()):
            assert matrix[a, b] == pytest.approx(lengths[d], rel=1e-9)


def test_congestion_scales_by_the_hour() -> None:
    """At 08:30 the matrix is the free-flow one times the 08:00 factor; 03:00 is free."""
    network = _tiny()
    profile = CongestionProfile()
    free = travel_time_matrix(network, range(5))
    peak = travel_time_matrix(network, range(5), depart_s=8.5 * 3600, congestion=profile)
    night = travel_time_matrix(network, range(5), depart_s=3 * 3600, congestion=profile)
    assert profile.factor_at(8.5 * 3600) == 1.65
    assert np.allclose(peak, free * 1.65)
    assert np.allclose(night, free)
    assert profile.factor_at(24 * 3600 + 8.5 * 3600) == 1.65


def test_congestion_profile_validation() -> None:
    """A profile needs 24 factors in range; errors say what is wrong."""
    with pytest.raises(InvalidInput, match="24 hourly factors"):
        CongestionProfile.from_sequence([1.0] * 23)
    with pytest.raises(InvalidInput, match="hour 5"):
        CongestionProfile.from_sequence([1.0] * 5 + [0.0] + [1.0] * 18)


def test_path_cache_paths_match_matrix_times() -> None:
    """A cached path follows real edges and its edge times sum to the matrix entry."""
    small = load_city("hangzhou").within(120.15, 30.27, 120.17, 30.29)
    cache = PathCache(small)
    rng = np.random.default_rng(5)
    origins = rng.choice(small.n_nodes, 5, replace=False)
    cache.ensure(origins)
    matrix = travel_time_matrix(small, origins)
    edges = set(zip(small.src.tolist(), small.dst.tolist(), strict=True))
    for a, o in enumerate(origins.tolist()):
        for b, d in enumerate(origins.tolist()):
            path = cache.path(o, d)
            assert path[0] == o
            assert path[-1] == d
            assert all((u, v) in edges for u, v in itertools.pairwise(path))
            assert cache.path_times_s(path).sum() == pytest.approx(matrix[a, b], rel=1e-5)
            assert cache.time(o, d) == pytest.approx(matrix[a, b], rel=1e-5)
