"""Pieces of the engine adapters that are the drill's own: serving latency, busy time, roads."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from lantern.drill._compute_side import BASE_LATENCY_MS, OVERLOAD_LATENCY_MS, _latency_ms
from lantern.drill._fleet_side import _add_busy
from lantern.drill._roads import _chains


def test_latency_grows_with_utilisation_and_saturates() -> None:
    """M/M/1: 300 ms at no load, twice the mean at 50% utilisation, overload at capacity."""
    idle_p50, idle_p95 = _latency_ms(0.0, 10.0)
    assert idle_p95 == pytest.approx(3 * BASE_LATENCY_MS)
    p50, p95 = _latency_ms(5.0, 10.0)
    assert p95 == pytest.approx(3 * 2 * BASE_LATENCY_MS)
    assert p50 < p95
    assert _latency_ms(10.0, 10.0) == (OVERLOAD_LATENCY_MS, OVERLOAD_LATENCY_MS)
    assert _latency_ms(1.0, 0.0) == (OVERLOAD_LATENCY_MS, OVERLOAD_LATENCY_MS)
    assert idle_p50 < p50


def test_busy_time_is_split_over_buckets() -> None:
    """A drive from 250 s to 700 s with 300 s buckets adds 50, 300 and 100 s."""
    busy = np.zeros(4)
    _add_busy(busy, 250.0, 700.0, 300.0)
    assert busy.tolist() == [50.0, 300.0, 100.0, 0.0]
    _add_busy(busy, 1150.0, 1300.0, 300.0)  # past the last bucket: clipped, not an error
    assert busy.tolist() == [50.0, 300.0, 100.0, 50.0]


def test_road_chains_merge_degree_two_nodes_and_keep_every_edge() -> None:
    """A path 0-1-2-3 with a branch 2-4 becomes two chains; a loop is kept whole."""
    adjacency = {0: {1}, 1: {0, 2}, 2: {1, 3, 4}, 3: {2}, 4: {2}, 5: {6, 7}, 6: {5, 7}, 7: {5, 6}}
    chains = _chains(adjacency)
    edges = {frozenset(e) for c in chains for e in itertools.pairwise(c)}
    assert edges == {frozenset(e) for e in [(0, 1), (1, 2), (2, 3), (2, 4), (5, 6), (6, 7), (5, 7)]}
    assert [0, 1, 2] in chains or [2, 1, 0] in chains
