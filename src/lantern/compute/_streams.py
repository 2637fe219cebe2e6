"""A seed's random streams for the replay: arrival order, node tie order, per-placement draws.

Two implementations of one protocol (``RandomStreams``):

- ``numpy`` (the default): numpy's PCG64, seeded with the seed (arrival order) and with
  seed + 1,000,003 (the node order, then Random's per-placement draws).
- ``go``: the paper's Go simulator's own ``math/rand`` draws, in its order: ``rand.Seed``;
  one ``Int63`` (a ``rand.Int()`` argument of a debug log call); ``Shuffle`` of the tasks
  sorted by name; the inflation (or trim) draws ``Intn``, the draw that stops the loop
  included; ten ``Int63`` taken by the Kubernetes informers at scheduler start; ``Perm``
  over the name-sorted nodes, the node at sorted position i getting the name prefix
  ``perm[i]``, ties going to the smallest prefix. The reference's Random policy picks
  ``nodes[rand.Intn(n)]`` from a feasible list whose order depends on goroutine timing,
  so no stream reproduces it; here its per-placement draws (node and GPU) come from numpy
  seeded with seed + 1,000,003, as in ``numpy`` mode.

Both give a seed the same protocol, only different samples of it; ``go`` reproduces the
published per-seed figures of the deterministic policies exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from lantern.compute._gorand import GoRand
from lantern.compute._trace import PodTable
from lantern.compute.errors import WorkloadError

__all__ = [
    "RNG_NAMES",
    "GoStreams",
    "NumpyStreams",
    "RandomStreams",
    "SeedStreams",
    "arrival_order",
    "streams_for",
]

I64 = npt.NDArray[np.int64]

PLACER_SEED_OFFSET = 1_000_003  # numpy seed of the placer's stream: seed + this
GO_INFORMER_DRAWS = 10  # Int63 draws by the Kubernetes informers before the node Perm


@dataclass(frozen=True)
class SeedStreams:
    """What one seed's randomness decides before the first placement."""

    order: I64  # trace row indices in arrival order
    tie_rank: I64  # per node: its position in the tie order (0 wins ties)
    placer_rng: np.random.Generator  # per-placement draws (Random's node and GPU)


class RandomStreams(Protocol):
    """A source of per-seed streams for the replay protocol."""

    @property
    def name(self) -> str:
        """The ``--rng`` choice that selects these streams."""
        ...

    def draw(
        self,
        seed: int,
        pods: PodTable,
        capacity_milli: int,
        inflate: float,
        node_names: Sequence[str],
    ) -> SeedStreams:
        """Arrival order, node tie order and the placer's generator for ``seed``."""
        ...


def arrival_order(pods: PodTable, capacity_milli: int, inflate: float, seed: int) -> I64:
    """Trace row indices in arrival order for one seed, numpy streams (shuffle, inflate/trim)."""
    rng = np.random.default_rng(seed)
    by_name = np.argsort(np.asarray(pods.names), kind="stable")
    order = list(by_name[rng.permutation(len(by_name))])
    req = pods.num_gpu * pods.gpu_milli
    total = int(req.sum())
    target = inflate * capacity_milli
    if total < target:
        while True:
            i = int(by_name[rng.integers(len(by_name))])
            # As the reference simulator: the stop test looks at the per-GPU share.
            if total + int(pods.gpu_milli[i]) > target:
                break
            total += int(req[i])
            order.append(i)
    while total > target and order:
        i = order.pop(int(rng.integers(len(order))))
        total -= int(req[i])
    return np.asarray(order, dtype=np.int64)


@dataclass(frozen=True)
class NumpyStreams:
    """numpy PCG64 streams (the default; the figures in docs/compute.md's first table)."""

    name: str = "numpy"

    def draw(
        self,
        seed: int,
        pods: PodTable,
        capacity_milli: int,
        inflate: float,
        node_names: Sequence[str],
    ) -> SeedStreams:
        """Arrival order from ``default_rng(seed)``; node order, then Random's draws, from
        ``default_rng(seed + 1,000,003)``."""
        order = arrival_order(pods, capacity_milli, inflate, seed)
        placer_rng = np.random.default_rng(seed + PLACER_SEED_OFFSET)
        tie_rank = placer_rng.permutation(len(node_names)).astype(np.int64)
        return SeedStreams(order, tie_rank, placer_rng)


@dataclass(frozen=True)
class GoStreams:
    """The reference simulator's Go ``math/rand`` draws (see the module docstring)."""

    name: str = "go"

    def draw(
        self,
        seed: int,
        pods: PodTable,
        capacity_milli: int,
        inflate: float,
        node_names: Sequence[str],
    ) -> SeedStreams:
        """One Go generator per seed, drawn in the reference's order."""
        r = GoRand(seed)
        r.int63()  # rand.Int() evaluated as a debug-log argument right after rand.Seed
        order = _go_arrival_order(r, pods, capacity_milli, inflate)
        for _ in range(GO_INFORMER_DRAWS):
            r.int63()
        perm = np.asarray(r.perm(len(node_names)), dtype=np.int64)
        tie_rank = np.empty(len(node_names), dtype=np.int64)
        tie_rank[np.argsort(np.asarray(node_names), kind="stable")] = perm
        placer_rng = np.random.default_rng(seed + PLACER_SEED_OFFSET)
        return SeedStreams(order, tie_rank, placer_rng)


def _go_arrival_order(r: GoRand, pods: PodTable, capacity_milli: int, inflate: float) -> I64:
    """The reference's shuffle and workload inflation (or trim), drawn from ``r``."""
    by_name = [int(i) for i in np.argsort(np.asarray(pods.names), kind="stable")]
    order = list(by_name)
    r.shuffle(order)
    req = [int(v) for v in pods.num_gpu * pods.gpu_milli]
    share = [int(v) for v in pods.gpu_milli]
    total = sum(req)
    target = inflate * capacity_milli
    if total < target:
        while True:
            i = by_name[r.intn(len(by_name))]  # the draw that stops the loop counts too
            if total + share[i] > target:
                break
            total += req[i]
            order.append(i)
    else:
        while total > target and order:
            total -= req[order.pop(r.intn(len(order)))]
    return np.asarray(order, dtype=np.int64)


RNG_NAMES = ("numpy", "go")
_STREAMS: dict[str, RandomStreams] = {"numpy": NumpyStreams(), "go": GoStreams()}


def streams_for(name: str) -> RandomStreams:
    """The streams called ``name`` (``numpy`` or ``go``)."""
    try:
        return _STREAMS[name]
    except KeyError:
        raise WorkloadError(
            f"unknown random streams {name!r}; choose one of: {', '.join(RNG_NAMES)}"
        ) from None
