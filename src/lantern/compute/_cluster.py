"""The cluster: nodes with CPU, memory and up to 8 GPUs each, held as numpy arrays.

State is vectorised over nodes: free CPU and memory per node, free milli-GPUs as an
(nodes x 8) array (absent GPUs hold 0), the accelerator model of each node, and per node
the count of GPU tasks of each GpuClustering class. Every change bumps the node's version
so that placement policies can cache scores of unchanged nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lantern.compute._catalogue import accelerator
from lantern.compute._task import MILLI, TaskSpec
from lantern.compute._trace import NodeTable
from lantern.compute.errors import ClusterSpecError

__all__ = ["MAX_GPUS", "Cluster", "Placement"]

MAX_GPUS = 8
MAX_SPEC_NODES = 100_000  # far above any real cluster (the trace has 1,213 GPU nodes)
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
_SPEC_TERM = re.compile(r"^\s*(\d+)\s*x\s*(\d+)\s+([A-Za-z0-9._-]+)\s*$")
# Host CPU and memory of a spec-built node, per GPU (a typical 8-GPU server: 128 cores, 2 TiB).
_CPU_MILLI_PER_GPU = 16_000
_MEMORY_MIB_PER_GPU = 256 * 1024


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one task runs: a node and the GPU indices it uses there."""

    node: int
    gpus: tuple[int, ...]
    task: TaskSpec


class Cluster:
    """Nodes and their free resources; allocate and release keep them conserved."""

    def __init__(self, nodes: NodeTable) -> None:
        self.names = nodes.names
        self.model_names: tuple[str, ...] = tuple(sorted({m for m in nodes.models if m}))
        index = {m: i for i, m in enumerate(self.model_names)}
        # CPU-only nodes get the extra model id len(model_names) ("no GPU").
        self.model_id = np.asarray(
            [index.get(m, len(self.model_names)) for m in nodes.models], dtype=np.int64
        )
        self.gpu_count = nodes.gpu_count.copy()
        self.cpu_capacity = nodes.cpu_milli.copy()
        self.memory_capacity = nodes.memory_mib.copy()
        self.gpu_present: B = np.arange(MAX_GPUS)[None, :] < self.gpu_count[:, None]
        self.reset()

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_nodes(cls, nodes: NodeTable) -> Cluster:
        """A cluster built from a trace node list."""
        return cls(nodes)

    @classmethod
    def from_spec(cls, spec: str) -> Cluster:
        """A cluster from a spec such as ``"64x8 zhenwu-810e + 16x8 h200"``.

        Each term is ``<nodes>x<gpus per node> <model>``; the model must be in the catalogue.
        Nodes get 16 CPU cores and 256 GiB of memory per GPU.
        """
        names: list[str] = []
        gpus: list[int] = []
        models: list[str] = []
        for term in spec.split("+"):
            match = _SPEC_TERM.match(term)
            if match is None:
                raise ClusterSpecError(
                    f"cluster spec term {term.strip()!r} is not '<nodes>x<gpus> <model>', "
                    f"e.g. '64x8 zhenwu-810e + 16x8 h200'"
                )
            n_nodes, per_node = int(match.group(1)), int(match.group(2))
            model = accelerator(match.group(3)).name
            if n_nodes < 1 or not 1 <= per_node <= MAX_GPUS:
                raise ClusterSpecError(
                    f"cluster spec term {term.strip()!r}: need at least 1 node and "
                    f"1-{MAX_GPUS} GPUs per node"
                )
            if len(names) + n_nodes > MAX_SPEC_NODES:
                raise ClusterSpecError(
                    f"cluster spec {spec.strip()!r} has more than {MAX_SPEC_NODES:,} nodes; "
                    f"give fewer"
                )
            start = len(names)
            names.extend(f"{model.lower()}-{start + i:04d}" for i in range(n_nodes))
            gpus.extend([per_node] * n_nodes)
            models.extend([model] * n_nodes)
        g = np.asarray(gpus, dtype=np.int64)
        table = NodeTable(
            names=tuple(names),
            cpu_milli=g * _CPU_MILLI_PER_GPU,
            memory_mib=g * _MEMORY_MIB_PER_GPU,
            gpu_count=g,
            models=tuple(models),
        )
        return cls(table)

    def reset(self) -> None:
        """Free everything (an empty cluster)."""
        self.cpu_free = self.cpu_capacity.copy()
        self.memory_free = self.memory_capacity.copy()
        self.gpu_free: I64 = np.where(self.gpu_present, MILLI, 0).astype(np.int64)
        self.affinity: I64 = np.zeros((len(self.names), MAX_GPUS + 1), dtype=np.int64)
        self.version: I64 = np.zeros(len(self.names), dtype=np.int64)
        self.clock = 0

    # ----------------------------------------------------------------- queries
    def __len__(self) -> int:
        return len(self.names)

    @property
    def gpu_capacity_milli(self) -> int:
        """Total GPU capacity in milli-GPUs."""
        return int(self.gpu_count.sum()) * MILLI

    @property
    def allocated_gpu_milli(self) -> int:
        """Milli-GPUs allocated to tasks."""
        return self.gpu_capacity_milli - int(self.gpu_free.sum())

    def model_of(self, node: int) -> str:
        """Accelerator model of a node ("" for a CPU-only node)."""
        mid = int(self.model_id[node])
        return self.model_names[mid] if mid < len(self.model_names) else ""

    def access_mask(self, task: TaskSpec) -> B:
        """Per model id (plus the trailing "no GPU" id), may the task run there."""
        mask = np.ones(len(self.model_names) + 1, dtype=np.bool_)
        if task.gpu_models:
            allowed = set(task.gpu_models)
            mask[:] = False
            for i, m in enumerate(self.model_names):
                mask[i] = m in allowed
        return mask

    def feasible(self, task: TaskSpec, idx: I64) -> B:
        """Which of the nodes ``idx`` can host the task now (CPU, memory, GPUs, model)."""
        ok: B = (self.cpu_free[idx] >= task.cpu_milli) & (self.memory_free[idx] >= task.memory_mib)
        ok &= self.access_mask(task)[self.model_id[idx]]
        if task.num_gpu:
            fits = (self.gpu_free[idx] >= task.gpu_milli).sum(axis=1)
            ok &= fits >= task.num_gpu
        return ok

    # ----------------------------------------------------------------- changes
    def allocate(self, task: TaskSpec, node: int, gpus: tuple[int, ...]) -> Placement:
        """Take the task's resources on ``node`` and GPUs ``gpus``; the caller checked it fits."""
        assert len(gpus) == task.num_gpu, (task, gpus)
        assert len(set(gpus)) == len(gpus), gpus
        assert self.cpu_free[node] >= task.cpu_milli
        assert self.memory_free[node] >= task.memory_mib
        for g in gpus:
            assert self.gpu_present[node, g]
            assert self.gpu_free[node, g] >= task.gpu_milli
            self.gpu_free[node, g] -= task.gpu_milli
        self.cpu_free[node] -= task.cpu_milli
        self.memory_free[node] -= task.memory_mib
        if task.affinity >= 0:
            self.affinity[node, task.affinity] += 1
        self._touch(node)
        return Placement(node=node, gpus=gpus, task=task)

    def release(self, placement: Placement) -> None:
        """Give back what ``placement`` took."""
        node, task = placement.node, placement.task
        for g in placement.gpus:
            self.gpu_free[node, g] += task.gpu_milli
            assert self.gpu_free[node, g] <= MILLI
        self.cpu_free[node] += task.cpu_milli
        self.memory_free[node] += task.memory_mib
        assert self.cpu_free[node] <= self.cpu_capacity[node]
        assert self.memory_free[node] <= self.memory_capacity[node]
        if task.affinity >= 0:
            self.affinity[node, task.affinity] -= 1
            assert self.affinity[node, task.affinity] >= 0
        self._touch(node)

    def _touch(self, node: int) -> None:
        self.clock += 1
        self.version[node] = self.clock

    def check_conservation(self) -> None:
        """Assert every node's free resources lie within [0, capacity]."""
        assert (self.gpu_free >= 0).all()
        assert (self.gpu_free <= MILLI).all()
        assert (self.gpu_free[~self.gpu_present] == 0).all()
        assert ((self.cpu_free >= 0) & (self.cpu_free <= self.cpu_capacity)).all()
        assert ((self.memory_free >= 0) & (self.memory_free <= self.memory_capacity)).all()
