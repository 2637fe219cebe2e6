"""Fragmentation of a node's GPUs measured against the typical task mix (Weng et al., ATC'23).

For a typical task k with frequency p_k, the node's idle GPU capacity counts as fragment:
all of it if k cannot run on the node (CPU-only task, wrong model, too few fitting GPUs or
too little CPU), else only the GPUs whose free share is below k's request. The node's
fragmentation is the p-weighted sum over the typical tasks. The typical tasks are the most
frequent (CPU, GPU share, GPU count, model constraint) classes of the workload covering 95%
of its tasks, as in the paper's simulator.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lantern.compute._task import TaskSpec

__all__ = ["TypicalPods", "node_fragmentation"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
_POPULARITY = 0.95


@dataclass(frozen=True)
class TypicalPods:
    """The typical task mix: per class its CPU, GPU share, GPU count, models and frequency."""

    cpu_milli: I64
    gpu_milli: I64
    num_gpu: I64
    gpu_models: tuple[tuple[str, ...], ...]
    freq: F64

    @classmethod
    def from_tasks(cls, tasks: Iterable[TaskSpec], popularity: float = _POPULARITY) -> TypicalPods:
        """The most frequent classes covering ``popularity`` of the tasks, renormalised."""
        counts = Counter((t.cpu_milli, t.gpu_milli, t.num_gpu, t.gpu_models) for t in tasks)
        total = sum(counts.values())
        assert total > 0, "no tasks to derive the typical mix from"
        # Most frequent first; equal counts: larger resource key first (the reference's order).
        ranked = sorted(
            counts.items(),
            key=lambda kv: (kv[1], kv[0][0], kv[0][1], kv[0][2], "|".join(kv[0][3])),
            reverse=True,
        )
        chosen: list[tuple[tuple[int, int, int, tuple[str, ...]], int]] = []
        cum = 0
        for key, n in ranked:
            if cum >= popularity * total:
                break
            chosen.append((key, n))
            cum += n
        return cls(
            cpu_milli=np.asarray([k[0] for k, _ in chosen], dtype=np.int64),
            gpu_milli=np.asarray([k[1] for k, _ in chosen], dtype=np.int64),
            num_gpu=np.asarray([k[2] for k, _ in chosen], dtype=np.int64),
            gpu_models=tuple(k[3] for k, _ in chosen),
            freq=_reference_freq([n for _, n in chosen], total),
        )

    def __len__(self) -> int:
        return len(self.freq)

    def access(self, model_names: tuple[str, ...]) -> B:
        """(classes x models+1): may class k run on model m (last column: CPU-only node)."""
        acc = np.ones((len(self), len(model_names) + 1), dtype=np.bool_)
        for k, models in enumerate(self.gpu_models):
            if models:
                acc[k, :] = [m in models for m in model_names] + [False]
        return acc


def _reference_freq(counts: list[int], total: int) -> F64:
    """Class frequencies computed as the reference does, so the floats agree to the last bit.

    The reference divides each count by the total, then (if classes were dropped) divides by
    the kept share: (n / total) / (kept / total), which can differ from n / kept in the last
    bit. FGD truncates its score to an integer, so such bits can flip a placement.
    """
    kept = float(sum(counts))
    freq = np.asarray([n / total for n in counts], dtype=np.float64)
    if kept < total:
        freq = freq / (kept / total)
    return freq


def node_fragmentation(
    cpu_free: I64, gpu_free: I64, model_id: I64, typical: TypicalPods, access: B
) -> F64:
    """Fragmented milli-GPUs of each node state (vectorised over the leading axis).

    ``cpu_free`` (S,), ``gpu_free`` (S, 8) and ``model_id`` (S,) describe S node states.
    The per-GPU comparisons are made once per distinct GPU share of the typical classes
    (fewer than the classes), then gathered per class.

    The floating-point sum follows the reference's order: each class adds its weighted share
    to one of six "fragment kind" buckets (lack both, lack GPU, lack CPU, CPU-only task fits,
    CPU-only task lacks CPU, no access), in class order; the buckets are then added in that
    order. FGD's score truncates sigmoid(fragmentation decrease / 1000) x 100 to an integer,
    so at a decrease of exactly zero (score 50) another summation order can give 49 and move
    the task. ``np.cumsum`` adds strictly in order (``np.sum`` may add pairwise).
    """
    levels, level_of = np.unique(typical.gpu_milli, return_inverse=True)
    idle = gpu_free.sum(axis=1)  # (S,)
    small = gpu_free[None, :, :] < levels[:, None, None]  # (L, S, 8): too small for the share
    fitting = gpu_free.shape[1] - small.sum(axis=2)  # (L, S) GPUs that fit the share
    partial = (gpu_free[None, :, :] * small).sum(axis=2)  # (L, S) free milli on too-small GPUs
    # Class-major (K, S) arrays; the running sum over axis 0 adds the classes in order.
    freq = typical.freq[:, None]
    gpu_task = (typical.gpu_milli > 0)[:, None]
    allowed = access[:, model_id]
    fits_gpu = fitting[level_of] >= typical.num_gpu[:, None]
    cpu_ok = cpu_free[None, :] >= typical.cpu_milli[:, None]
    idle_share = freq * idle.astype(np.float64)[None, :]
    on_gpu = gpu_task & allowed
    satisfied = on_gpu & fits_gpu & cpu_ok
    lack_gpu = np.where(
        satisfied,
        freq * partial[level_of].astype(np.float64),
        np.where(on_gpu & ~fits_gpu & cpu_ok, idle_share, 0.0),
    )
    kinds = (
        on_gpu & ~fits_gpu & ~cpu_ok,  # lack both
        None,  # lack GPU (above)
        on_gpu & fits_gpu & ~cpu_ok,  # lack CPU
        ~gpu_task & cpu_ok,  # CPU-only task that fits: its GPUs are idle for it
        ~gpu_task & ~cpu_ok,  # CPU-only task lacking CPU
        gpu_task & ~allowed,  # no access (model constraint)
    )
    result: F64 = np.zeros(idle.shape[0], dtype=np.float64)
    for mask in kinds:
        if mask is not None and not mask.any():
            continue  # an empty bucket adds 0.0, which changes nothing
        shares = lack_gpu if mask is None else np.where(mask, idle_share, 0.0)
        result = result + np.cumsum(shares, axis=0)[-1]
    return result
