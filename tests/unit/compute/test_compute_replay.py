"""The paper's replay protocol: arrival order, determinism, conservation at every step."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.compute import (
    POLICY_NAMES,
    Cluster,
    ClusterSimulator,
    NodeTable,
    Placer,
    TaskSpec,
    arrival_order,
    make_policy,
    replay,
    synthetic_workload,
)
from lantern.compute._replay import tasks_of
from lantern.compute._trace import PodTable
from lantern.compute.errors import WorkloadError


def test_arrival_order_reaches_but_never_exceeds_target(
    small_cluster: Cluster, trace_pods: PodTable
) -> None:
    """Trimmed (or inflated) arrivals stay within 130% of capacity and are seeded."""
    cap = small_cluster.gpu_capacity_milli
    order = arrival_order(trace_pods, cap, 1.3, seed=7)
    req = (trace_pods.num_gpu * trace_pods.gpu_milli)[order].sum()
    assert req <= 1.3 * cap
    assert req > 1.2 * cap
    assert np.array_equal(order, arrival_order(trace_pods, cap, 1.3, seed=7))
    assert not np.array_equal(order, arrival_order(trace_pods, cap, 1.3, seed=8))


def test_inflation_appends_samples_from_the_trace(
    trace_nodes: NodeTable, trace_pods: PodTable
) -> None:
    """On the full cluster the 98% trace is inflated to 130% with repeated trace rows."""
    cap = int(trace_nodes.gpu_count.sum()) * 1000
    order = arrival_order(trace_pods, cap, 1.3, seed=42)
    assert len(order) > len(trace_pods)
    assert sorted(order[: len(trace_pods)]) == list(range(len(trace_pods)))
    req = (trace_pods.num_gpu * trace_pods.gpu_milli)[order].sum()
    assert 1.29 * cap < req <= 1.3 * cap


def test_replay_is_deterministic_per_seed(small_cluster: Cluster, trace_pods: PodTable) -> None:
    """The same seed gives the same allocation curve; the metric is a percentage."""
    a = replay(small_cluster, trace_pods, "FGD", 3)
    b = replay(small_cluster, trace_pods, "FGD", 3)
    assert np.array_equal(a.allocated_pct, b.allocated_pct)
    assert 0.0 <= a.unallocated_gpu_pct <= 100.0
    assert a.placed + a.rejected == len(a.arrived_pct)


@pytest.mark.parametrize("policy", POLICY_NAMES)
def test_conservation_on_every_step(
    small_cluster: Cluster, trace_pods: PodTable, policy: str
) -> None:
    """At every step: per GPU allocated + free = 1000, a share on exactly one GPU, a
    multi-GPU task on whole free GPUs of one node, CPU and memory never over-allocated."""
    tasks = tasks_of(trace_pods)
    placer = Placer(small_cluster, make_policy(policy), np.random.default_rng(0))
    placer.prepare(tasks)
    c = small_cluster
    used = np.zeros_like(c.gpu_free)
    for i in arrival_order(trace_pods, c.gpu_capacity_milli, 1.3, seed=1):
        task = tasks[int(i)]
        before = c.gpu_free.copy()
        p = placer.place(task)
        if p is not None:
            assert len(p.gpus) == task.num_gpu
            if task.is_share:
                assert len(p.gpus) == 1
            elif task.num_gpu:
                assert all(before[p.node, g] == 1000 for g in p.gpus)
            for g in p.gpus:
                used[p.node, g] += task.gpu_milli
        else:
            assert not c.feasible(task, np.arange(len(c))).any()
        assert np.array_equal(used + c.gpu_free, np.where(c.gpu_present, 1000, 0))
        c.check_conservation()


_task = st.builds(
    lambda cpu, kind, milli, num: (
        TaskSpec(cpu)
        if kind == 0
        else TaskSpec(cpu, 0, 1, milli)
        if kind == 1
        else TaskSpec(cpu, 0, num, 1000)
    ),
    st.integers(0, 16_000),
    st.integers(0, 2),
    st.integers(1, 1000),
    st.sampled_from([1, 2, 4, 8]),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_task, min_size=1, max_size=60), st.sampled_from(POLICY_NAMES))
def test_random_tasks_never_over_allocate(tasks: list[TaskSpec], policy: str) -> None:
    """Any task sequence under any policy keeps every node within capacity; a task is
    rejected only when no node could take it."""
    c = Cluster.from_spec("2x8 h200 + 2x4 h20 + 1x2 zhenwu-810e")
    placer = Placer(c, make_policy(policy), np.random.default_rng(0))
    placer.prepare(tasks)
    for t in tasks:
        if placer.place(t) is None:
            assert not c.feasible(t, np.arange(len(c))).any()
        c.check_conservation()


def _pod_table(num_gpu: int, gpu_milli: int, n: int = 2) -> PodTable:
    """``n`` identical pods asking for ``num_gpu`` x ``gpu_milli``."""

    def col(value: int) -> npt.NDArray[np.int64]:
        return np.full(n, value, dtype=np.int64)

    return PodTable(
        source="pods.csv",
        names=tuple(f"p{i}" for i in range(n)),
        cpu_milli=col(1000),
        memory_mib=col(100),
        num_gpu=col(num_gpu),
        gpu_milli=col(gpu_milli),
        gpu_spec=("",) * n,
        qos=("LS",) * n,
        creation_time_s=col(-1),
        deletion_time_s=col(-1),
        scheduled_time_s=col(-1),
    )


def test_replays_that_could_never_end_are_refused(small_cluster: Cluster) -> None:
    """CPU-only pods, a GPU-less cluster or tasks too small to reach 130%: WorkloadError.

    Each used to loop for ever (or for millions of draws) or crash with an IndexError.
    """
    with pytest.raises(WorkloadError, match="no task requests a GPU"):
        replay(small_cluster, _pod_table(0, 0), "FGD", 1)
    with pytest.raises(WorkloadError, match="arrivals"):
        replay(Cluster.from_spec("200x8 h200"), _pod_table(1, 1), "FGD", 1)  # 2.1M draws
    one = [np.asarray([v], dtype=np.int64) for v in (64_000, 1, 0)]
    cpu_only = NodeTable(("n0",), one[0], one[1], one[2], models=("",))
    with pytest.raises(WorkloadError, match="no GPUs"):
        replay(Cluster.from_nodes(cpu_only), _pod_table(1, 500), "FGD", 1)
    with pytest.raises(WorkloadError, match="no GPUs"):
        ClusterSimulator(Cluster.from_nodes(cpu_only))
    with pytest.raises(WorkloadError, match="no GPUs"):
        synthetic_workload(Cluster.from_nodes(cpu_only), 1.0)
