"""Road-network simulator commands: simulate, matrix, network (see lantern.cli.fleet).

Top-level imports stay light (typer, rich); the engine is imported inside each command.
"""

from __future__ import annotations

import json
import os
import time
from math import inf
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

__all__ = ["register"]

_err = Console(stderr=True)
_MAX_POINTS = 10_000  # the matrix is points^2 float64: 800 MB at 10,000

City = Annotated[str | None, typer.Option("--city", help="Shipped city network (hangzhou).")]
GraphML = Annotated[
    Path | None, typer.Option("--graphml", help="A drive graph in GraphML instead of --city.")
]
Pbf = Annotated[Path | None, typer.Option("--pbf", help="An OSM .osm.pbf extract instead.")]
Npz = Annotated[
    Path | None, typer.Option("--npz", help="A network saved by 'network --save-npz' instead.")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object (last line).")]


def _emit(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(data, separators=(",", ":")))
    else:
        for key, value in data.items():
            typer.echo(f"{key}: {value}")


def _network(city: str | None, graphml: Path | None, pbf: Path | None, npz: Path | None) -> Any:
    from lantern.fleet._loaders import load_network

    files = (graphml, pbf, npz)
    return load_network(city=city if files == (None, None, None) else None,
                        graphml=graphml, pbf=pbf, npz=npz)  # fmt: skip


def simulate_cmd(
    city: City = "hangzhou",
    graphml: GraphML = None,
    pbf: Pbf = None,
    npz: Npz = None,
    vans: Annotated[int, typer.Option("--vans", help="Number of robovans.")] = 20,
    orders: Annotated[int, typer.Option("--orders", help="Orders over the day.")] = 1000,
    depots: Annotated[int, typer.Option("--depots", help="Depots (battery swap).")] = 4,
    seed: Annotated[int, typer.Option("--seed", help="Seed of orders and incidents.")] = 0,
    epoch_s: Annotated[float, typer.Option("--epoch-s", help="Re-plan every S seconds.")] = 300.0,
    disengagements_per_100km: Annotated[
        float, typer.Option("--disengagements-per-100km", help="Remote-help stops per 100 km.")
    ] = 1.0,
    operators: Annotated[int, typer.Option("--operators", help="Remote operator pool.")] = 5,
    max_lateness_min: Annotated[
        float,
        typer.Option("--max-lateness-min", help="Refuse orders that would be later than this."),
    ] = 60.0,
    reoptimize_every_s: Annotated[
        float,
        typer.Option("--reoptimize-every-s", help="Re-solve open plans with PyVRP (0: off)."),
    ] = 0.0,
    reoptimize_time_s: Annotated[
        float, typer.Option("--reoptimize-time-s", help="PyVRP seconds per group re-solve.")
    ] = 1.0,
    reoptimize_group_vans: Annotated[
        int, typer.Option("--reoptimize-group-vans", help="Vans per re-solved group.")
    ] = 12,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write metrics, GeoJSON, positions, map here.")
    ] = None,
    interval_s: Annotated[
        float, typer.Option("--positions-interval-s", help="Position sample period.")
    ] = 60.0,
    no_map: Annotated[bool, typer.Option("--no-map", help="Skip the PNG map.")] = False,
    as_json: AsJson = False,
) -> None:
    """Simulate one day of robovan deliveries on a road network; print the metrics."""
    from lantern.fleet._day import MAX_ORDERS, MAX_VANS, simulate_day
    from lantern.fleet._outputs import MIN_POSITIONS_INTERVAL_S
    from lantern.fleet._sim_params import SimParams
    from lantern.fleet.errors import InvalidSimulation

    if not (0 < vans <= MAX_VANS and 0 < orders <= MAX_ORDERS and depots > 0):
        raise InvalidSimulation(
            f"--vans must be in 1..{MAX_VANS:,}, --orders in 1..{MAX_ORDERS:,} and "
            f"--depots > 0 (got {vans}, {orders}, {depots})"
        )
    if not (disengagements_per_100km >= 0 and MIN_POSITIONS_INTERVAL_S <= interval_s < inf):
        raise InvalidSimulation(
            "--disengagements-per-100km must be >= 0 and --positions-interval-s a finite "
            f"number >= {MIN_POSITIONS_INTERVAL_S:g} (got {disengagements_per_100km:g}, "
            f"{interval_s:g})"
        )
    if seed < 0:
        raise InvalidSimulation(f"--seed must be >= 0, got {seed}")
    started = time.perf_counter()
    params = SimParams(epoch_s=epoch_s, disengagements_per_km=disengagements_per_100km / 100.0,
                       remote_operators=operators, seed=seed,
                       max_lateness_s=max_lateness_min * 60.0,
                       reoptimize_every_s=reoptimize_every_s,
                       reoptimize_time_s=reoptimize_time_s,
                       reoptimize_group_vans=reoptimize_group_vans)  # fmt: skip
    network = _network(city, graphml, pbf, npz)
    if out is not None:  # after the inputs are known good (no empty folder left), before the day
        from lantern.cli._paths import output_dir

        output_dir(out)
    _err.print(f"[dim]simulating {vans} vans, {orders} orders on {network.name} "
               f"({network.n_nodes} nodes) ...[/]")  # fmt: skip
    result = simulate_day(network, n_vans=vans, n_orders=orders, n_depots=depots, params=params)
    summary: dict[str, Any] = {"network": network.name, "seed": seed, **result.metrics}
    summary["total_s"] = round(time.perf_counter() - started, 2)
    summary["load_avg_1m"] = round(os.getloadavg()[0], 2)
    if out is not None:
        from lantern.fleet._outputs import write_json, write_outputs

        summary["files"] = write_outputs(result, out, interval_s=interval_s, png=not no_map)
        write_json(out / "metrics.json", summary)
    _emit(summary, as_json)


def matrix_cmd(
    city: City = "hangzhou",
    graphml: GraphML = None,
    pbf: Pbf = None,
    npz: Npz = None,
    points: Annotated[int, typer.Option("--points", help="Random points (snapped).")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random points.")] = 0,
    as_json: AsJson = False,
) -> None:
    """Time a many-to-many travel-time matrix between random points of the network."""
    import numpy as np

    from lantern.fleet._matrix import travel_time_matrix
    from lantern.fleet.errors import InvalidSimulation

    if not 2 <= points <= _MAX_POINTS or seed < 0:
        raise InvalidSimulation(
            f"--points must be in 2..{_MAX_POINTS:,} and --seed >= 0, got {points} and {seed}"
        )
    network = _network(city, graphml, pbf, npz)
    rng = np.random.default_rng(seed)  # random intersections, moved up to ~50 m off the road
    picked = rng.choice(network.n_nodes, points, replace=network.n_nodes < points)
    xs = network.lon[picked] + rng.normal(0.0, 50.0 / 111_000.0, points)
    ys = network.lat[picked] + rng.normal(0.0, 50.0 / 111_000.0, points)
    started = time.perf_counter()
    nodes = network.snap(xs, ys)
    snapped = time.perf_counter()
    matrix = travel_time_matrix(network, nodes)
    done = time.perf_counter()
    finite = matrix[np.isfinite(matrix)]
    _emit({"network": network.name, "nodes": network.n_nodes, "edges": network.n_edges,
           "points": int(nodes.shape[0]), "snap_s": round(snapped - started, 4),
           "matrix_s": round(done - snapped, 3), "total_s": round(done - started, 3),
           "mean_travel_min": round(float(finite.mean()) / 60.0, 2),
           "unreachable_pairs": int(matrix.size - finite.size),
           "load_avg_1m": round(os.getloadavg()[0], 2)}, as_json)  # fmt: skip


def network_cmd(
    city: City = "hangzhou",
    graphml: GraphML = None,
    pbf: Pbf = None,
    npz: Npz = None,
    save_npz: Annotated[
        Path | None, typer.Option("--save-npz", help="Write the network as a compact npz.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Load a road network and print its size (optionally convert it to npz)."""
    import lantern.fleet._loaders  # noqa: F401  (import time is not loading time)

    started = time.perf_counter()
    network = _network(city, graphml, pbf, npz)
    loaded = time.perf_counter() - started
    if save_npz is not None:  # checked once the network loaded: no folder left on a bad file
        from lantern.cli._paths import output_file
        from lantern.fleet._loaders import save_npz as write_npz

        write_npz(network, output_file(save_npz, "--save-npz"))
    _emit({"network": network.name, "nodes": network.n_nodes, "edges": network.n_edges,
           "bbox": [round(v, 6) for v in network.bbox],
           "km": round(float(network.length_m.sum()) / 1000.0, 1),
           "load_s": round(loaded, 3), "attribution": network.attribution}, as_json)  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `lantern fleet` group."""
    app.command("simulate")(simulate_cmd)
    app.command("matrix")(matrix_cmd)
    app.command("network")(network_cmd)
