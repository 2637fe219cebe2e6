"""What the time-mode simulator reports, per tenant and for the cluster."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lantern.compute._workloads import Tenant

__all__ = ["SimulationMetrics", "TenantMetrics", "TenantTally"]


@dataclass
class TenantTally:
    """Running totals of one tenant."""

    submitted: int = 0
    completed: int = 0
    preemptions: int = 0
    queue_delays_s: list[float] = field(default_factory=list)
    gpu_milli_s: float = 0.0
    demand_requests: float = 0.0
    served_requests: float = 0.0

    def metrics(
        self,
        name: str,
        tenant: Tenant | None,
        *,
        running: int,
        pending: int,
        capacity_milli: int,
        elapsed_s: float,
    ) -> TenantMetrics:
        """Freeze the tally into metrics."""
        delays = self.queue_delays_s
        return TenantMetrics(
            tenant=name,
            submitted=self.submitted,
            completed=self.completed,
            running=running,
            pending=pending,
            preemptions=self.preemptions,
            queue_delay_s_mean=float(np.mean(delays)) if delays else None,
            queue_delay_s_p95=float(np.percentile(delays, 95)) if delays else None,
            gpu_hours=self.gpu_milli_s / 1000.0 / 3600.0,
            cluster_share=self.gpu_milli_s / (capacity_milli * elapsed_s) if capacity_milli else 0,
            quota_use=(
                self.gpu_milli_s / (tenant.nominal_milli * elapsed_s)
                if tenant is not None and tenant.nominal_milli
                else None
            ),
            slo_attainment=(
                self.served_requests / self.demand_requests if self.demand_requests > 0 else None
            ),
        )


@dataclass(frozen=True)
class TenantMetrics:
    """One tenant's outcome."""

    tenant: str
    submitted: int
    completed: int
    running: int
    pending: int
    preemptions: int
    queue_delay_s_mean: float | None
    queue_delay_s_p95: float | None
    gpu_hours: float
    cluster_share: float  # of the cluster's GPU capacity over the elapsed time
    quota_use: float | None  # mean usage over the guaranteed quota (> 1: borrowing)
    slo_attainment: float | None  # requests served within the latency SLO / demanded


@dataclass(frozen=True)
class SimulationMetrics:
    """The cluster's outcome and every tenant's."""

    now_s: float
    policy: str
    gpu_utilisation: float
    tenants: dict[str, TenantMetrics]

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready dict."""

        def rnd(v: float | None) -> float | None:
            return None if v is None else round(v, 4)

        return {
            "now_s": self.now_s,
            "policy": self.policy,
            "gpu_utilisation": round(self.gpu_utilisation, 4),
            "tenants": {
                n: {
                    "submitted": m.submitted,
                    "completed": m.completed,
                    "running": m.running,
                    "pending": m.pending,
                    "preemptions": m.preemptions,
                    "queue_delay_s_mean": rnd(m.queue_delay_s_mean),
                    "queue_delay_s_p95": rnd(m.queue_delay_s_p95),
                    "gpu_hours": rnd(m.gpu_hours),
                    "cluster_share": rnd(m.cluster_share),
                    "quota_use": rnd(m.quota_use),
                    "slo_attainment": rnd(m.slo_attainment),
                }
                for n, m in self.tenants.items()
            },
        }
