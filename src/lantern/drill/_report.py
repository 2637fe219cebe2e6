"""The drill's HTML report: one self-contained file, every plot a PNG embedded as base64.

Every number and curve is read from the run's :class:`Series` and summary; nothing is
typed in by hand.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from lantern.drill._series import Series
from lantern.money import format_yuan

__all__ = ["render_report", "write_text_atomic"]

Segments = Sequence[Sequence[tuple[float, float]]]


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _budget_burn(series: Series, plan: Mapping[str, Mapping[date, int]], first: date) -> str:
    pools = sorted(
        pool
        for pool, spent in series.spent_by_pool_fen.items()
        if max(spent, default=0) > 0 or any(plan.get(pool, {}).values())
    ) or sorted(series.spent_by_pool_fen)
    fig, axes = plt.subplots(1, max(1, len(pools)), figsize=(4.6 * max(1, len(pools)), 3.4))
    axes_list = np.atleast_1d(axes).tolist()
    for ax, pool in zip(axes_list, pools, strict=False):
        spent = np.asarray(series.spent_by_pool_fen[pool], dtype=np.float64) / 100.0
        x = (np.arange(len(spent)) + 1) * series.bucket_min / 60.0
        ax.plot(x, spent, label="spent", color="#c0392b")
        days = sorted(plan.get(pool, {}))
        if days:
            cum = np.cumsum([plan[pool][d] for d in days]) / 100.0
            starts = [((d - first).days) * 24.0 for d in days]
            ends = [s + 24.0 for s in starts]
            ax.hlines(cum, starts, ends, colors="#2c3e50", linestyles="--", label="plan (cum.)")
        ax.set_title(pool)
        ax.set_xlabel("hours since window start")
        ax.set_ylabel("yuan")
        ax.legend(fontsize=7)
    fig.suptitle("Budget burn against plan, per pool (pools with a plan or spend)")
    fig.tight_layout()
    return _png(fig)


def _orders(series: Series) -> str:
    fig, ax = plt.subplots(figsize=(9, 3.2))
    bottom: np.ndarray[Any, Any] | None = None
    for category in sorted(series.orders):
        hourly = np.asarray(series.hourly(series.orders[category]))
        ax.bar(np.arange(len(hourly)), hourly, bottom=bottom, label=category)
        bottom = hourly if bottom is None else bottom + hourly
    delivered = series.hourly(series.deliveries)
    ax.plot(np.arange(len(delivered)), delivered, color="black", marker=".", label="delivered")
    ax.set_xlabel("hour since window start")
    ax.set_ylabel("orders per hour")
    ax.set_title("Orders and deliveries per hour")
    ax.legend(fontsize=7)
    return _png(fig)


def _lateness(series: Series) -> str:
    fig, ax = plt.subplots(figsize=(5, 3.2))
    if series.lateness_min:
        ax.hist(series.lateness_min, bins=40, color="#2980b9")
    ax.axvline(0.0, color="black", linestyle="--", label="promised time")
    ax.set_xlabel("delivered minus promised (minutes; > 0 is late)")
    ax.set_ylabel("deliveries")
    ax.set_title("Delivery lateness")
    ax.legend(fontsize=7)
    return _png(fig)


def _vans(series: Series) -> str:
    fig, ax = plt.subplots(figsize=(5, 3.2))
    share = np.asarray(series.van_busy_share) * 100.0
    ax.plot((np.arange(len(share)) + 1) * series.bucket_min / 60.0, share, color="#16a085")
    ax.set_ylim(0, 100)
    ax.set_xlabel("hours since window start")
    ax.set_ylabel("vans busy (%)")
    ax.set_title("Van utilisation")
    return _png(fig)


def _cluster(series: Series) -> str:
    fig, ax = plt.subplots(figsize=(9, 3.2))
    snaps = series.cluster
    x = (np.arange(len(snaps)) + 1) * series.bucket_min / 60.0
    inference = [c.inference_pct for c in snaps]
    training = [c.training_pct for c in snaps]
    ax.stackplot(
        x,
        training,
        inference,
        labels=["training", "inference"],
        colors=["#8e44ad", "#f39c12"],
        alpha=0.8,
    )
    ax.set_ylim(0, 100)
    ax.set_xlabel("hours since window start")
    ax.set_ylabel("accelerators allocated (%)")
    ax.legend(loc="upper left", fontsize=7)
    twin = ax.twinx()
    twin.plot(x, [c.latency_ms_p95 for c in snaps], color="#c0392b", label="p95 latency")
    twin.plot(
        x, [c.latency_ms_p50 for c in snaps], color="#e74c3c", linestyle=":", label="p50 latency"
    )
    twin.set_ylabel("inference latency (ms)")
    twin.legend(loc="upper right", fontsize=7)
    ax.set_title("Accelerator utilisation and inference latency")
    return _png(fig)


def _map(series: Series, roads: Segments) -> str:
    fig, ax = plt.subplots(figsize=(8, 6.4))
    if roads:
        ax.add_collection(LineCollection(roads, colors="#bbbbbb", linewidths=0.3))
    if series.pickups:
        px, py = zip(*series.pickups, strict=True)
        ax.scatter(px, py, s=10, marker="^", color="#2c3e50", label="merchants (pickups)")
    on_time = [(x, y) for x, y, ok in series.drops if ok]
    late = [(x, y) for x, y, ok in series.drops if not ok]
    for points, colour, label in ((on_time, "#27ae60", "on time"), (late, "#c0392b", "late")):
        if points:
            xs, ys = zip(*points, strict=True)
            ax.scatter(xs, ys, s=6, color=colour, alpha=0.6, label=f"delivered {label}")
    ax.autoscale()
    ax.set_aspect(1.0 / np.cos(np.radians(30.27)))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title("Deliveries over the Hangzhou road network")
    ax.legend(fontsize=7, loc="lower right")
    return _png(fig)


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}"
    "table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;"
    "text-align:left}img{max-width:100%;margin:0.5em 0}"
)


def _table(summary: Mapping[str, Any]) -> str:
    rows = []
    for key, value in summary.items():
        shown = value
        if key.endswith("_fen") and isinstance(value, int):
            shown = f"{value} fen ({format_yuan(value)} yuan)"
        rows.append(f"<tr><th>{html.escape(key)}</th><td>{html.escape(str(shown))}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def render_report(
    summary: Mapping[str, Any],
    series: Series,
    plan: Mapping[str, Mapping[date, int]],
    first_day: date,
    roads: Segments,
) -> str:
    """The report as one HTML string (plots embedded)."""
    figures = [
        ("Budget burn against plan", _budget_burn(series, plan, first_day)),
        ("Orders per hour", _orders(series)),
        ("Delivery lateness", _lateness(series)),
        ("Van utilisation", _vans(series)),
        ("Accelerator utilisation and inference latency", _cluster(series)),
        ("Map of deliveries", _map(series, roads)),
    ]
    title = f"Lantern drill: {summary['scenario']} ({summary['scale']}, seed {summary['seed']})"
    body = [f"<h1>{html.escape(title)}</h1>", "<h2>Summary</h2>", _table(summary)]
    for caption, png in figures:
        body.append(f"<h2>{html.escape(caption)}</h2>")
        body.append(f'<img alt="{html.escape(caption)}" src="data:image/png;base64,{png}">')
    last = first_day + timedelta(days=int(summary["days"]) - 1)
    body.append(f"<p>Window {first_day} to {last} (Asia/Shanghai).</p>")
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` whole or not at all (a temp file beside it, renamed over the target)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
