"""The paper's replay protocol on a GPU trace (Weng et al., ATC'23, and its simulator).

Per seed: sort the tasks by name and shuffle them; then, while the GPU requests that have
arrived stay within ``inflate`` x the cluster's GPU capacity, append tasks drawn uniformly
(with replacement) from the trace (or, if the trace already exceeds it, drop random tasks).
Place the tasks one at a time in that order; a task that fits nowhere is rejected and the
run goes on; nothing departs. After each task, record arrived and allocated GPU (and,
optionally, fragmentation). The headline metric is the unallocated GPU share when the
arrived load reaches ``inflate`` (the mean over the tasks whose arrival, rounded to a whole
percent, equals it, as the paper's analysis scripts do).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lantern.compute._cluster import Cluster
from lantern.compute._frag import TypicalPods, node_fragmentation
from lantern.compute._placer import Placer
from lantern.compute._policies import make_policy
from lantern.compute._streams import arrival_order, streams_for
from lantern.compute._task import TaskSpec
from lantern.compute._trace import PodTable
from lantern.compute.errors import WorkloadError

__all__ = ["ReplayRun", "ReplaySummary", "arrival_order", "replay", "replay_seeds", "tasks_of"]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


def tasks_of(pods: PodTable) -> list[TaskSpec]:
    """One TaskSpec per trace row (equal requests share one object)."""
    seen: dict[tuple[int, int, int, int, str], TaskSpec] = {}
    out: list[TaskSpec] = []
    for i in range(len(pods)):
        key = (
            int(pods.cpu_milli[i]),
            int(pods.memory_mib[i]),
            int(pods.num_gpu[i]),
            int(pods.gpu_milli[i]),
            pods.gpu_spec[i],
        )
        task = seen.get(key)
        if task is None:
            models = tuple(m for m in key[4].split("|") if m)
            task = TaskSpec(key[0], key[1], key[2], key[3], models)
            seen[key] = task
        out.append(task)
    return out


MAX_ARRIVALS = 1_000_000  # tasks per seed; the default trace needs about 10,800


@dataclass(frozen=True)
class ReplayRun:
    """One seed's replay."""

    policy: str
    seed: int
    arrived_pct: F64  # after each task
    allocated_pct: F64
    fragmented_pct: F64 | None  # fragmented share of the GPU capacity, if recorded
    placed: int
    rejected: int
    elapsed_s: float
    inflate_pct: int

    @property
    def unallocated_gpu_pct(self) -> float:
        """Unallocated GPU share (%) when the arrived load reaches the inflation target."""
        arrive = np.round(self.arrived_pct)
        alloc = np.round(self.allocated_pct, 2)
        sel = arrive == self.inflate_pct
        if not sel.any():
            sel = np.abs(arrive - self.inflate_pct) <= 1
        if not sel.any():
            return float(100.0 - alloc[-1])
        return float(100.0 - alloc[sel].mean())

    @property
    def pods_per_s(self) -> float:
        """Placement decisions per second."""
        return (self.placed + self.rejected) / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def curve(self, points: Sequence[int], *, fragmentation: bool = False) -> F64:
        """Unallocated (or, with ``fragmentation``, fragmented) GPU (%) at each arrived-load
        percentage in ``points``; NaN where no task arrived at that load."""
        values = 100.0 - self.allocated_pct
        if fragmentation:
            assert self.fragmented_pct is not None, "replay with record_fragmentation=True"
            values = self.fragmented_pct
        arrive = np.round(self.arrived_pct)
        out = np.full(len(points), np.nan)
        for j, p in enumerate(points):
            sel = arrive == p
            if sel.any():
                out[j] = values[sel].mean()
        return out


def replay(
    cluster: Cluster,
    pods: PodTable,
    policy: str,
    seed: int,
    inflate: float = 1.3,
    *,
    record_fragmentation: bool = False,
    check_every: int = 0,
    rng: str = "numpy",
) -> ReplayRun:
    """Run the protocol for one seed; ``check_every`` > 0 asserts conservation that often.

    ``rng`` picks the random streams: ``numpy`` (default) or ``go`` (the reference
    simulator's own draws; see ``lantern.compute._streams``).
    """
    streams = streams_for(rng)
    if cluster.gpu_capacity_milli == 0:
        raise WorkloadError("the cluster has no GPUs; give a node list with GPU nodes")
    if pods.total_gpu_milli == 0:
        raise WorkloadError(
            f"{pods.source}: no task requests a GPU, so the load can never reach "
            f"{inflate:.0%} of GPU capacity; give a pod list with GPU tasks"
        )
    needed = inflate * cluster.gpu_capacity_milli * len(pods) / pods.total_gpu_milli
    if needed > max(MAX_ARRIVALS, len(pods)):
        raise WorkloadError(
            f"{pods.source}: its tasks ask for so little GPU that reaching {inflate:.0%} of "
            f"this cluster's capacity takes about {needed:,.0f} arrivals (at most "
            f"{MAX_ARRIVALS:,}); give a smaller cluster, a lower --inflate or larger tasks"
        )
    cluster.reset()
    tasks = tasks_of(pods)
    drawn = streams.draw(seed, pods, cluster.gpu_capacity_milli, inflate, cluster.names)
    order = drawn.order
    placer = Placer(cluster, make_policy(policy), drawn.placer_rng, tie_rank=drawn.tie_rank)
    placer.prepare(tasks)
    cap = cluster.gpu_capacity_milli
    arrived = np.empty(len(order))
    allocated = np.empty(len(order))
    frag = _FragTracker(cluster, tasks) if record_fragmentation else None
    fragmented = np.empty(len(order)) if frag else None
    arrived_milli, placed = 0, 0
    start = time.perf_counter()
    for step, i in enumerate(order):
        task = tasks[int(i)]
        arrived_milli += task.total_gpu_milli
        placement = placer.place(task)
        if placement is not None:
            placed += 1
            if frag is not None:
                frag.update(placement.node)
        arrived[step] = arrived_milli
        allocated[step] = cluster.allocated_gpu_milli
        if fragmented is not None and frag is not None:
            fragmented[step] = frag.total
        if check_every and step % check_every == 0:
            cluster.check_conservation()
    elapsed = time.perf_counter() - start
    return ReplayRun(
        policy=placer.policy.name,
        seed=seed,
        arrived_pct=100.0 * arrived / cap,
        allocated_pct=100.0 * allocated / cap,
        fragmented_pct=None if fragmented is None else 100.0 * fragmented / cap,
        placed=placed,
        rejected=len(order) - placed,
        elapsed_s=elapsed,
        inflate_pct=round(inflate * 100),
    )


class _FragTracker:
    """Cluster fragmentation kept up to date one changed node at a time."""

    def __init__(self, cluster: Cluster, tasks: Sequence[TaskSpec]) -> None:
        self.cluster = cluster
        self.typical = TypicalPods.from_tasks(tasks)
        self.access = self.typical.access(cluster.model_names)
        idx = np.arange(len(cluster))
        self.per_node = self._frag(idx)
        self.total = float(self.per_node.sum())

    def _frag(self, idx: I64) -> F64:
        c = self.cluster
        return node_fragmentation(
            c.cpu_free[idx], c.gpu_free[idx], c.model_id[idx], self.typical, self.access
        )

    def update(self, node: int) -> None:
        new = float(self._frag(np.asarray([node]))[0])
        self.total += new - self.per_node[node]
        self.per_node[node] = new


@dataclass(frozen=True)
class ReplaySummary:
    """A policy's replay over several seeds."""

    policy: str
    runs: tuple[ReplayRun, ...]

    @property
    def per_seed(self) -> dict[int, float]:
        """Unallocated GPU (%) per seed."""
        return {r.seed: round(r.unallocated_gpu_pct, 4) for r in self.runs}

    @property
    def mean(self) -> float:
        """Mean unallocated GPU (%) over the seeds."""
        return float(np.mean([r.unallocated_gpu_pct for r in self.runs]))

    @property
    def std(self) -> float:
        """Sample standard deviation over the seeds (0 for one seed)."""
        vals = [r.unallocated_gpu_pct for r in self.runs]
        return float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0

    @property
    def pods_per_s(self) -> float:
        """Placements per second over all seeds."""
        n = sum(r.placed + r.rejected for r in self.runs)
        t = sum(r.elapsed_s for r in self.runs)
        return n / t if t > 0 else 0.0

    def as_dict(self) -> dict[str, object]:
        """The replay command's JSON summary."""
        return {
            "policy": self.policy,
            "seeds": [r.seed for r in self.runs],
            "unallocated_gpu_pct_mean": round(self.mean, 4),
            "unallocated_gpu_pct_std": round(self.std, 4),
            "unallocated_gpu_pct_per_seed": {str(k): v for k, v in self.per_seed.items()},
            "pods_per_s": round(self.pods_per_s, 1),
            "placed": sum(r.placed for r in self.runs),
            "rejected": sum(r.rejected for r in self.runs),
        }


def replay_seeds(
    cluster: Cluster,
    pods: PodTable,
    policy: str,
    seeds: Sequence[int],
    inflate: float = 1.3,
    *,
    record_fragmentation: bool = False,
    rng: str = "numpy",
) -> ReplaySummary:
    """Replay every seed in turn (``rng``: ``numpy`` or ``go`` streams)."""
    streams_for(rng)  # a bad name fails before the first seed
    runs = tuple(
        replay(
            cluster, pods, policy, s, inflate, record_fragmentation=record_fragmentation, rng=rng
        )
        for s in seeds
    )
    return ReplaySummary(policy=runs[0].policy, runs=runs)
