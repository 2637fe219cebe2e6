"""What-if sweeps: many drill runs in parallel on Ray, a comparison table and a plot.

The grid is the product of budget variants (the campaign scenario's variants: 3, 1 and 0.5
billion yuan), fleet sizes and H200 shares of the cluster (the rest Zhenwu 810E). Each
point is one :func:`run_drill` in a Ray task; Ray starts locally (``num_cpus``) unless an
address of a running cluster is given.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lantern.drill._config import DrillConfig
from lantern.drill._report import write_text_atomic
from lantern.drill.errors import DrillInputError

__all__ = ["SWEEP_COLUMNS", "SweepGrid", "run_sweep", "write_sweep"]

SWEEP_COLUMNS = (
    "variant", "vans", "h200_share", "budget_fen", "budget_spent_fen", "envelopes_granted",
    "orders", "deliveries", "on_time_pct", "van_utilization_pct",
    "accelerator_utilization_pct", "inference_latency_ms_p95", "inference_slo_met_pct",
    "audit_ok", "wall_s",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SweepGrid:
    """The axes of a sweep; every combination is one run with the same seed."""

    variants: Sequence[str | None]
    vans: Sequence[int | None]
    h200_shares: Sequence[float]

    def __post_init__(self) -> None:
        if not self.variants or not self.vans or not self.h200_shares:
            raise DrillInputError("a sweep needs at least one value on every axis")

    def configs(self, base: DrillConfig) -> list[DrillConfig]:
        return [
            base.with_(variant=variant, vans=vans, h200_share=share)
            for variant, vans, share in itertools.product(
                self.variants, self.vans, self.h200_shares
            )
        ]


def _run_one(config: DrillConfig) -> dict[str, Any]:
    from lantern.drill._run import run_drill

    return run_drill(config).summary


def run_sweep(
    base: DrillConfig,
    grid: SweepGrid,
    *,
    ray_address: str | None = None,
    num_cpus: int = 2,
    on_done: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Run every grid point on Ray; summaries come back in grid order."""
    import ray

    configs = grid.configs(base)
    started_here = not ray.is_initialized()
    if started_here:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if ray_address:
            ray.init(address=ray_address, **kwargs)
        else:
            ray.init(num_cpus=num_cpus, **kwargs)
    try:
        remote = ray.remote(num_cpus=1)(_run_one)
        pending = {remote.remote(config): i for i, config in enumerate(configs)}
        results: list[dict[str, Any] | None] = [None] * len(configs)
        waiting = list(pending)
        while waiting:
            done, waiting = ray.wait(waiting, num_returns=1)
            for ref in done:
                summary = ray.get(ref)
                results[pending[ref]] = summary
                if on_done is not None:
                    on_done(summary)
    finally:
        if started_here:
            ray.shutdown()
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]


def _cell(row: dict[str, Any], column: str) -> Any:
    if column == "variant":
        return row.get("variant") or "base"
    return row.get(column)


def _markdown(rows: list[dict[str, Any]]) -> str:
    head = "| " + " | ".join(SWEEP_COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in SWEEP_COLUMNS) + "|"
    body = ["| " + " | ".join(str(_cell(r, c)) for c in SWEEP_COLUMNS) + " |" for r in rows]
    return "\n".join([head, rule, *body]) + "\n"


def _plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    labels = [f"{_cell(r, 'variant')}\n{r['vans']} vans\nH200 {r['h200_share']:.0%}" for r in rows]
    x = np.arange(len(rows))
    fig, axes = plt.subplots(1, 3, figsize=(max(10.0, 1.1 * len(rows) * 3), 3.8))
    budget = [r["budget_fen"] / 100 for r in rows]
    spent = [r["budget_spent_fen"] / 100 for r in rows]
    axes[0].bar(x - 0.2, budget, 0.4, label="budget", color="#95a5a6")
    axes[0].bar(x + 0.2, spent, 0.4, label="spent", color="#c0392b")
    axes[0].set_title("campaign budget and spend (yuan)")
    axes[0].legend(fontsize=7)
    axes[1].bar(x, [r["on_time_pct"] for r in rows], color="#27ae60")
    axes[1].set_title("deliveries on time (%)")
    axes[2].bar(x, [r["inference_slo_met_pct"] for r in rows], color="#f39c12")
    axes[2].set_title("inference requests within SLO (%)")
    for ax in axes:
        ax.set_xticks(x, labels, fontsize=6)
    fig.suptitle("Drill sweep: budget variant x vans x chip mix")
    fig.tight_layout()
    fig.savefig(path, dpi=90, bbox_inches="tight")
    plt.close(fig)


def write_sweep(rows: list[dict[str, Any]], out_dir: Path) -> dict[str, Path]:
    """Write sweep.csv, sweep.md and sweep.png into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out_dir / "sweep.csv", "md": out_dir / "sweep.md", "png": out_dir / "sweep.png"}
    table = io.StringIO(newline="")
    writer = csv.DictWriter(table, fieldnames=list(SWEEP_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    writer.writerows([{c: _cell(r, c) for c in SWEEP_COLUMNS} for r in rows])
    write_text_atomic(paths["csv"], table.getvalue())
    write_text_atomic(paths["md"], _markdown(rows))
    _plot(rows, paths["png"])
    return paths
