"""The run's summary: one flat JSON object, every figure computed from the run's records."""

from __future__ import annotations

from typing import Any

import numpy as np

from lantern.drill._config import DrillConfig
from lantern.drill._model import DrillModel
from lantern.drill._ports import AuditOutcome, ClusterSnapshot

__all__ = ["summarise"]


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2) if values else 0.0


def _inference(cluster: list[ClusterSnapshot]) -> dict[str, Any]:
    """Request-weighted p95 latency over the window and the share of requests within SLO."""
    demand = np.asarray([c.demand_rps for c in cluster], dtype=np.float64)
    p95 = np.asarray([c.latency_ms_p95 for c in cluster], dtype=np.float64)
    if demand.sum() <= 0:
        return {
            "inference_latency_ms_p95": 0.0,
            "inference_latency_ms_p95_worst": 0.0,
            "inference_slo_met_pct": 100.0,
        }
    order = np.argsort(p95)
    cumulative = np.cumsum(demand[order]) / demand.sum()
    weighted_p95 = float(p95[order][np.searchsorted(cumulative, 0.95)])
    within = demand[p95 <= np.asarray([c.slo_ms for c in cluster])].sum() / demand.sum()
    return {
        "inference_latency_ms_p95": round(weighted_p95, 1),
        "inference_latency_ms_p95_worst": round(float(p95.max()), 1),
        "inference_slo_met_pct": round(100.0 * float(within), 2),
    }


def summarise(
    config: DrillConfig, model: DrillModel, audit: AuditOutcome, wall_s: float
) -> dict[str, Any]:
    """The summary the CLI prints (last stdout line with --json) and the report heads with."""
    t, s = model.totals, model.series
    campaign = model.engines.campaign
    spent = {pool: int(fen) for pool, fen in campaign.spent_by_pool_fen().items()}
    cluster = s.cluster
    util = [c.allocated_pct for c in cluster]
    orders_by_category = {cat: int(sum(v)) for cat, v in sorted(s.orders.items())}
    on_time = t.deliveries - t.deliveries_late
    return {
        "scenario": config.scenario,
        "variant": config.variant,
        "scale": config.scale.name,
        "seed": config.seed,
        "window": config.window,
        "days": config.days,
        "users": len(t.users_seen),
        "sessions": t.sessions,
        "chats": t.chats,
        "chat_latency_ms_p50": _pct(s.chat_latency_ms, 50),
        "chat_latency_ms_p95": _pct(s.chat_latency_ms, 95),
        "envelopes_granted": campaign.envelopes_granted(),
        "claims_denied": t.claims_denied,
        "claims_denied_by_code": dict(sorted(t.denied_by_code.items())),
        "budget_fen": campaign.budget_fen,
        "budget_spent_fen": sum(spent.values()),
        "spent_by_pool_fen": spent,
        "orders": t.orders,
        "orders_by_category": orders_by_category,
        "deliveries_requested": t.deliveries_submitted,
        "deliveries": t.deliveries,
        "deliveries_late": t.deliveries_late,
        "undeliverable": t.undeliverable,
        "on_time_pct": round(100.0 * on_time / t.deliveries, 2) if t.deliveries else 0.0,
        "lateness_min_p50": _pct(s.lateness_min, 50),
        "lateness_min_p95": _pct(s.lateness_min, 95),
        "vans": model.engines.fleet.van_count,
        "van_utilization_pct": round(100.0 * float(np.mean(s.van_busy_share)), 2)
        if s.van_busy_share
        else 0.0,
        "accelerators": config.accelerator_count,
        "h200_share": config.h200_share,
        "accelerator_utilization_pct": round(float(np.mean(util)), 2) if util else 0.0,
        "accelerator_utilization_pct_peak": round(float(np.max(util)), 2) if util else 0.0,
        **_inference(list(cluster)),
        "inference_replicas_peak": max((c.inference_replicas for c in cluster), default=0),
        "audit_ok": audit.ok,
        "audit_violations": list(audit.violations),
        "wall_s": round(wall_s, 2),
    }
