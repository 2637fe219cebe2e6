"""Placement policies: Random, DotProduct, GpuClustering, GpuPacking, BestFit and FGD.

Each scores candidate nodes (integer scores in 0-100, higher is better, as the Kubernetes
scheduler framework does; ties are broken uniformly at random by the placer) and picks the
GPUs on the chosen node. The scores follow the paper's simulator (github.com/hkust-adsl/
kubernetes-scheduler-simulator): the same formulas, the same integer truncations, and the
same GPU choice (tightest fit for a shared GPU, lowest-index free GPUs for whole GPUs;
FGD picks the shared GPU that least increases fragmentation).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from lantern.compute._cluster import MAX_GPUS, Cluster
from lantern.compute._frag import TypicalPods, node_fragmentation
from lantern.compute._task import MILLI, TaskSpec
from lantern.compute.errors import UnknownPolicy

__all__ = [
    "POLICY_NAMES",
    "BestFit",
    "DotProduct",
    "Fgd",
    "GpuClustering",
    "GpuPacking",
    "Policy",
    "RandomPolicy",
    "make_policy",
]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
MAX_SPEC_CPU_MILLI = 128_000
MAX_SPEC_GPU_MILLI = 8_000
MAX_SCORE = 100


class Policy(Protocol):
    """A placement policy: node scores, then the GPUs on the chosen node."""

    name: str
    uniform_ties: bool  # True: equal best scores tie-break uniformly at random

    def prepare(self, cluster: Cluster, workload: Sequence[TaskSpec]) -> None:
        """Learn what the policy needs from the cluster and the expected workload."""

    def score(self, cluster: Cluster, task: TaskSpec, idx: I64) -> tuple[I64, I64]:
        """Scores (0-100) of the feasible nodes ``idx`` and a per-node GPU hint (or -1)."""
        ...

    def choose_gpus(
        self, cluster: Cluster, task: TaskSpec, node: int, hint: int, rng: np.random.Generator
    ) -> tuple[int, ...]:
        """The GPU indices the task takes on ``node``."""
        ...


# ---------------------------------------------------------------------------- GPU choice
def first_free_gpus(cluster: Cluster, node: int, count: int) -> tuple[int, ...]:
    """The ``count`` lowest-index fully free GPUs of ``node``."""
    free = np.flatnonzero(cluster.gpu_free[node] == MILLI)
    assert free.size >= count, (node, count)
    return tuple(int(g) for g in free[:count])


def tightest_gpu(cluster: Cluster, node: int, milli: int) -> int:
    """The GPU with the least free share that still fits ``milli`` (lowest index on ties)."""
    free = cluster.gpu_free[node]
    cand = np.where(free >= milli, free, MILLI + 1)
    g = int(np.argmin(cand))
    assert free[g] >= milli
    return g


def _best_fit_choice(cluster: Cluster, task: TaskSpec, node: int) -> tuple[int, ...]:
    if task.num_gpu == 0:
        return ()
    if task.is_share:
        return (tightest_gpu(cluster, node, task.gpu_milli),)
    return first_free_gpus(cluster, node, task.num_gpu)


def _no_hint(idx: I64) -> I64:
    return np.full(idx.size, -1, dtype=np.int64)


class _BestFitGpus:
    """Mixin: the default GPU choice (tightest shared GPU, lowest-index free GPUs)."""

    def prepare(self, cluster: Cluster, workload: Sequence[TaskSpec]) -> None:
        """Nothing to learn."""

    def choose_gpus(
        self, cluster: Cluster, task: TaskSpec, node: int, hint: int, rng: np.random.Generator
    ) -> tuple[int, ...]:
        """Tightest fit for a shared GPU; lowest-index free GPUs otherwise."""
        return _best_fit_choice(cluster, task, node)


# ---------------------------------------------------------------------------- policies
class RandomPolicy:
    """Any feasible node, uniformly at random; a random fitting GPU for a shared one."""

    name = "Random"
    uniform_ties = True

    def prepare(self, cluster: Cluster, workload: Sequence[TaskSpec]) -> None:
        """Nothing to learn."""

    def score(self, cluster: Cluster, task: TaskSpec, idx: I64) -> tuple[I64, I64]:
        """Every feasible node scores the same."""
        return np.zeros(idx.size, dtype=np.int64), _no_hint(idx)

    def choose_gpus(
        self, cluster: Cluster, task: TaskSpec, node: int, hint: int, rng: np.random.Generator
    ) -> tuple[int, ...]:
        """A random fitting GPU for a shared one; lowest-index free GPUs otherwise."""
        if task.is_share:
            fits = np.flatnonzero(cluster.gpu_free[node] >= task.gpu_milli)
            return (int(fits[rng.integers(fits.size)]),)
        return _best_fit_choice(cluster, task, node)


class DotProduct(_BestFitGpus):
    """Tetris-style alignment: prefer nodes whose free (CPU, GPU) least aligns with the task."""

    name = "DotProd"
    uniform_ties = False

    def score(self, cluster: Cluster, task: TaskSpec, idx: I64) -> tuple[I64, I64]:
        """100 x (1 - <free, request> / 2), both normalised by the largest node spec."""
        cpu = cluster.cpu_free[idx] / MAX_SPEC_CPU_MILLI
        gpu = cluster.gpu_free[idx].sum(axis=1) / MAX_SPEC_GPU_MILLI
        dot = (cpu * (task.cpu_milli / MAX_SPEC_CPU_MILLI)) + gpu * (
            task.total_gpu_milli / MAX_SPEC_GPU_MILLI
        )
        return np.trunc(MAX_SCORE * (1.0 - dot / 2.0)).astype(np.int64), _no_hint(idx)


class BestFit(_BestFitGpus):
    """Prefer the node with the least CPU and GPU left after placement."""

    name = "BestFit"
    uniform_ties = False

    def score(self, cluster: Cluster, task: TaskSpec, idx: I64) -> tuple[I64, I64]:
        """100 x (1 - mean of normalised leftovers)."""
        cpu_left = (cluster.cpu_free[idx] - task.cpu_milli) / MAX_SPEC_CPU_MILLI * 0.5
        gpu_left = (
            (cluster.gpu_free[idx].sum(axis=1) - task.total_gpu_milli) / MAX_SPEC_GPU_MILLI * 0.5
        )
        return np.trunc((1.0 - (cpu_left + gpu_left)) * MAX_SCORE).astype(np.int64), _no_hint(idx)


class GpuPacking(_BestFitGpus):
    """Prefer partly used GPUs, then free GPUs on used nodes, then idle nodes."""

    name = "GpuPacking"
    uniform_ties = False

    def score(self, cluster: Cluster, task: TaskSpec, idx: I64) -> tuple[I64, I64]:
        """Shared GPU: [50, 100]; free GPUs of a used node: [33, 50]; idle node: [0, 33]."""
        if task.num_gpu == 0:
            return np.zeros(idx.size, dtype=np.int64), _no_hint(idx)
        free = cluster.gpu_free[idx]
        fully_free = ((free == MILLI) & cluster.gpu_present[idx]).sum(axis=1)
        idle_node = fully_free == cluster.gpu_count[idx]
        case3 = np.maximum(MAX_SCORE // 3 - fully_free, fully_free)
        if task.is_share:
            tight = np.where(free >= task.gpu_milli, free, MILLI + 1).min(axis=1)
            case1 = np.maximum(MAX_SCORE - (tight * 100 // MILLI) // 10, MAX_SCORE // 2)
            case2 = np.maximum(MAX_SCORE // 2 - 1, MAX_SCORE // 3)
            used = np.where(tight == MILLI, case2, case1)
        else:
            used = np.full(idx.size, max(MAX_SCORE // 2 - task.num_gpu, MAX_SCORE // 3))
        return np.where(idle_node, case3, used).astype(np.int64), _no_hint(idx)


class GpuClustering(_BestFitGpus):
    """Keep tasks of the same GPU class together (sharing, 1-GPU, 2-GPU, ...)."""

    name = "GpuClustering"
    uniform_ties = False

    def score(self, cluster: Cluster, task: TaskSpec, idx: I64) -> tuple[I64, I64]:
        """(75, 100]: only this class on the node; (50, 75]: mixed; (25, 50]: idle; else low."""
        if task.affinity < 0:
            return np.zeros(idx.size, dtype=np.int64), _no_hint(idx)
        counts = cluster.affinity[idx]
        has = counts[:, task.affinity] > 0
        classes = (counts > 0).sum(axis=1)
        used = MAX_SPEC_GPU_MILLI - cluster.gpu_free[idx].sum(axis=1)
        base = (MAX_SCORE // 4) * used // MAX_SPEC_GPU_MILLI
        offset = np.where(has, np.where(classes == 1, 75, 50), np.where(classes == 0, 25, 0))
        return (base + offset).astype(np.int64), _no_hint(idx)


def _sigmoid_score(delta: F64) -> I64:
    return np.trunc(1.0 / (1.0 + np.exp(-delta / 1000.0)) * MAX_SCORE).astype(np.int64)


class Fgd:
    """Fragmentation gradient descent: the placement that least increases fragmentation."""

    name = "FGD"
    uniform_ties = False

    def __init__(self, typical: TypicalPods | None = None) -> None:
        self.typical = typical
        self._fixed = typical is not None
        self._access: npt.NDArray[np.bool_] | None = None

    def prepare(self, cluster: Cluster, workload: Sequence[TaskSpec]) -> None:
        """Derive the typical task mix from the workload unless one was given."""
        if workload and not self._fixed:
            self.typical = TypicalPods.from_tasks(workload)
        assert self.typical is not None, "FGD needs a workload or a typical task mix"
        self._access = self.typical.access(cluster.model_names)

    def _frag(self, cluster: Cluster, cpu: I64, gpu: I64, model: I64) -> F64:
        assert self.typical is not None, "call prepare() first"
        assert self._access is not None, "call prepare() first"
        return node_fragmentation(cpu, gpu, model, self.typical, self._access)

    def score(self, cluster: Cluster, task: TaskSpec, idx: I64) -> tuple[I64, I64]:
        """sigmoid(fragmentation decrease / 1000) x 100, truncated, per node."""
        cpu = cluster.cpu_free[idx]
        gpu = cluster.gpu_free[idx]
        model = cluster.model_id[idx]
        before = self._frag(cluster, cpu, gpu, model)
        if task.is_share:
            # One candidate state per (node, GPU that fits the share).
            rows, cols = np.nonzero(gpu >= task.gpu_milli)
            after_gpu = gpu[rows].copy()
            after_gpu[np.arange(rows.size), cols] -= task.gpu_milli
            after = self._frag(cluster, cpu[rows] - task.cpu_milli, after_gpu, model[rows])
            per_gpu = np.full((idx.size, MAX_GPUS), -1, dtype=np.int64)
            per_gpu[rows, cols] = _sigmoid_score(before[rows] - after)
            hint = per_gpu.argmax(axis=1)
            return per_gpu.max(axis=1), hint.astype(np.int64)
        after_gpu = gpu
        if task.num_gpu:
            full = gpu == MILLI
            take = full & (np.cumsum(full, axis=1) <= task.num_gpu)
            after_gpu = np.where(take, 0, gpu)
        after = self._frag(cluster, cpu - task.cpu_milli, after_gpu, model)
        return _sigmoid_score(before - after), _no_hint(idx)

    def choose_gpus(
        self, cluster: Cluster, task: TaskSpec, node: int, hint: int, rng: np.random.Generator
    ) -> tuple[int, ...]:
        """The shared GPU with the best score (the hint); lowest-index free GPUs otherwise."""
        if task.is_share:
            assert hint >= 0
            assert cluster.gpu_free[node, hint] >= task.gpu_milli
            return (hint,)
        return _best_fit_choice(cluster, task, node)


_FACTORIES: dict[str, type[Policy]] = {
    "random": RandomPolicy,
    "dotprod": DotProduct,
    "dotproduct": DotProduct,
    "gpuclustering": GpuClustering,
    "clustering": GpuClustering,
    "gpupacking": GpuPacking,
    "packing": GpuPacking,
    "bestfit": BestFit,
    "fgd": Fgd,
}
POLICY_NAMES = ("Random", "DotProd", "GpuClustering", "GpuPacking", "BestFit", "FGD")


def make_policy(name: str) -> Policy:
    """A fresh policy by (case-insensitive) name."""
    key = name.strip().lower().replace("-", "").replace("_", "")
    if key not in _FACTORIES:
        raise UnknownPolicy(f"unknown policy {name!r}; choose one of {', '.join(POLICY_NAMES)}")
    return _FACTORIES[key]()
