"""OpenStreetMap PBF extracts to road networks, with pyosmium (a light C++ reader).

Drivable ways (``highway`` in :data:`DRIVABLE`) become directed edges between consecutive
way nodes: both directions unless ``oneway`` says otherwise. Lengths are great-circle
distances between node locations; speeds come from ``maxspeed`` or the road class
(:func:`lantern.fleet._network.speed_from_tags`). The largest strongly connected part is
kept, so every node reaches every other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from lantern.fleet._files import not_a_file
from lantern.fleet._network import RoadNetwork, speed_from_tags
from lantern.fleet.errors import InvalidNetwork

__all__ = ["DRIVABLE", "load_osm_pbf"]

DRIVABLE = frozenset({
    "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
    "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
    "residential", "living_street", "service", "road",
})  # fmt: skip
"""OSM ``highway`` classes a delivery van may drive on."""

OSM_ATTRIBUTION = "Map data (c) OpenStreetMap contributors, ODbL 1.0"
_EARTH_RADIUS_M = 6_371_008.8


def _haversine_m(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> Any:
    lon1, lat1, lon2, lat2 = (np.radians(a) for a in (lon1, lat1, lon2, lat2))
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_M * np.arcsin(np.sqrt(h))


class _WayCollector:
    """Collects drivable ways as (node ids, lons, lats, speed, oneway direction)."""

    def __init__(self) -> None:
        self.ways: list[tuple[list[int], list[float], list[float], float, int]] = []

    def way(self, w: Any) -> None:
        tags = w.tags
        highway = tags.get("highway")
        if highway not in DRIVABLE or tags.get("area") == "yes":
            return
        ids, lons, lats = [], [], []
        for node in w.nodes:
            if not node.location.valid():
                continue
            ids.append(int(node.ref))
            lons.append(float(node.location.lon))
            lats.append(float(node.location.lat))
        if len(ids) < 2:
            return
        oneway = tags.get("oneway", "")
        direction = 1 if oneway in ("yes", "true", "1") else -1 if oneway == "-1" else 0
        if direction == 0 and (
            highway.startswith("motorway") or tags.get("junction") == "roundabout"
        ):
            direction = 1
        self.ways.append(
            (ids, lons, lats, speed_from_tags(highway, tags.get("maxspeed")), direction)
        )


def load_osm_pbf(path: Path, *, name: str | None = None) -> RoadNetwork:
    """Read the drivable road network of an ``.osm.pbf`` extract (needs ``osmium``)."""
    try:
        import osmium
    except ImportError:  # pragma: no cover - osmium is a dependency
        raise InvalidNetwork(
            "reading OSM PBF needs the 'osmium' package: pip install osmium"
        ) from None
    if not path.is_file():
        raise InvalidNetwork(f"OSM PBF file {path} {not_a_file(path)}")
    collector = _WayCollector()
    handler = type("Handler", (osmium.SimpleHandler,), {"way": lambda _self, w: collector.way(w)})()
    try:
        handler.apply_file(str(path), locations=True)
    except RuntimeError as exc:
        raise InvalidNetwork(f"{path}: not a readable OSM file ({exc})") from None
    if not collector.ways:
        raise InvalidNetwork(f"{path}: no drivable roads (highway=*) in this extract")
    index: dict[int, int] = {}
    lon: list[float] = []
    lat: list[float] = []
    src: list[int] = []
    dst: list[int] = []
    speed: list[float] = []
    for ids, lons, lats, kmh, direction in collector.ways:
        local = []
        for osm_id, x, y in zip(ids, lons, lats, strict=True):
            if osm_id not in index:
                index[osm_id] = len(lon)
                lon.append(x)
                lat.append(y)
            local.append(index[osm_id])
        a, b = local[:-1], local[1:]
        if direction >= 0:
            src += a
            dst += b
        if direction <= 0:
            src += b
            dst += a
        speed += [kmh] * (len(a) * (2 if direction == 0 else 1))
    lon_a, lat_a = np.array(lon), np.array(lat)
    s, d = np.array(src), np.array(dst)
    length = _haversine_m(lon_a[s], lat_a[s], lon_a[d], lat_a[d])
    ids_arr = np.array([str(k) for k in index])
    network = RoadNetwork.from_edges(
        name or path.name.split(".")[0], lon_a, lat_a, (s, d, length, np.array(speed)),
        node_ids=ids_arr, attribution=OSM_ATTRIBUTION,
    )  # fmt: skip
    return network.largest_component()
