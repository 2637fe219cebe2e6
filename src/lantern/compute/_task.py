"""What a task asks for: CPU, memory, GPUs (whole or a share of one) and allowed models."""

from __future__ import annotations

from dataclasses import dataclass

from lantern.compute.errors import WorkloadError

__all__ = ["MILLI", "TaskSpec"]

MILLI = 1000
_MAX_GPUS = 8


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """Resource request of one task (a pod): the unit the placement policies place.

    ``gpu_milli`` is the share of each requested GPU (1-1000); a task with ``num_gpu > 1``
    takes whole GPUs. ``gpu_models`` restricts the accelerator models (empty: any).
    """

    cpu_milli: int
    memory_mib: int = 0
    num_gpu: int = 0
    gpu_milli: int = 0
    gpu_models: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.cpu_milli < 0 or self.memory_mib < 0 or self.num_gpu < 0 or self.gpu_milli < 0:
            raise WorkloadError(f"task {self}: requests must not be negative")
        if self.num_gpu > _MAX_GPUS:
            raise WorkloadError(f"task {self}: at most {_MAX_GPUS} GPUs on one node")
        if self.gpu_milli > MILLI:
            raise WorkloadError(f"task {self}: gpu_milli must be within 0-{MILLI}")
        if (self.num_gpu == 0) != (self.gpu_milli == 0):
            raise WorkloadError(f"task {self}: num_gpu and gpu_milli must both be zero or not")
        if self.num_gpu > 1 and self.gpu_milli != MILLI:
            raise WorkloadError(f"task {self}: a multi-GPU task takes whole GPUs (gpu_milli 1000)")

    @property
    def is_share(self) -> bool:
        """A GPU-sharing task: a fraction of exactly one GPU."""
        return self.num_gpu == 1 and self.gpu_milli < MILLI

    @property
    def total_gpu_milli(self) -> int:
        """GPU request in milli-GPUs (num_gpu x gpu_milli)."""
        return self.num_gpu * self.gpu_milli

    @property
    def affinity(self) -> int:
        """GpuClustering's class: -1 no GPU, 0 GPU-sharing, n for n whole GPUs."""
        if self.num_gpu == 0:
            return -1
        return 0 if self.is_share else self.num_gpu

    @property
    def spec_key(self) -> str:
        """The models constraint as the trace writes it ("" = any model)."""
        return "|".join(self.gpu_models)
