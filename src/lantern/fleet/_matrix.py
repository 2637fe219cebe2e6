"""Many-to-many travel times and paths with scipy.sparse.csgraph (no per-pair Python search).

:func:`travel_time_matrix` runs one multi-source Dijkstra over the CSR graph (about 1.5 ms
per source on Hangzhou's 14k nodes) and picks the destination columns. :class:`PathCache`
keeps rows (times and predecessors) of the nodes a simulation is using, computed in
batches, so any stop-to-stop time is one array lookup and a leg's path is a walk back
along the predecessors.

Times are free-flow seconds; multiply by a :class:`CongestionProfile` factor for an hour
(the factor is network-wide, so fastest paths do not change with the hour).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from lantern.fleet._congestion import CongestionProfile
from lantern.fleet._network import RoadNetwork
from lantern.fleet.errors import InvalidNetwork

__all__ = ["PathCache", "travel_time_matrix"]

_CHUNK = 512  # sources per Dijkstra call: bounds memory at 512 x n_nodes floats


def _as_nodes(network: RoadNetwork, nodes: Sequence[int] | NDArray[np.int64]) -> NDArray[np.int64]:
    arr = np.asarray(nodes, dtype=np.int64).reshape(-1)
    if arr.size and (int(arr.min()) < 0 or int(arr.max()) >= network.n_nodes):
        raise InvalidNetwork(f"node index out of range 0..{network.n_nodes - 1} in matrix request")
    return arr


def travel_time_matrix(
    network: RoadNetwork,
    origins: Sequence[int] | NDArray[np.int64],
    destinations: Sequence[int] | NDArray[np.int64] | None = None,
    *,
    depart_s: float | None = None,
    congestion: CongestionProfile | None = None,
    speed_cap_kmh: float | None = None,
) -> NDArray[np.float64]:
    """Seconds from each origin node to each destination node (``inf`` if unreachable).

    With ``depart_s`` and ``congestion``, times are scaled by the factor of that hour.
    """
    orig = _as_nodes(network, origins)
    dest = orig if destinations is None else _as_nodes(network, destinations)
    graph = network.csr(network.edge_time_s(speed_cap_kmh))
    unique, inverse = np.unique(orig, return_inverse=True)
    rows = np.empty((unique.shape[0], dest.shape[0]))
    for start in range(0, unique.shape[0], _CHUNK):
        part = unique[start : start + _CHUNK]
        rows[start : start + part.shape[0]] = dijkstra(graph, indices=part)[:, dest]
    out = rows[inverse]
    if depart_s is not None and congestion is not None:
        out *= congestion.factor_at(depart_s)
    return out


class PathCache:
    """Rows of free-flow times and predecessors for the nodes in use, computed in batches.

    Call :meth:`ensure` with the nodes you will route from, then :meth:`times` (vectorised
    lookups) and :meth:`path` (node sequence of the fastest path). :meth:`release` lets a
    row be reused once no open stop needs it; pinned rows (depots, merchants) stay.
    """

    def __init__(self, network: RoadNetwork, *, speed_cap_kmh: float | None = None) -> None:
        self.network = network
        self._graph = network.csr(network.edge_time_s(speed_cap_kmh))
        self._length_m = network.length_m
        n = network.n_nodes
        self._slot = np.full(n, -1, dtype=np.int64)
        self._refs = np.zeros(n, dtype=np.int64)
        self._pinned = np.zeros(n, dtype=bool)
        capacity = 256
        self._time = np.empty((capacity, n), dtype=np.float32)
        self._pred = np.empty((capacity, n), dtype=np.int32)
        self._free: list[int] = list(range(capacity - 1, -1, -1))
        self._slot_node = np.full(capacity, -1, dtype=np.int64)
        self._edge_len = self.network.csr(self._length_m)
        self._edge_time = self._graph
        self.rows_computed = 0

    def ensure(self, nodes: Sequence[int] | NDArray[np.int64], *, pin: bool = False) -> None:
        """Compute (in one Dijkstra call) the rows of those nodes not cached yet."""
        arr = np.unique(_as_nodes(self.network, nodes))
        if pin:
            self._pinned[arr] = True
        missing = arr[self._slot[arr] < 0]
        if missing.size == 0:
            return
        self._reclaim(int(missing.size))
        for start in range(0, missing.shape[0], _CHUNK):
            part = missing[start : start + _CHUNK]
            dist, pred = dijkstra(self._graph, indices=part, return_predecessors=True)
            slots = np.array([self._free.pop() for _ in range(part.shape[0])], dtype=np.int64)
            self._time[slots] = dist
            self._pred[slots] = pred
            self._slot[part] = slots
            self._slot_node[slots] = part
        self.rows_computed += int(missing.size)

    def _reclaim(self, needed: int) -> None:
        if len(self._free) >= needed:
            return
        idle = self._slot_node[self._slot_node >= 0]
        idle = idle[(self._refs[idle] <= 0) & ~self._pinned[idle]]
        for node in idle:
            self._free.append(int(self._slot[node]))
            self._slot_node[self._slot[node]] = -1
            self._slot[node] = -1
        if len(self._free) >= needed:
            return
        old = self._time.shape[0]
        new = max(2 * old, old + needed)
        self._time = np.concatenate(
            [self._time, np.empty((new - old, self._time.shape[1]), np.float32)]
        )
        self._pred = np.concatenate(
            [self._pred, np.empty((new - old, self._pred.shape[1]), np.int32)]
        )
        self._slot_node = np.concatenate([self._slot_node, np.full(new - old, -1, dtype=np.int64)])
        self._free.extend(range(new - 1, old - 1, -1))

    def hold(self, node: int) -> None:
        """Mark a node's row as needed (by an open stop); see :meth:`release`."""
        self._refs[node] += 1

    def release(self, node: int) -> None:
        """A stop at this node is done; its row may be reused when no other stop holds it."""
        self._refs[node] -= 1
        assert self._refs[node] >= 0, "released a node more often than held"

    def times(
        self,
        origins: NDArray[np.int64] | np.int64 | int,
        destinations: NDArray[np.int64] | np.int64 | int,
    ) -> NDArray[np.float64]:
        """Free-flow seconds origin[i] -> destination[i] (broadcasting); origins must be cached."""
        slots = self._slot[origins]
        assert slots.min() >= 0, "travel time asked from a node whose row is not cached"
        out: NDArray[np.float64] = self._time[slots, destinations].astype(np.float64)
        return out

    def time(self, origin: int, destination: int) -> float:
        """Free-flow seconds between two nodes; the origin must be cached."""
        slot = self._slot[origin]
        assert slot >= 0, "travel time asked from a node whose row is not cached"
        return float(self._time[slot, destination])

    def path(self, origin: int, destination: int) -> list[int]:
        """Nodes of the fastest path origin -> destination, both included."""
        slot = self._slot[origin]
        assert slot >= 0, "path asked from a node whose row is not cached"
        pred = self._pred[slot]
        nodes = [destination]
        node = destination
        while node != origin:
            node = int(pred[node])
            assert node >= 0, "destination unreachable from origin"
            nodes.append(node)
        nodes.reverse()
        return nodes

    def path_times_s(self, nodes: Sequence[int]) -> NDArray[np.float64]:
        """Free-flow seconds of each edge along a node path."""
        if len(nodes) < 2:
            return np.zeros(0)
        arr = np.asarray(nodes, dtype=np.int64)
        return np.asarray(self._edge_time[arr[:-1], arr[1:]]).reshape(-1)

    def path_lengths_m(self, nodes: Sequence[int]) -> NDArray[np.float64]:
        """Length in metres of each edge along a node path."""
        if len(nodes) < 2:
            return np.zeros(0)
        arr = np.asarray(nodes, dtype=np.int64)
        return np.asarray(self._edge_len[arr[:-1], arr[1:]]).reshape(-1)
