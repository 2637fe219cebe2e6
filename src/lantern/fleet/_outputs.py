"""Files a run leaves behind: JSON metrics, GeoJSON routes and stops, van positions.

- ``metrics.json``: :attr:`SimulationResult.metrics`.
- ``routes.geojson``: a FeatureCollection; one MultiLineString per van (each leg a line,
  properties van, type, km, kwh, delivered), one Point per pickup and drop (order id, van,
  time served, lateness) and per undeliverable order (reason), one Point per depot.
- ``positions.jsonl``: one JSON object per line ``{"t": s, "van": id, "lon": .., "lat": ..}``
  every ``interval_s`` while the fleet is out, for a dashboard to replay; interpolated
  along the driven paths (a van holds still while serving or waiting for help).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from lantern.fleet._files import written_atomically
from lantern.fleet._simulator import SimulationResult
from lantern.fleet.errors import InvalidSimulation

MIN_POSITIONS_INTERVAL_S = 1.0  # finer samples add nothing a dashboard can show

__all__ = ["MIN_POSITIONS_INTERVAL_S", "positions", "routes_geojson", "write_json", "write_outputs"]


def _point(lon: float, lat: float, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": props,
    }


def _van_features(result: SimulationResult) -> list[dict[str, Any]]:
    net = result.network
    lines: dict[int, list[list[list[float]]]] = {v.van_id: [] for v in result.fleet}
    km: dict[int, float] = dict.fromkeys(lines, 0.0)
    kwh: dict[int, float] = dict.fromkeys(lines, 0.0)
    for leg in result.legs:
        if leg.nodes.shape[0] < 2:
            continue
        coords = np.column_stack([net.lon[leg.nodes], net.lat[leg.nodes]]).round(6)
        lines[leg.van].append(coords.tolist())
        km[leg.van] += leg.km
        kwh[leg.van] += leg.kwh
    delivered: dict[int, int] = dict.fromkeys(lines, 0)
    for rec in result.orders:
        if rec.state == "delivered" and rec.van is not None:
            delivered[rec.van] += 1
    return [
        {
            "type": "Feature",
            "geometry": {"type": "MultiLineString", "coordinates": lines[van.van_id]},
            "properties": {
                "kind": "route",
                "van": van.van_id,
                "van_type": van.van_type.name,
                "km": round(km[van.van_id], 3),
                "kwh": round(kwh[van.van_id], 3),
                "delivered": delivered[van.van_id],
            },
        }
        for van in result.fleet
    ]


def routes_geojson(result: SimulationResult) -> dict[str, Any]:
    """The routes, stops and depots of a run as a GeoJSON FeatureCollection."""
    net = result.network
    features = _van_features(result)
    for rec in result.orders:
        o = rec.order
        base = {"order_id": o.order_id, "van": rec.van, "state": rec.state}
        if rec.state == "undeliverable":
            features.append(
                _point(
                    o.drop_lon, o.drop_lat, {**base, "kind": "undeliverable", "reason": rec.reason}
                )
            )
            continue
        late = rec.lateness_s
        features.append(
            _point(
                float(net.lon[rec.pickup_node]),
                float(net.lat[rec.pickup_node]),
                {**base, "kind": "pickup", "merchant": o.merchant_id, "t_s": rec.picked_s},
            )
        )
        features.append(
            _point(
                float(net.lon[rec.drop_node]),
                float(net.lat[rec.drop_node]),
                {
                    **base,
                    "kind": "drop",
                    "t_s": rec.delivered_s,
                    "due_s": o.due_s,
                    "lateness_min": None if late is None else round(late / 60, 2),
                },
            )
        )
    for depot, node in zip(result.depots, result.depot_nodes, strict=True):
        features.append(
            _point(
                float(net.lon[node]),
                float(net.lat[node]),
                {"kind": "depot", "depot": depot.depot_id},
            )
        )
    return {"type": "FeatureCollection", "features": features}


def positions(result: SimulationResult, interval_s: float = 60.0) -> list[dict[str, Any]]:
    """Van positions every ``interval_s`` from the first departure to the last arrival."""
    if not MIN_POSITIONS_INTERVAL_S <= interval_s < float("inf"):
        raise InvalidSimulation(
            f"positions interval must be a finite number of seconds >= "
            f"{MIN_POSITIONS_INTERVAL_S:g}, got {interval_s}"
        )
    net = result.network
    tracks: dict[int, list[tuple[Any, Any, Any]]] = {}
    for leg in result.legs:
        tracks.setdefault(leg.van, []).append((leg.times_s, net.lon[leg.nodes], net.lat[leg.nodes]))
    if not tracks:
        return []
    start = min(float(parts[0][0][0]) for parts in tracks.values())
    end = max(float(parts[-1][0][-1]) for parts in tracks.values())
    grid = np.arange(np.floor(start / interval_s) * interval_s, end + interval_s, interval_s)
    rows: list[dict[str, Any]] = []
    for van, parts in sorted(tracks.items()):
        t = np.concatenate([p[0] for p in parts])
        lon = np.interp(grid, t, np.concatenate([p[1] for p in parts]))
        lat = np.interp(grid, t, np.concatenate([p[2] for p in parts]))
        rows += [
            {"t": float(g), "van": van, "lon": round(float(x), 6), "lat": round(float(y), 6)}
            for g, x, y in zip(grid, lon, lat, strict=True)
        ]
    rows.sort(key=lambda r: (r["t"], r["van"]))
    return rows


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as indented JSON, whole or not at all."""
    with written_atomically(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def write_outputs(
    result: SimulationResult, out_dir: Path, *, interval_s: float = 60.0, png: bool = True
) -> dict[str, str]:
    """Write metrics.json, routes.geojson, positions.jsonl and map.png; return their paths."""
    from lantern.fleet._map import render_map

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "metrics": out_dir / "metrics.json",
        "geojson": out_dir / "routes.geojson",
        "positions": out_dir / "positions.jsonl",
    }
    write_json(paths["metrics"], result.metrics)
    with written_atomically(paths["geojson"]) as tmp, tmp.open("w", encoding="utf-8") as handle:
        json.dump(routes_geojson(result), handle, separators=(",", ":"))
    with written_atomically(paths["positions"]) as tmp, tmp.open("w", encoding="utf-8") as handle:
        for row in positions(result, interval_s):
            handle.write(json.dumps(row, separators=(",", ":")) + "\n")
    if png:
        paths["map"] = out_dir / "map.png"
        with written_atomically(paths["map"]) as tmp:
            render_map(result, tmp)
    return {key: str(path) for key, path in paths.items()}
