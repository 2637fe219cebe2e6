"""Policy scores on a tiny cluster, checked by hand against the reference formulas."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from lantern.compute import (
    Cluster,
    NodeTable,
    TaskSpec,
    TypicalPods,
    make_policy,
    node_fragmentation,
)
from lantern.compute._policies import Fgd
from lantern.compute.errors import UnknownPolicy

TinyNodes = Callable[..., NodeTable]
SHARE = TaskSpec(4000, 0, 1, 300)


@pytest.fixture
def two_nodes(tiny_nodes: TinyNodes) -> Cluster:
    """Node 0: 4 T4 with free [1000, 700, 0, 0] (a 300 share and a 2-GPU task); node 1: idle."""
    c = Cluster.from_nodes(tiny_nodes((4, "T4"), (4, "T4")))
    c.allocate(TaskSpec(0, 0, 1, 300), 0, (1,))
    c.allocate(TaskSpec(0, 0, 2, 1000), 0, (2, 3))
    return c


def _scores(cluster: Cluster, policy: str, task: TaskSpec) -> list[int]:
    p = make_policy(policy)
    p.prepare(cluster, [task])
    scores, _ = p.score(cluster, task, np.arange(len(cluster)))
    return [int(s) for s in scores]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        # (1 - ((32000-4000)/128000 + (1700-300)/8000) / 2) * 100 = 80.3 -> 80; idle node 65.9 -> 65
        ("BestFit", [80, 65]),
        # 100 * (1 - (0.25 * 4000/128000 + 0.2125 * 300/8000) / 2) = 99.2 -> 99; 98.7 -> 98
        ("DotProd", [99, 98]),
        # shared GPU with 700 free: 100 - (70 // 10) = 93; idle node: max(33 - 4, 4) = 29
        ("GpuPacking", [93, 29]),
        # two classes on node 0 incl. sharing: 50 + 25*6300//8000 = 69; idle node: 25 + 12 = 37
        ("GpuClustering", [69, 37]),
        ("Random", [0, 0]),
    ],
)
def test_hand_checked_scores(two_nodes: Cluster, policy: str, expected: list[int]) -> None:
    """Each baseline's integer score on the two nodes matches the hand computation."""
    assert _scores(two_nodes, policy, SHARE) == expected


def test_best_fit_gpu_choice(two_nodes: Cluster) -> None:
    """The default GPU choice puts a share on the tightest fitting GPU, whole GPUs lowest-first."""
    p = make_policy("BestFit")
    rng = np.random.default_rng(0)
    assert p.choose_gpus(two_nodes, SHARE, 0, -1, rng) == (1,)
    assert p.choose_gpus(two_nodes, TaskSpec(0, 0, 2, 1000), 1, -1, rng) == (0, 1)


def test_fragmentation_by_hand(two_nodes: Cluster) -> None:
    """Half the mix is CPU-only (all idle GPU is fragment), half 1-GPU tasks (partial GPUs are).

    Node 0: idle 1700, partial GPUs 700 -> 0.5 * 1700 + 0.5 * 700 = 1200; idle node: 2000.
    """
    typical = TypicalPods.from_tasks([TaskSpec(1000), TaskSpec(1000, 0, 1, 1000)])
    frag = node_fragmentation(
        two_nodes.cpu_free,
        two_nodes.gpu_free,
        two_nodes.model_id,
        typical,
        typical.access(two_nodes.model_names),
    )
    assert list(frag) == [1200.0, 2000.0]


def test_fgd_picks_the_gpu_that_keeps_shares_usable(two_nodes: Cluster) -> None:
    """With 500-milli shares typical, a 300 share goes on the full GPU (700 left stays usable).

    On GPU 1 (700 free) it would leave 400, too small for a 500 share: fragmentation +400,
    score int(100 * sigmoid(-0.4)) = 40; on GPU 0 nothing fragments: score 50.
    """
    fgd = make_policy("FGD")
    fgd.prepare(two_nodes, [TaskSpec(1000, 0, 1, 500)])
    scores, hints = fgd.score(two_nodes, SHARE, np.arange(2))
    assert [int(s) for s in scores] == [50, 50]
    assert int(hints[0]) == 0
    assert fgd.choose_gpus(two_nodes, SHARE, 0, int(hints[0]), np.random.default_rng(0)) == (0,)


def test_fgd_keeps_cpu_next_to_idle_gpus(tiny_nodes: TinyNodes) -> None:
    """A CPU-only task goes where taking CPU strands no GPU.

    Typical tasks need 1 GPU and 20,000 CPU. On node 0 (2 idle GPUs) 16,000 CPU would leave
    16,000: the GPUs become unusable, fragmentation +2000, score int(100 sigmoid(-2)) = 11.
    Node 1 has no idle GPU: nothing changes, score 50.
    """
    c = Cluster.from_nodes(tiny_nodes((2, "T4"), (2, "T4")))
    c.allocate(TaskSpec(0, 0, 2, 1000), 1, (0, 1))
    fgd = make_policy("FGD")
    fgd.prepare(c, [TaskSpec(20_000, 0, 1, 1000)])
    scores, _ = fgd.score(c, TaskSpec(16_000), np.arange(2))
    assert [int(s) for s in scores] == [11, 50]


def test_unknown_policy() -> None:
    """A bad policy name lists the valid ones."""
    with pytest.raises(UnknownPolicy, match="FGD"):
        make_policy("tetris")


def test_fgd_keeps_a_given_typical_mix(two_nodes: Cluster) -> None:
    """A typical mix passed to FGD is kept when the placer prepares it with a workload."""
    mix = TypicalPods.from_tasks([TaskSpec(1000, 0, 1, 500)])
    fgd = Fgd(mix)
    fgd.prepare(two_nodes, [TaskSpec(1000)])
    assert fgd.typical is mix
