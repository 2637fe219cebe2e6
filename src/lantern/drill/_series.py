"""The run's measurements, bucketed over the window: everything the report plots."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lantern.drill._ports import ClusterSnapshot

__all__ = ["Series"]


@dataclass(slots=True)
class Series:
    """Per-bucket counters and snapshots, plus per-event samples (lateness, chat latency).

    ``bucket_min`` minutes per bucket; index ``i`` covers ``[i*bucket_min, (i+1)*bucket_min)``
    minutes since the window start. Every number in the report is read from here.
    """

    bucket_min: int
    buckets: int
    sessions: list[int] = field(default_factory=list)
    chats: list[int] = field(default_factory=list)
    claims_granted: list[int] = field(default_factory=list)
    claims_denied: list[int] = field(default_factory=list)
    orders: dict[str, list[int]] = field(default_factory=dict)
    deliveries: list[int] = field(default_factory=list)
    deliveries_late: list[int] = field(default_factory=list)
    spent_by_pool_fen: dict[str, list[int]] = field(default_factory=dict)
    van_busy_share: list[float] = field(default_factory=list)
    cluster: list[ClusterSnapshot] = field(default_factory=list)
    lateness_min: list[float] = field(default_factory=list)
    chat_latency_ms: list[float] = field(default_factory=list)
    drops: list[tuple[float, float, bool]] = field(default_factory=list)  # lng, lat, on time
    pickups: list[tuple[float, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name in (
            "sessions",
            "chats",
            "claims_granted",
            "claims_denied",
            "deliveries",
            "deliveries_late",
        ):
            getattr(self, name).extend([0] * self.buckets)

    def bucket(self, at_min: float) -> int:
        return min(self.buckets - 1, max(0, int(at_min // self.bucket_min)))

    def count_order(self, at_min: float, category: str) -> None:
        self.orders.setdefault(category, [0] * self.buckets)[self.bucket(at_min)] += 1

    def hourly(self, values: list[int]) -> list[int]:
        """Sum bucket counts into hours."""
        per_hour = 60 // self.bucket_min
        arr = np.asarray(values, dtype=np.int64)
        pad = (-len(arr)) % per_hour
        return [int(v) for v in np.pad(arr, (0, pad)).reshape(-1, per_hour).sum(axis=1)]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready copy (the replay file and the API use it)."""
        return {
            "bucket_min": self.bucket_min,
            "sessions": self.sessions,
            "chats": self.chats,
            "claims_granted": self.claims_granted,
            "claims_denied": self.claims_denied,
            "orders": self.orders,
            "deliveries": self.deliveries,
            "deliveries_late": self.deliveries_late,
            "spent_by_pool_fen": self.spent_by_pool_fen,
            "van_busy_share": [round(v, 4) for v in self.van_busy_share],
            "cluster": [
                {
                    "allocated_pct": round(c.allocated_pct, 2),
                    "inference_pct": round(c.inference_pct, 2),
                    "training_pct": round(c.training_pct, 2),
                    "replicas": c.inference_replicas,
                    "latency_ms_p95": round(c.latency_ms_p95, 1),
                    "jobs_running": c.jobs_running,
                    "jobs_queued": c.jobs_queued,
                }
                for c in self.cluster
            ],
        }
