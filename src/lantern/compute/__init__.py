"""The compute engine: a multi-tenant accelerator cloud, fragmentation-aware.

Accelerator catalogue (Zhenwu 810E, H20, H200 and the Alibaba trace's models), a cluster
vectorised over nodes, placement policies (Random, DotProd, GpuClustering, GpuPacking,
BestFit, FGD), the FGD paper's replay protocol on Alibaba's GPU trace, and a time-mode
simulator with tenants, quotas, gang-scheduled training, autoscaled inference and preemption.
"""

from lantern.compute._bench import PUBLISHED, TRACE_VARIANTS, BenchRow, run_bench
from lantern.compute._catalogue import (
    CATALOGUE,
    SPEED_STAND_INS,
    Accelerator,
    accelerator,
    training_tflops,
)
from lantern.compute._cluster import Cluster, Placement
from lantern.compute._frag import TypicalPods, node_fragmentation
from lantern.compute._placer import Placer
from lantern.compute._policies import POLICY_NAMES, Policy, make_policy
from lantern.compute._replay import ReplayRun, ReplaySummary, arrival_order, replay, replay_seeds
from lantern.compute._task import TaskSpec
from lantern.compute._timesim import ClusterSimulator, SimulationMetrics, TenantMetrics
from lantern.compute._trace import (
    NodeTable,
    PodTable,
    default_nodes_path,
    default_pods_path,
    read_nodes,
    read_pods,
)
from lantern.compute._workloads import (
    Cohort,
    InferenceService,
    QoS,
    Tenant,
    TrainingJob,
    synthetic_workload,
    trace_workload,
)

__all__ = [
    "CATALOGUE",
    "POLICY_NAMES",
    "PUBLISHED",
    "SPEED_STAND_INS",
    "TRACE_VARIANTS",
    "Accelerator",
    "BenchRow",
    "Cluster",
    "ClusterSimulator",
    "Cohort",
    "InferenceService",
    "NodeTable",
    "Placement",
    "Placer",
    "PodTable",
    "Policy",
    "QoS",
    "ReplayRun",
    "ReplaySummary",
    "SimulationMetrics",
    "TaskSpec",
    "Tenant",
    "TenantMetrics",
    "TrainingJob",
    "TypicalPods",
    "accelerator",
    "arrival_order",
    "default_nodes_path",
    "default_pods_path",
    "make_policy",
    "node_fragmentation",
    "read_nodes",
    "read_pods",
    "replay",
    "replay_seeds",
    "run_bench",
    "synthetic_workload",
    "trace_workload",
    "training_tflops",
]
