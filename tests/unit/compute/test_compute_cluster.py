"""The cluster: specs, the catalogue, allocation and conservation."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from lantern.compute import Cluster, NodeTable, TaskSpec, accelerator
from lantern.compute.errors import ClusterSpecError, UnknownAccelerator, WorkloadError

TinyNodes = Callable[..., NodeTable]


def test_catalogue_figures() -> None:
    """The catalogue holds the issue's figures and marks undisclosed ones."""
    z = accelerator("zhenwu-810e")
    assert (z.memory_gb, z.memory_kind, z.power_w) == (96, "HBM2e", 400)
    assert "700 GB/s" in (z.interconnect or "")
    assert "tflops_fp16_dense" in z.undisclosed
    h200 = accelerator("H200")
    assert (h200.memory_gb, h200.memory_bandwidth_tb_s, h200.tflops_fp16_dense) == (141, 4.8, 989)
    assert accelerator("h20").tflops_fp16_dense == 148
    assert accelerator("G2").undisclosed  # anonymised trace model
    with pytest.raises(UnknownAccelerator):
        accelerator("tpu-v9")


def test_cluster_from_spec() -> None:
    """'64x8 zhenwu-810e + 16x8 h200' builds 80 nodes and 640 GPUs of two models."""
    c = Cluster.from_spec("64x8 zhenwu-810e + 16x8 h200")
    assert len(c) == 80
    assert c.gpu_capacity_milli == 640_000
    assert set(c.model_names) == {"Zhenwu-810E", "H200"}


@pytest.mark.parametrize("spec", ["64 zhenwu-810e", "4x9 h200", "0x8 h20", "2x8 nope"])
def test_bad_spec(spec: str) -> None:
    """Malformed terms, too many GPUs per node and unknown models are refused."""
    with pytest.raises((ClusterSpecError, UnknownAccelerator)):
        Cluster.from_spec(spec)


def test_oversized_spec_is_refused_quickly() -> None:
    """A spec with an absurd node count is a ClusterSpecError, not minutes of list building."""
    with pytest.raises(ClusterSpecError, match="more than 100,000 nodes"):
        Cluster.from_spec("99999999999x8 h200")
    with pytest.raises(ClusterSpecError, match="more than"):
        Cluster.from_spec("60000x8 h200 + 60000x8 h20")


def test_allocate_release_conserves(tiny_nodes: TinyNodes) -> None:
    """Allocated plus free equals capacity on every GPU through allocate and release."""
    c = Cluster.from_nodes(tiny_nodes((4, "T4")))
    share = TaskSpec(1000, 0, 1, 300)
    whole = TaskSpec(1000, 0, 2, 1000)
    a = c.allocate(share, 0, (1,))
    b = c.allocate(whole, 0, (2, 3))
    assert list(c.gpu_free[0, :4]) == [1000, 700, 0, 0]
    assert c.allocated_gpu_milli == 2300
    c.check_conservation()
    c.release(a)
    c.release(b)
    assert c.allocated_gpu_milli == 0
    assert int(c.cpu_free[0]) == int(c.cpu_capacity[0])


def test_over_allocation_is_an_invariant_breach(tiny_nodes: TinyNodes) -> None:
    """Allocating beyond a GPU's free share trips an assertion (a bug, not an input error)."""
    c = Cluster.from_nodes(tiny_nodes((1, "T4")))
    c.allocate(TaskSpec(0, 0, 1, 800), 0, (0,))
    with pytest.raises(AssertionError):
        c.allocate(TaskSpec(0, 0, 1, 300), 0, (0,))


def test_feasible_checks_model_cpu_and_gpus(tiny_nodes: TinyNodes) -> None:
    """Feasibility honours model constraints, CPU and the count of fitting GPUs."""
    c = Cluster.from_nodes(tiny_nodes((2, "T4"), (8, "G2"), (0, "")))
    idx = np.arange(3)
    assert list(c.feasible(TaskSpec(1000, 0, 1, 500, ("G2",)), idx)) == [False, True, False]
    assert list(c.feasible(TaskSpec(1000, 0, 4, 1000), idx)) == [False, True, False]
    assert list(c.feasible(TaskSpec(40_000), idx)) == [False, False, False]
    assert list(c.feasible(TaskSpec(1000), idx)) == [True, True, True]


def test_task_spec_validation() -> None:
    """A multi-GPU task must take whole GPUs; shares stay within 0-1000."""
    with pytest.raises(WorkloadError):
        TaskSpec(0, 0, 2, 500)
    with pytest.raises(WorkloadError):
        TaskSpec(0, 0, 1, 1200)
    assert TaskSpec(0, 0, 1, 500).is_share
    assert not TaskSpec(0, 0, 1, 1000).is_share
