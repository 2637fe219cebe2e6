"""Small named instances for the compute engine's tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from lantern.compute import Cluster, NodeTable, read_nodes, read_pods
from lantern.compute._trace import PodTable, default_nodes_path, default_pods_path


def _tiny_nodes(*gpus_models: tuple[int, str], cpu_milli: int = 32_000) -> NodeTable:
    """A node table from (gpu count, model) pairs, each node with ``cpu_milli`` CPU."""
    n = len(gpus_models)
    return NodeTable(
        names=tuple(f"n{i}" for i in range(n)),
        cpu_milli=np.full(n, cpu_milli, dtype=np.int64),
        memory_mib=np.full(n, 262_144, dtype=np.int64),
        gpu_count=np.asarray([g for g, _ in gpus_models], dtype=np.int64),
        models=tuple(m for _, m in gpus_models),
    )


TinyNodes = Callable[..., NodeTable]


@pytest.fixture
def tiny_nodes() -> TinyNodes:
    """Factory: a node table from (gpu count, model) pairs."""
    return _tiny_nodes


@pytest.fixture(scope="session")
def trace_nodes() -> NodeTable:
    """The shipped 1,213-node list."""
    return read_nodes(default_nodes_path())


@pytest.fixture(scope="session")
def trace_pods() -> PodTable:
    """The shipped default pod list."""
    return read_pods(default_pods_path())


@pytest.fixture
def small_cluster(trace_nodes: NodeTable) -> Cluster:
    """The first 60 nodes of the trace (a mix of P100, V100, T4 and G2 nodes)."""
    keep = slice(0, 60)
    sub = NodeTable(
        names=trace_nodes.names[keep],
        cpu_milli=trace_nodes.cpu_milli[keep],
        memory_mib=trace_nodes.memory_mib[keep],
        gpu_count=trace_nodes.gpu_count[keep],
        models=trace_nodes.models[keep],
    )
    return Cluster.from_nodes(sub)
