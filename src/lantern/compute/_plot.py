"""The compare figure: unallocated GPU against arrived load, one line per policy."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lantern.compute._replay import ReplaySummary

__all__ = ["plot_compare"]


def plot_compare(summaries: Sequence[ReplaySummary], path: Path, inflate: float) -> Path:
    """Write the PNG (like the paper's figure 9a) and return its path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = list(range(50, round(inflate * 100) + 1))
    fig, ax = plt.subplots(figsize=(7, 4), dpi=120)
    for s in summaries:
        curves = np.vstack([r.curve(points) for r in s.runs])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # points no run reached
            mean = np.nanmean(curves, axis=0)
        ax.plot(points, mean, label=f"{s.policy} ({s.mean:.2f}%)")
    ax.set_xlabel("Arrived workload (% of cluster GPU capacity)")
    ax.set_ylabel("Unallocated GPU (%)")
    ax.set_ylim(bottom=0)
    ax.grid(linestyle="-.", alpha=0.6)
    ax.legend()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    return path
