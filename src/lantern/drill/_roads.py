"""The road network drawn on maps: the fleet's shipped Hangzhou graph as polylines.

Directed edges become undirected segments; chains through degree-2 intersections are merged
into polylines, so the dashboard draws a few thousand lines instead of forty thousand.
Coordinates are rounded to 5 decimals (about 1 m).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["Polyline", "road_geojson", "road_polylines"]

Polyline = tuple[tuple[float, float], ...]


def _undirected_adjacency(src: Any, dst: Any) -> dict[int, set[int]]:
    adjacency: dict[int, set[int]] = defaultdict(set)
    for a, b in zip(np.asarray(src).tolist(), np.asarray(dst).tolist(), strict=True):
        if a != b:
            adjacency[a].add(b)
            adjacency[b].add(a)
    return adjacency


def _chains(adjacency: dict[int, set[int]]) -> list[list[int]]:
    seen: set[tuple[int, int]] = set()
    chains: list[list[int]] = []

    def walk(start: int, nxt: int) -> list[int]:
        chain, prev, cur = [start], start, nxt
        seen.add((min(start, nxt), max(start, nxt)))
        while True:
            chain.append(cur)
            if len(adjacency[cur]) != 2 or cur == start:
                return chain
            (step,) = adjacency[cur] - {prev}
            key = (min(cur, step), max(cur, step))
            if key in seen:
                return chain
            seen.add(key)
            prev, cur = cur, step

    for node in sorted(adjacency):
        if len(adjacency[node]) == 2:
            continue
        for nxt in sorted(adjacency[node]):
            if (min(node, nxt), max(node, nxt)) not in seen:
                chains.append(walk(node, nxt))
    for node in sorted(adjacency):  # loops made only of degree-2 nodes
        for nxt in sorted(adjacency[node]):
            if (min(node, nxt), max(node, nxt)) not in seen:
                chains.append(walk(node, nxt))
    return chains


@lru_cache(maxsize=4)
def road_polylines(city: str = "hangzhou") -> tuple[Polyline, ...]:
    """The city's drivable roads as undirected polylines of (lng, lat)."""
    from lantern.fleet import load_city

    network = load_city(city)
    lon = np.round(np.asarray(network.lon, dtype=np.float64), 5).tolist()
    lat = np.round(np.asarray(network.lat, dtype=np.float64), 5).tolist()
    chains = _chains(_undirected_adjacency(network.src, network.dst))
    return tuple(tuple((lon[n], lat[n]) for n in chain) for chain in chains)


@lru_cache(maxsize=4)
def road_geojson(city: str = "hangzhou") -> dict[str, Any]:
    """The roads as one GeoJSON FeatureCollection of a MultiLineString, plus the bbox."""
    lines = road_polylines(city)
    xs = [x for line in lines for x, _ in line]
    ys = [y for line in lines for _, y in line]
    return {
        "type": "FeatureCollection",
        "bbox": [min(xs), min(ys), max(xs), max(ys)],
        "features": [
            {
                "type": "Feature",
                "properties": {"name": f"{city} roads", "source": "OpenStreetMap (ODbL)"},
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": [[list(p) for p in line] for line in lines],
                },
            }
        ],
    }
