"""Road networks: nodes with lon/lat, directed edges with length and free-flow speed.

A :class:`RoadNetwork` is immutable numpy arrays (structure of arrays), built by the loaders
(:func:`load_graphml`, :func:`load_osm_pbf`, :func:`load_city`). It snaps coordinates to the
nearest node (a scipy cKDTree over a local metric projection) and hands out the CSR graphs
that :mod:`lantern.fleet._matrix` runs scipy's Dijkstra on.

Conventions: node indices are 0..n-1 (``node_ids`` keeps the source file's ids); lengths in
metres; speeds in km/h; travel times in seconds. Parallel edges keep the fastest one and
self-loops are dropped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from lantern.fleet.errors import InvalidNetwork, OutOfNetworkArea

__all__ = ["DEFAULT_SPEED_KMH", "ROAD_CLASS_SPEED_KMH", "RoadNetwork", "speed_from_tags"]

DEFAULT_SPEED_KMH = 30.0
"""Free-flow speed of an edge with no road class or speed limit (urban arterial average)."""

ROAD_CLASS_SPEED_KMH: dict[str, float] = {
    "motorway": 80.0, "motorway_link": 50.0, "trunk": 60.0, "trunk_link": 40.0,
    "primary": 50.0, "primary_link": 35.0, "secondary": 40.0, "secondary_link": 30.0,
    "tertiary": 35.0, "tertiary_link": 25.0, "unclassified": 30.0, "residential": 25.0,
    "living_street": 10.0, "service": 15.0, "road": 30.0,
}  # fmt: skip
"""Free-flow speeds by OSM ``highway`` class, used when an edge has no ``maxspeed``."""

_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON_EQUATOR = 111_320.0


def speed_from_tags(highway: str | None, maxspeed: str | None) -> float:
    """Free-flow speed (km/h) from OSM tags: ``maxspeed`` if numeric, else the road class."""
    if maxspeed:
        text = maxspeed.split(";")[0].strip().lower()
        factor = 1.609344 if text.endswith("mph") else 1.0
        digits = text.removesuffix("mph").removesuffix("km/h").strip()
        try:
            value = float(digits) * factor
        except ValueError:
            value = 0.0
        if 5.0 <= value <= 150.0:
            return value
    if highway:
        return ROAD_CLASS_SPEED_KMH.get(highway.split(";")[0].strip(), DEFAULT_SPEED_KMH)
    return DEFAULT_SPEED_KMH


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """A directed road graph as arrays; build it with a loader, not by hand."""

    name: str
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    src: NDArray[np.int32]
    dst: NDArray[np.int32]
    length_m: NDArray[np.float64]
    speed_kmh: NDArray[np.float64]
    node_ids: NDArray[np.str_] = field(default_factory=lambda: np.empty(0, dtype=np.str_))
    attribution: str = ""

    def __post_init__(self) -> None:
        n, m = self.lon.shape[0], self.src.shape[0]
        if n == 0 or m == 0:
            raise InvalidNetwork(f"road network {self.name!r} has {n} nodes and {m} edges")
        shapes = {self.lat.shape[0]} | {a.shape[0] for a in (self.dst, self.length_m)}
        if self.lat.shape[0] != n or len(shapes | {m, n}) > 2 or self.speed_kmh.shape[0] != m:
            raise InvalidNetwork(f"road network {self.name!r}: array lengths disagree")
        if int(self.src.min()) < 0 or int(max(self.src.max(), self.dst.max())) >= n:
            raise InvalidNetwork(f"road network {self.name!r}: an edge names a missing node")
        if not np.all(np.isfinite(self.lon)) or not np.all(np.isfinite(self.lat)):
            raise InvalidNetwork(f"road network {self.name!r}: a node has no coordinates")
        if np.any(self.length_m < 0) or np.any(self.speed_kmh <= 0):
            raise InvalidNetwork(f"road network {self.name!r}: negative length or zero speed")

    # --- construction ---------------------------------------------------------------
    @classmethod
    def from_edges(
        cls,
        name: str,
        lon: NDArray[np.float64],
        lat: NDArray[np.float64],
        edges: tuple[NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any]],
        *,
        node_ids: NDArray[np.str_] | None = None,
        attribution: str = "",
    ) -> RoadNetwork:
        """Build from (src, dst, length_m, speed_kmh), dropping self-loops and slower twins."""
        src, dst, length, speed = (np.asarray(a) for a in edges)
        keep = src != dst
        src, dst = src[keep].astype(np.int32), dst[keep].astype(np.int32)
        length = length[keep].astype(np.float64)
        speed = speed[keep].astype(np.float64)
        time = length / speed
        order = np.lexsort((time, dst, src))
        src, dst, length, speed = src[order], dst[order], length[order], speed[order]
        first = np.ones(src.shape[0], dtype=bool)
        first[1:] = (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])
        ids = node_ids if node_ids is not None else np.arange(lon.shape[0]).astype(np.str_)
        return cls(
            name=name,
            lon=np.asarray(lon, dtype=np.float64),
            lat=np.asarray(lat, dtype=np.float64),
            src=src[first],
            dst=dst[first],
            length_m=length[first],
            speed_kmh=speed[first],
            node_ids=ids,
            attribution=attribution,
        )

    # --- sizes and geometry ---------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        return int(self.lon.shape[0])

    @property
    def n_edges(self) -> int:
        return int(self.src.shape[0])

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(lon_min, lat_min, lon_max, lat_max)."""
        return (
            float(self.lon.min()),
            float(self.lat.min()),
            float(self.lon.max()),
            float(self.lat.max()),
        )

    @cached_property
    def _origin(self) -> tuple[float, float, float]:
        lat0 = float(self.lat.mean())
        return float(self.lon.mean()), lat0, _M_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat0))

    def project_m(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
        """Local equirectangular projection to metres (accurate to <0.1% over a city)."""
        lon0, lat0, m_per_deg_lon = self._origin
        x = (np.asarray(lon, dtype=np.float64) - lon0) * m_per_deg_lon
        y = (np.asarray(lat, dtype=np.float64) - lat0) * _M_PER_DEG_LAT
        return np.column_stack([x, y])

    @cached_property
    def _kdtree(self) -> cKDTree:
        return cKDTree(self.project_m(self.lon, self.lat))

    def nearest(
        self, lon: NDArray[np.float64], lat: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """Distance (m) to, and index of, the nearest node of each point (no limit)."""
        dist, idx = self._kdtree.query(self.project_m(lon, lat))
        return np.asarray(dist, dtype=np.float64), np.asarray(idx, dtype=np.int64)

    def snap(
        self,
        lon: NDArray[np.float64] | Sequence[float] | float,
        lat: NDArray[np.float64] | Sequence[float] | float,
        *,
        max_distance_m: float = 500.0,
    ) -> NDArray[np.int64]:
        """Nearest node index of each point; a point farther than ``max_distance_m`` fails.

        Raises :class:`~lantern.fleet.errors.OutOfNetworkArea` naming the first point
        (its position in the input and its coordinates) that lies outside the network.
        """
        lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        lat_a = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        if lon_a.shape != lat_a.shape:
            raise OutOfNetworkArea("snap: lon and lat arrays differ in length")
        bad_coord = ~(np.isfinite(lon_a) & np.isfinite(lat_a))
        if bad_coord.any():
            i = int(np.flatnonzero(bad_coord)[0])
            raise OutOfNetworkArea(f"point {i} has no valid coordinates ({lon_a[i]}, {lat_a[i]})")
        dist, idx = self.nearest(lon_a, lat_a)
        far = dist > max_distance_m
        if far.any():
            i = int(np.flatnonzero(far)[0])
            raise OutOfNetworkArea(
                f"point {i} at lon {lon_a[i]:.6f}, lat {lat_a[i]:.6f} is {dist[i]:.0f} m from the "
                f"nearest road of network {self.name!r} (limit {max_distance_m:.0f} m; the "
                f"network covers lon {self.bbox[0]:.4f}..{self.bbox[2]:.4f}, "
                f"lat {self.bbox[1]:.4f}..{self.bbox[3]:.4f})"
            )
        return np.asarray(idx, dtype=np.int64)

    # --- graphs for shortest paths --------------------------------------------------
    def edge_time_s(self, speed_cap_kmh: float | None = None) -> NDArray[np.float64]:
        """Free-flow seconds per edge, each edge's speed capped at ``speed_cap_kmh``."""
        speed = (
            self.speed_kmh if speed_cap_kmh is None else np.minimum(self.speed_kmh, speed_cap_kmh)
        )
        return self.length_m / (speed / 3.6)

    def csr(self, weights: NDArray[np.float64]) -> csr_matrix:
        """The CSR adjacency matrix with ``weights`` per edge (zero-weight edges kept)."""
        w = np.maximum(np.asarray(weights, dtype=np.float64), 1e-6)
        return csr_matrix((w, (self.src, self.dst)), shape=(self.n_nodes, self.n_nodes))

    def largest_component(self) -> RoadNetwork:
        """The largest strongly connected part (every node reaches every other)."""
        _, labels = connected_components(
            self.csr(self.length_m), directed=True, connection="strong"
        )
        biggest = int(np.bincount(labels).argmax())
        return self._restrict(labels == biggest)

    def within(self, lon_min: float, lat_min: float, lon_max: float, lat_max: float) -> RoadNetwork:
        """The largest strongly connected part of the nodes inside a bounding box."""
        inside = (
            (self.lon >= lon_min) & (self.lon <= lon_max)
            & (self.lat >= lat_min) & (self.lat <= lat_max)
        )  # fmt: skip
        if not inside.any():
            raise InvalidNetwork(f"no node of {self.name!r} lies inside the bounding box")
        return self._restrict(inside).largest_component()

    def _restrict(self, keep: NDArray[np.bool_]) -> RoadNetwork:
        new_index = np.full(self.n_nodes, -1, dtype=np.int64)
        new_index[keep] = np.arange(int(keep.sum()))
        ok = keep[self.src] & keep[self.dst]
        return RoadNetwork.from_edges(
            self.name,
            self.lon[keep],
            self.lat[keep],
            (
                new_index[self.src[ok]],
                new_index[self.dst[ok]],
                self.length_m[ok],
                self.speed_kmh[ok],
            ),
            node_ids=self.node_ids[keep] if self.node_ids.shape[0] else None,
            attribution=self.attribution,
        )
