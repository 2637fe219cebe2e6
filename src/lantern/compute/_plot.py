"""The compare figure: unallocated GPU against arrived load, one line per policy."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lantern.compute._replay import ReplaySummary

__all__ = ["plot_compare"]

F64 = npt.NDArray[np.float64]


def _mean_curve(s: ReplaySummary, points: list[int], fragmentation: bool) -> F64:
    curves = np.vstack([r.curve(points, fragmentation=fragmentation) for r in s.runs])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # points no run reached
        mean: F64 = np.nanmean(curves, axis=0)
    return mean


def plot_compare(summaries: Sequence[ReplaySummary], path: Path, inflate: float) -> Path:
    """Write the PNG and return its path.

    Left: unallocated GPU against arrived load (the paper's Figure 9a). Right, when the runs
    recorded it: the GPU capacity that the typical task mix cannot use (Figure 7a).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = list(range(50, round(inflate * 100) + 1))
    with_frag = all(r.fragmented_pct is not None for s in summaries for r in s.runs)
    fig, axes = plt.subplots(1, 2 if with_frag else 1, figsize=(13 if with_frag else 7, 4), dpi=120)
    panels = list(axes) if with_frag else [axes]
    for s in summaries:
        panels[0].plot(points, _mean_curve(s, points, False), label=f"{s.policy} ({s.mean:.2f}%)")
        if with_frag:
            panels[1].plot(points, _mean_curve(s, points, True), label=s.policy)
    panels[0].set_ylabel("Unallocated GPU (%)")
    if with_frag:
        panels[1].set_ylabel("Fragmented GPU (% of capacity)")
    for ax in panels:
        ax.set_xlabel("Arrived workload (% of cluster GPU capacity)")
        ax.set_ylim(bottom=0)
        ax.grid(linestyle="-.", alpha=0.6)
        ax.legend()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")  # never a half-written PNG at `path`
    try:
        fig.savefig(partial, bbox_inches="tight", format="png")
        partial.replace(path)
    finally:
        plt.close(fig)
        partial.unlink(missing_ok=True)
    return path
