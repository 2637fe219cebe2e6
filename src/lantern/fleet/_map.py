"""A PNG map of a run: the road network drawn faintly, each van's driven legs in its colour."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lantern.fleet._simulator import SimulationResult

__all__ = ["render_map"]


def render_map(result: SimulationResult, path: Path, *, dpi: int = 150) -> None:
    """Draw the network, the routes (coloured per van), depots and undelivered orders."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    net = result.network
    fig = Figure(figsize=(10, 8))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    roads = np.stack(
        [
            np.column_stack([net.lon[net.src], net.lat[net.src]]),
            np.column_stack([net.lon[net.dst], net.lat[net.dst]]),
        ],
        axis=1,
    )
    ax.add_collection(LineCollection(list(roads), colors="#bbbbbb", linewidths=0.2, alpha=0.6))
    cmap = __import__("matplotlib").colormaps["tab20"]
    by_van: dict[int, list[np.ndarray]] = {}
    for leg in result.legs:
        if leg.nodes.shape[0] >= 2:
            by_van.setdefault(leg.van, []).append(
                np.column_stack([net.lon[leg.nodes], net.lat[leg.nodes]])
            )
    for van, segments in by_van.items():
        ax.add_collection(
            LineCollection(segments, colors=[cmap(van % 20)], linewidths=0.6, alpha=0.8)
        )
    lost = [r for r in result.orders if r.state == "undeliverable"]
    if lost:
        ax.scatter(
            [r.order.drop_lon for r in lost],
            [r.order.drop_lat for r in lost],
            s=4,
            c="red",
            marker="x",
            linewidths=0.5,
            label="undeliverable",
        )
    nodes = result.depot_nodes
    ax.scatter(net.lon[nodes], net.lat[nodes], s=40, c="black", marker="s", label="depots")
    lon_min, lat_min, lon_max, lat_max = net.bbox
    ax.set_xlim(lon_min, lon_max)
    ax.set_ylim(lat_min, lat_max)
    ax.set_aspect(1.0 / np.cos(np.radians((lat_min + lat_max) / 2)))
    m = result.metrics
    ax.set_title(
        f"{net.name}: {m['vans_used']} vans, {m['delivered']}/{m['orders']} orders delivered, "
        f"on time {m['on_time_pct']}%, {m['km_total']} km",
        fontsize=10,
    )
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.legend(loc="lower right", fontsize=8)
    if net.attribution:
        fig.text(0.01, 0.01, net.attribution[:120], fontsize=6, color="#666666")
    fig.savefig(path, dpi=dpi, format="png")  # explicit: path may be a temporary name
