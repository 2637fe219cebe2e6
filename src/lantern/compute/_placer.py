"""The placer: filter, score (cached per request class and node version), pick, allocate.

Scores depend only on a node's state and the task's CPU and GPU request, so the placer
keeps, per request class, the last scores of every node and recomputes only the nodes
that changed since (each placement changes one node). Ties between the best-scoring nodes
go to the node that comes first in a random node order drawn once per run (``tie_rank``,
or a permutation from ``rng``), as in the paper's simulator (it prefixes node names with a
random permutation and keeps the first best node).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from lantern.compute._cluster import Cluster, Placement
from lantern.compute._policies import Policy
from lantern.compute._task import TaskSpec

__all__ = ["Placer"]

I64 = npt.NDArray[np.int64]


@dataclass
class _Cache:
    scores: I64
    hints: I64
    stamp: int = -1


@dataclass
class Placer:
    """Places tasks on a cluster with one policy."""

    cluster: Cluster
    policy: Policy
    rng: np.random.Generator
    tie_rank: I64 | None = None  # per node, its place in the tie order; None: drawn from rng
    _caches: dict[TaskSpec, _Cache] = field(default_factory=dict)
    _tie: I64 = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.cluster)
        rank = self.rng.permutation(n) if self.tie_rank is None else self.tie_rank
        if sorted(rank.tolist()) != list(range(n)):
            raise ValueError("tie_rank must be a permutation of the node indices")
        # Higher tie value wins among equal scores: the node earliest in the tie order.
        self._tie = (n - 1 - np.asarray(rank)).astype(np.int64)

    def prepare(self, workload: Sequence[TaskSpec]) -> None:
        """Let the policy learn from the expected workload; drop cached scores."""
        self.policy.prepare(self.cluster, workload)
        self._caches.clear()

    def scores(self, task: TaskSpec) -> tuple[I64, I64]:
        """Current score of every node for ``task`` (-1 where it does not fit) and hints.

        Scores depend on the task's CPU and GPU request only, so they are cached per
        (CPU, GPU count, GPU share); memory and model constraints are applied on top.
        """
        key = TaskSpec(task.cpu_milli, 0, task.num_gpu, task.gpu_milli)
        scores, hints = self._cached(key)
        c = self.cluster
        ok = c.memory_free >= task.memory_mib
        if task.gpu_models:
            ok &= c.access_mask(task)[c.model_id]
        return np.where(ok, scores, -1), hints

    def _cached(self, key: TaskSpec) -> tuple[I64, I64]:
        n = len(self.cluster)
        cache = self._caches.get(key)
        if cache is None:
            cache = _Cache(np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64))
            self._caches[key] = cache
        if cache.stamp < self.cluster.clock:
            dirty = np.flatnonzero(self.cluster.version > cache.stamp)
            if dirty.size:
                ok = self.cluster.feasible(key, dirty)
                cache.scores[dirty] = -1
                cache.hints[dirty] = -1
                good = dirty[ok]
                if good.size:
                    s, h = self.policy.score(self.cluster, key, good)
                    assert (s >= 0).all(), "policy scores must be non-negative"
                    cache.scores[good] = s
                    cache.hints[good] = h
            cache.stamp = self.cluster.clock
        return cache.scores, cache.hints

    def choose(self, task: TaskSpec) -> tuple[int, tuple[int, ...]] | None:
        """The node and GPUs the policy picks for ``task``, or None if it fits nowhere."""
        scores, hints = self.scores(task)
        if self.policy.uniform_ties:
            ties = np.flatnonzero(scores == scores.max())
            node = int(ties[self.rng.integers(ties.size)])
        else:
            node = int(np.argmax(scores * len(self.cluster) + self._tie))
        if scores[node] < 0:
            return None
        gpus = self.policy.choose_gpus(self.cluster, task, node, int(hints[node]), self.rng)
        return node, gpus

    def place(self, task: TaskSpec) -> Placement | None:
        """Place ``task`` (allocate it) or return None if it fits nowhere."""
        choice = self.choose(task)
        if choice is None:
            return None
        node, gpus = choice
        return self.cluster.allocate(task, node, gpus)
