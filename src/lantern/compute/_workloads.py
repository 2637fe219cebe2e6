"""Tenants, quotas, QoS classes, training jobs and inference services.

Quotas follow Kueue: each tenant has a guaranteed (nominal) GPU quota; tenants in the same
cohort may borrow each other's unused quota, up to an optional borrowing limit. Work admitted
on borrowed quota, and best-effort work, may be preempted by guaranteed work; guaranteed
work within its tenant's nominal quota is never preempted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from lantern.compute._cluster import Cluster
from lantern.compute._task import MILLI, TaskSpec
from lantern.compute._trace import PodTable
from lantern.compute.errors import WorkloadError

__all__ = [
    "Cohort",
    "InferenceService",
    "Job",
    "QoS",
    "Tenant",
    "TrainingJob",
    "synthetic_workload",
    "trace_workload",
]


class QoS(StrEnum):
    """Service class: guaranteed work may preempt best-effort work, never the reverse."""

    GUARANTEED = "guaranteed"
    BEST_EFFORT = "best-effort"


@dataclass(frozen=True)
class Cohort:
    """A group of tenants that lend each other unused quota."""

    name: str


@dataclass(frozen=True)
class Tenant:
    """A customer with a guaranteed GPU quota, optionally borrowing within a cohort."""

    name: str
    guaranteed_gpus: float
    cohort: str | None = None
    borrowing_limit_gpus: float | None = None  # None: may borrow all unused cohort quota
    weight: float = 1.0  # fair-sharing weight

    def __post_init__(self) -> None:
        if not (self.guaranteed_gpus >= 0 and self.weight > 0):  # NaN fails too
            raise WorkloadError(f"tenant {self.name}: quota must be >= 0 and weight > 0")
        if self.borrowing_limit_gpus is not None and not self.borrowing_limit_gpus >= 0:
            raise WorkloadError(f"tenant {self.name}: borrowing limit must be >= 0")

    @property
    def nominal_milli(self) -> int:
        """Guaranteed quota in milli-GPUs."""
        return round(self.guaranteed_gpus * MILLI)


@dataclass(frozen=True)
class TrainingJob:
    """A gang of workers on whole accelerators: all start together or none does.

    ``duration_s`` is the run time wherever the gang lands, unless ``reference_model`` names
    the accelerator it was measured on: then the run time scales with dense FP16/BF16
    throughput (:func:`~lantern.compute.training_tflops`), at the pace of the gang's slowest
    accelerator (synchronous data parallelism waits for the slowest worker).
    """

    name: str
    tenant: str
    workers: int
    gpus_per_worker: int
    duration_s: float
    cpu_milli_per_worker: int = 8_000
    memory_mib_per_worker: int = 65_536
    qos: QoS = QoS.GUARANTEED
    priority: int = 0
    gpu_models: tuple[str, ...] = ()
    reference_model: str | None = None

    def __post_init__(self) -> None:
        if self.workers < 1 or not 0 <= self.gpus_per_worker <= 8 or not self.duration_s > 0:
            raise WorkloadError(
                f"training job {self.name}: need >= 1 worker, 0-8 GPUs per worker, duration > 0"
            )
        if self.reference_model is not None:
            reference_tflops(f"training job {self.name}", self.reference_model)

    def tasks(self) -> list[TaskSpec]:
        """One task per worker."""
        milli = MILLI if self.gpus_per_worker else 0
        spec = TaskSpec(
            self.cpu_milli_per_worker,
            self.memory_mib_per_worker,
            self.gpus_per_worker,
            milli,
            self.gpu_models,
        )
        return [spec] * self.workers


@dataclass(frozen=True)
class InferenceService:
    """Replicas on fractional accelerator shares, scaled with request load.

    A replica serves up to ``rps_per_replica`` requests per second within the latency SLO;
    requests beyond the running replicas' capacity miss it. ``load_rps`` is a step function
    of (seconds after start, requests per second).
    """

    name: str
    tenant: str
    gpu_milli_per_replica: int
    rps_per_replica: float
    latency_slo_ms: float
    duration_s: float
    load_rps: tuple[tuple[float, float], ...] = ((0.0, 1.0),)
    cpu_milli_per_replica: int = 4_000
    memory_mib_per_replica: int = 16_384
    min_replicas: int = 1
    max_replicas: int = 64
    qos: QoS = QoS.GUARANTEED
    priority: int = 0
    gpu_models: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.gpu_milli_per_replica <= MILLI:
            raise WorkloadError(f"service {self.name}: gpu_milli_per_replica must be 1-1000")
        if not (self.rps_per_replica > 0 and self.latency_slo_ms > 0 and self.duration_s > 0):
            raise WorkloadError(f"service {self.name}: rps, SLO and duration must be positive")
        if not 0 <= self.min_replicas <= self.max_replicas:
            raise WorkloadError(f"service {self.name}: need 0 <= min_replicas <= max_replicas")

    def task(self) -> TaskSpec:
        """The request of one replica."""
        return TaskSpec(
            self.cpu_milli_per_replica,
            self.memory_mib_per_replica,
            1,
            self.gpu_milli_per_replica,
            self.gpu_models,
        )

    def replicas_for(self, rps: float) -> int:
        """Replicas needed to serve ``rps`` within the SLO (clamped to min/max)."""
        need = math.ceil(rps / self.rps_per_replica) if rps > 0 else 0
        return max(self.min_replicas, min(self.max_replicas, need))


Job = TrainingJob | InferenceService


def reference_tflops(who: str, model: str) -> float:
    """The dense TFLOPS of a reference accelerator; :class:`WorkloadError` naming ``who``
    (e.g. ``training job qwen-1``) if the model is unknown or its speed undisclosed."""
    from lantern.compute._catalogue import training_tflops
    from lantern.compute.errors import UnknownAccelerator

    try:
        tflops = training_tflops(model)
    except UnknownAccelerator as exc:
        raise WorkloadError(f"{who}: reference model: {exc}") from exc
    if tflops is None:
        raise WorkloadError(
            f"{who}: the speed of reference model {model!r} is undisclosed; "
            "give the model the duration was measured on, e.g. h20 or h200"
        )
    return tflops


@dataclass
class _Mix:
    rng: np.random.Generator
    reference_model: str | None = None
    jobs: list[tuple[float, Job]] = field(default_factory=list)


def synthetic_workload(
    cluster: Cluster, hours: float, seed: int = 0, *, reference_model: str | None = None
) -> tuple[list[Tenant], list[tuple[float, Job]]]:
    """Four tenants sharing one cohort and a day-like mix of training and inference.

    "qwen" trains large gangs (guaranteed), "state-grid" and "xpeng" serve inference with
    a daily load curve, "cas-research" runs best-effort training. Quotas split 90% of the
    cluster's GPUs 40/25/15/10; arrivals are Poisson, seeded. Training durations (0.5-6 h)
    are on ``reference_model`` when given (they then scale with the accelerators the gangs
    land on), else the same everywhere.
    """
    if reference_model is not None:
        reference_tflops("synthetic workload", reference_model)
    gpus = cluster.gpu_capacity_milli / MILLI
    if gpus == 0:
        raise WorkloadError("the cluster has no GPUs; give a node list or spec with GPU nodes")
    tenants = [
        Tenant("qwen", round(0.40 * gpus), cohort="cloud", weight=2.0),
        Tenant("state-grid", round(0.25 * gpus), cohort="cloud"),
        Tenant("xpeng", round(0.15 * gpus), cohort="cloud", borrowing_limit_gpus=0.1 * gpus),
        Tenant("cas-research", round(0.10 * gpus), cohort="cloud"),
    ]
    mix = _Mix(np.random.default_rng(seed), reference_model)
    horizon = hours * 3600.0
    scale = gpus / 640.0  # rates sized for a 640-GPU cluster at about 80% offered load
    _training(mix, horizon, "qwen", 3.0 * scale, gang=(4, 8), qos=QoS.GUARANTEED, prio=2)
    _training(mix, horizon, "cas-research", 24.0 * scale, gang=(1, 4), qos=QoS.BEST_EFFORT)
    _training(mix, horizon, "xpeng", 6.0 * scale, gang=(2, 8), qos=QoS.GUARANTEED, prio=1)
    _services(mix, horizon, "state-grid", count=max(2, int(gpus // 16)), share=(250, 500))
    _services(mix, horizon, "xpeng", count=max(1, int(gpus // 32)), share=(300, 700))
    mix.jobs.sort(key=lambda tj: tj[0])
    return tenants, mix.jobs


def _training(
    mix: _Mix,
    horizon: float,
    tenant: str,
    rate_per_h: float,
    gang: tuple[int, int],
    qos: QoS,
    prio: int = 0,
) -> None:
    """Poisson arrivals of gangs of 1..gang[0] workers with 1, 2, 4 or 8 (<= gang[1]) GPUs."""
    sizes = [g for g in (1, 2, 4, 8) if g <= gang[1]]
    t = 0.0
    i = 0
    while True:
        t += float(mix.rng.exponential(3600.0 / rate_per_h))
        if t >= horizon:
            return
        workers = int(mix.rng.integers(1, gang[0] + 1))
        per = int(mix.rng.choice(sizes))
        dur = float(mix.rng.uniform(0.5, 6.0)) * 3600.0
        job = TrainingJob(
            f"{tenant}-train-{i}",
            tenant,
            workers,
            per,
            dur,
            cpu_milli_per_worker=2_000 * per,
            memory_mib_per_worker=32_768 * per,
            qos=qos,
            priority=prio,
            reference_model=mix.reference_model,
        )
        mix.jobs.append((t, job))
        i += 1


def _services(mix: _Mix, horizon: float, tenant: str, count: int, share: tuple[int, int]) -> None:
    for i in range(count):
        start = float(mix.rng.uniform(0, horizon / 4))
        peak = float(mix.rng.uniform(20, 120))
        # Daily curve sampled hourly: low at night, peak in the evening.
        load = tuple(
            (
                h * 3600.0,
                round(peak * (0.35 + 0.65 * max(0.0, math.sin(math.pi * (h % 24) / 24))), 2),
            )
            for h in range(int(horizon // 3600) + 1)
        )
        svc = InferenceService(
            f"{tenant}-svc-{i}",
            tenant,
            int(mix.rng.integers(share[0], share[1] + 1)),
            rps_per_replica=10.0,
            latency_slo_ms=200.0,
            duration_s=max(3600.0, horizon - start),
            load_rps=load,
            cpu_milli_per_replica=4_000,
            memory_mib_per_replica=16_384,
        )
        mix.jobs.append((start, svc))


def trace_workload(
    pods: PodTable, tenants: int = 4
) -> tuple[list[Tenant], list[tuple[float, Job]]]:
    """The trace's tasks as timed jobs of ``tenants`` synthetic tenants in one cohort.

    Whole-GPU and CPU-only tasks become one-worker training jobs, GPU-sharing tasks one-replica
    inference services; each lives from its creation to its deletion time (rows without both
    are skipped). LS and Guaranteed tasks are guaranteed, BE and Burstable best-effort.
    Tenants are assigned round-robin by row; each gets an equal guaranteed quota that
    together covers the trace's mean concurrent GPU demand.
    """
    ok = (pods.creation_time_s >= 0) & (pods.deletion_time_s > pods.creation_time_s)
    rows = np.flatnonzero(ok)
    if rows.size == 0:
        raise WorkloadError(f"{pods.source}: no task has both creation and deletion times")
    t0 = int(pods.creation_time_s[rows].min())
    span = float(pods.deletion_time_s[rows].max() - t0)
    busy = float(
        ((pods.deletion_time_s - pods.creation_time_s) * pods.num_gpu * pods.gpu_milli)[rows].sum()
    )
    quota = max(1.0, busy / span / MILLI / tenants)
    names = [f"tenant-{k}" for k in range(tenants)]
    out: list[tuple[float, Job]] = []
    for j, i in enumerate(rows):
        qos = QoS.GUARANTEED if pods.qos[i] in ("LS", "Guaranteed", "") else QoS.BEST_EFFORT
        models = tuple(m for m in pods.gpu_spec[i].split("|") if m)
        dur = float(pods.deletion_time_s[i] - pods.creation_time_s[i])
        tenant = names[j % tenants]
        job: Job
        if pods.num_gpu[i] == 1 and pods.gpu_milli[i] < MILLI:
            job = InferenceService(
                pods.names[i],
                tenant,
                int(pods.gpu_milli[i]),
                rps_per_replica=1.0,
                latency_slo_ms=100.0,
                duration_s=dur,
                cpu_milli_per_replica=int(pods.cpu_milli[i]),
                memory_mib_per_replica=int(pods.memory_mib[i]),
                max_replicas=1,
                qos=qos,
                gpu_models=models,
            )
        else:
            job = TrainingJob(
                pods.names[i],
                tenant,
                1,
                int(pods.num_gpu[i]),
                dur,
                cpu_milli_per_worker=int(pods.cpu_milli[i]),
                memory_mib_per_worker=int(pods.memory_mib[i]),
                qos=qos,
                gpu_models=models,
            )
        out.append((float(pods.creation_time_s[i] - t0), job))
    return [Tenant(n, quota, cohort="trace") for n in names], out
