"""The compute engine's time mode as the drill's :class:`ComputeSide`.

The cluster is built from a spec (8 accelerators per node; ``h200_share`` of the nodes
H200, the rest Zhenwu 810E). Tenants and their training jobs and inference services come
from the engine's own :func:`lantern.compute.synthetic_workload` (qwen, state-grid, xpeng,
cas-research); beside them runs the assistant's inference service (tenant ``qwen``,
guaranteed, half an accelerator per replica), whose request load is the drill's chat rate
per bucket times ``rps_per_chat`` (each simulated chat stands for that many requests per
second on the modelled cluster). The tenants' training durations are on a Zhenwu 810E
(``TRAINING_REFERENCE``): a gang that lands on H200s finishes sooner, by the ratio of
dense throughput (989 TFLOPS against the 810E's undisclosed figure, taken at the H20's
148), at the pace of its slowest card. The engine's :class:`ClusterSimulator` scales the
replicas with that load, places them (FGD) beside the training gangs and preempts
best-effort work for them. The simulation runs after the users' day, on the load they made
(the cluster does not feed back into the users), stepping bucket by bucket.

Inference latency is the drill's serving model over the engine's placements: a replica
serves ``REPLICA_RPS`` requests per second on an H20-class card (the autoscaler asks for
replicas to run at ``TARGET_UTILISATION`` of that), scaled by the memory
bandwidth of the card it landed on (decoding is bandwidth-bound; the Zhenwu 810E's
bandwidth is undisclosed, so it is taken at the H20's 4.0 TB/s, the card it is positioned
against); latency is ``BASE_LATENCY_MS / (1 - utilisation)`` (an M/M/1 queue per replica),
p95 three times the mean (exponential tail), and at or beyond capacity the queue grows:
``OVERLOAD_LATENCY_MS``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from lantern.drill._config import DrillConfig
from lantern.drill._ports import ClusterSnapshot

__all__ = ["ComputeAdapter"]

GPUS_PER_NODE = 8
TRAINING_REFERENCE = "zhenwu-810e"  # the accelerator the synthetic training durations are on
SERVICE = "qwen-assistant"
REPLICA_MILLI = 500
REPLICA_RPS = 8.0
TARGET_UTILISATION = 0.6  # the autoscaler sizes replicas to run at this share of capacity
REFERENCE_TB_S = 4.0  # H20 (and, by assumption, Zhenwu 810E)
BASE_LATENCY_MS = 300.0
OVERLOAD_LATENCY_MS = 10_000.0
SLO_MS = 2_500.0
P95_OVER_MEAN = 3.0


@dataclass(frozen=True, slots=True)
class _Load:
    at_s: float
    rps: float


class ComputeAdapter:
    """Records the chat load during the run; simulates the cluster on it afterwards."""

    def __init__(self, config: DrillConfig) -> None:
        self.config = config
        self.loads: list[_Load] = []
        self._load_times: list[float] = []
        self.by_model: dict[str, int] = {}

    def set_chat_load(self, at_s: float, chats_per_s: float) -> None:
        self.loads.append(_Load(at_s, chats_per_s * self.config.scale.rps_per_chat))

    def _cluster(self) -> Any:
        from lantern.compute import Cluster

        nodes = max(1, round(self.config.accelerator_count / GPUS_PER_NODE))
        h200 = round(nodes * self.config.h200_share)
        counts = ((nodes - h200, "zhenwu-810e"), (h200, "h200"))
        terms = [f"{n}x{GPUS_PER_NODE} {model}" for n, model in counts if n > 0]
        self.by_model = {
            "Zhenwu-810E": (nodes - h200) * GPUS_PER_NODE,
            "H200": h200 * GPUS_PER_NODE,
        }
        return Cluster.from_spec(" + ".join(terms))

    def simulate(self, bucket_s: float, horizon_s: float) -> list[ClusterSnapshot]:
        """Run the engine's time mode over the window; one snapshot per bucket."""
        from lantern.compute import ClusterSimulator, InferenceService, synthetic_workload

        cluster = self._cluster()
        tenants, jobs = synthetic_workload(
            cluster, horizon_s / 3600.0, seed=self.config.seed, reference_model=TRAINING_REFERENCE
        )
        sim = ClusterSimulator(cluster, "fgd", tenants, seed=self.config.seed)
        services = {job.name for _, job in jobs if isinstance(job, InferenceService)}
        for at_s, job in jobs:
            sim.submit(job, at_s)
        capacity_replicas = cluster.gpu_capacity_milli // REPLICA_MILLI
        sim.submit(
            InferenceService(
                SERVICE,
                "qwen",
                REPLICA_MILLI,
                rps_per_replica=REPLICA_RPS * TARGET_UTILISATION,
                latency_slo_ms=SLO_MS,
                duration_s=horizon_s,
                load_rps=tuple((x.at_s, round(x.rps, 3)) for x in self.loads) or ((0.0, 0.0),),
                min_replicas=1,
                max_replicas=max(1, capacity_replicas),
                priority=3,
            ),
            0.0,
        )
        services.add(SERVICE)
        self._load_times = [x.at_s for x in self.loads]
        snapshots = []
        steps = round(horizon_s / bucket_s)
        for k in range(1, steps + 1):
            end_s = k * bucket_s - 1e-3  # the bucket's last moment, before the next rescale
            sim.step(end_s)
            snapshots.append(self._snapshot(sim, cluster, services, end_s))
        return snapshots

    def _rps_at(self, at_s: float) -> float:
        i = bisect.bisect_right(self._load_times, at_s)
        return self.loads[i - 1].rps if i > 0 else 0.0

    def _snapshot(self, sim: Any, cluster: Any, services: set[str], at_s: float) -> ClusterSnapshot:
        from lantern.compute import accelerator

        cap = cluster.gpu_capacity_milli
        inference = training = 0
        replicas, capacity_rps = 0, 0.0
        running_jobs = 0
        for name, _tenant, _preemptible, placements in sim.running_units():
            milli = sum(p.task.total_gpu_milli for p in placements)
            if name in services:
                inference += milli
            else:
                training += milli
                running_jobs += 1
            if name == SERVICE:
                replicas += 1
                card = accelerator(cluster.model_of(placements[0].node))
                tb_s = card.memory_bandwidth_tb_s or REFERENCE_TB_S
                capacity_rps += REPLICA_RPS * tb_s / REFERENCE_TB_S
        demand = self._rps_at(at_s)
        p50, p95 = _latency_ms(demand, capacity_rps)
        return ClusterSnapshot(
            at_s=at_s,
            accelerators=cap // 1000,
            allocated_pct=100.0 * cluster.allocated_gpu_milli / cap,
            inference_pct=100.0 * inference / cap,
            training_pct=100.0 * training / cap,
            inference_replicas=replicas,
            latency_ms_p50=p50,
            latency_ms_p95=p95,
            jobs_running=running_jobs,
            jobs_queued=sim.pending_count(),
            by_model=dict(self.by_model),
            demand_rps=demand,
            slo_ms=SLO_MS,
        )


def _latency_ms(demand_rps: float, capacity_rps: float) -> tuple[float, float]:
    """Median and p95 latency of an M/M/1 queue per replica at this utilisation."""
    if demand_rps <= 0:
        return BASE_LATENCY_MS * 0.693, BASE_LATENCY_MS * P95_OVER_MEAN
    if capacity_rps <= 0 or demand_rps >= 0.98 * capacity_rps:
        return OVERLOAD_LATENCY_MS, OVERLOAD_LATENCY_MS
    mean = BASE_LATENCY_MS / (1.0 - demand_rps / capacity_rps)
    return min(OVERLOAD_LATENCY_MS, 0.693 * mean), min(OVERLOAD_LATENCY_MS, P95_OVER_MEAN * mean)
