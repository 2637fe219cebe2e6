"""Loading road networks: GraphML (osmnx or networkx), compact npz, and shipped cities.

``load_city("hangzhou")`` reads the npz shipped in ``lantern/data/fleet/roads`` (converted
from the GraphML in ../shared/data/roads with :func:`save_npz`), so it works from a clone.
"""

from __future__ import annotations

import importlib.resources
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from lantern.fleet._files import not_a_file, written_atomically
from lantern.fleet._network import DEFAULT_SPEED_KMH, RoadNetwork, speed_from_tags
from lantern.fleet.errors import InvalidNetwork, UnknownCity

__all__ = [
    "CITIES",
    "city_path",
    "load_city",
    "load_graphml",
    "load_network",
    "load_npz",
    "save_npz",
]

CITIES: dict[str, str] = {"hangzhou": "hangzhou.npz"}
"""Cities shipped with Lantern: name -> npz file in ``lantern/data/fleet/roads``."""

HANGZHOU_ATTRIBUTION = (
    "Central Hangzhou drive graph; map data (c) OpenStreetMap contributors, ODbL 1.0; decoded "
    "from github.com/BeinuoYang/Mixed-Taxi-Fleets-Operations-and-Simulation"
)


def city_path(city: str) -> Path:
    """Path of a shipped city's npz; unknown names raise :class:`UnknownCity`."""
    key = city.strip().lower()
    if key not in CITIES:
        known = ", ".join(sorted(CITIES))
        raise UnknownCity(
            f"unknown city {city!r}: shipped cities are {known} (or pass --graphml or --pbf)"
        )
    ref = importlib.resources.files("lantern.data") / "fleet" / "roads" / CITIES[key]
    return Path(str(ref))


def load_city(city: str) -> RoadNetwork:
    """A shipped city's road network (Hangzhou: 14,339 nodes, 39,838 edges)."""
    return load_npz(city_path(city))


def _float(value: Any, what: str, where: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InvalidNetwork(f"{where}: {what} is {value!r}, not a number") from None


def load_graphml(path: Path, *, name: str | None = None, attribution: str = "") -> RoadNetwork:
    """Read a drive graph (nodes with x=lon, y=lat; edges with length in metres).

    Edge speeds come from ``speed_kph`` (osmnx), else ``maxspeed``/``highway`` tags, else
    :data:`DEFAULT_SPEED_KMH`. The largest strongly connected component is kept.
    """
    import networkx as nx

    if not path.is_file():
        raise InvalidNetwork(f"GraphML file {path} {not_a_file(path)}")
    try:
        graph = nx.read_graphml(path)
    except (ET.ParseError, nx.NetworkXError, KeyError, ValueError) as exc:
        raise InvalidNetwork(f"{path}: not a readable GraphML file ({exc})") from None
    ids = list(graph.nodes)
    if not ids:
        raise InvalidNetwork(f"{path}: the graph has no nodes")
    index = {node: i for i, node in enumerate(ids)}
    lon = np.empty(len(ids))
    lat = np.empty(len(ids))
    for i, node in enumerate(ids):
        data = graph.nodes[node]
        lon[i] = _float(data.get("x"), "x (longitude)", f"{path}: node {node}")
        lat[i] = _float(data.get("y"), "y (latitude)", f"{path}: node {node}")
    src, dst, length, speed = [], [], [], []
    for u, v, data in graph.edges(data=True):
        src.append(index[u])
        dst.append(index[v])
        length.append(_float(data.get("length"), "length", f"{path}: edge {u}->{v}"))
        kph = data.get("speed_kph")
        speed.append(
            _float(kph, "speed_kph", f"{path}: edge {u}->{v}")
            if kph is not None
            else speed_from_tags(data.get("highway"), data.get("maxspeed"))
        )
    network = RoadNetwork.from_edges(
        name or path.stem,
        lon,
        lat,
        (np.array(src), np.array(dst), np.array(length), np.array(speed)),
        node_ids=np.array([str(n) for n in ids]),
        attribution=attribution,
    )
    return network.largest_component()


def save_npz(network: RoadNetwork, path: Path) -> None:
    """Write a compact compressed npz (about 0.6 MB for Hangzhou's 5.8 MB GraphML)."""
    with written_atomically(path) as tmp, tmp.open("wb") as handle:
        _savez(handle, network)


def _savez(handle: BinaryIO, network: RoadNetwork) -> None:
    np.savez_compressed(
        handle,
        name=np.array(network.name),
        attribution=np.array(network.attribution),
        lon=network.lon,
        lat=network.lat,
        src=network.src,
        dst=network.dst,
        length_dm=np.round(network.length_m * 10).astype(np.int32),
        speed_kmh=network.speed_kmh.astype(np.float32),
        node_ids=network.node_ids,
    )


def load_npz(path: Path) -> RoadNetwork:
    """Read a network written by :func:`save_npz`."""
    if not path.is_file():
        raise InvalidNetwork(f"network file {path} {not_a_file(path)}")
    if not zipfile.is_zipfile(path):
        raise InvalidNetwork(
            f"{path}: not a Lantern network npz (not a zip archive); "
            f"write one with 'lantern fleet network --save-npz'"
        )
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise InvalidNetwork(f"{path}: not a Lantern network npz ({exc})") from None
    missing = {"lon", "lat", "src", "dst", "length_dm"} - set(arrays)
    if missing:
        raise InvalidNetwork(f"{path}: missing arrays {sorted(missing)}")
    speed = arrays.get("speed_kmh")
    return RoadNetwork(
        name=str(arrays.get("name", path.stem)),
        lon=arrays["lon"].astype(np.float64),
        lat=arrays["lat"].astype(np.float64),
        src=arrays["src"].astype(np.int32),
        dst=arrays["dst"].astype(np.int32),
        length_m=arrays["length_dm"].astype(np.float64) / 10.0,
        speed_kmh=(
            speed.astype(np.float64)
            if speed is not None
            else np.full(arrays["src"].shape[0], DEFAULT_SPEED_KMH)
        ),
        node_ids=arrays.get("node_ids", np.empty(0, dtype=np.str_)),
        attribution=str(arrays.get("attribution", "")),
    )


def load_network(
    *,
    city: str | None = None,
    graphml: Path | None = None,
    pbf: Path | None = None,
    npz: Path | None = None,
) -> RoadNetwork:
    """One network from exactly one source: a shipped city, a GraphML, OSM PBF or npz file."""
    given = [x for x in (city, graphml, pbf, npz) if x is not None]
    if len(given) != 1:
        raise InvalidNetwork(
            "give exactly one of a city name, a GraphML file, an OSM PBF file or an npz file"
        )
    if npz is not None:
        return load_npz(npz)
    if graphml is not None:
        return load_graphml(graphml)
    if pbf is not None:
        from lantern.fleet._osm import load_osm_pbf

        return load_osm_pbf(pbf)
    assert city is not None
    return load_city(city)
