"""Prometheus metrics at ``/metrics``: HTTP traffic, and the served drill's live figures.

Each app gets its own registry (no process-global state, so tests can build many apps).
HTTP requests are counted and timed per method, route template and status; the drill's
figures (minute, vans busy, orders, deliveries, envelopes, spend per pool, cluster
allocation, inference latency) are read from the replay at scrape time.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

__all__ = ["install_metrics"]


class _DrillCollector(Collector):
    """Reads the app's drill replay at scrape time."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def collect(self) -> Iterator[Any]:
        replay = getattr(self.app.state, "drill_replay", None)
        ready = GaugeMetricFamily("lantern_drill_ready", "1 when a drill replay is served")
        ready.add_metric([], 1.0 if replay is not None else 0.0)
        yield ready
        if replay is None:
            return
        minute = replay.minute()
        totals = replay.totals(minute)
        vans = replay.vans(minute)
        yield GaugeMetricFamily("lantern_drill_minute", "Minute of the window shown", minute)
        yield GaugeMetricFamily("lantern_fleet_vans", "Vans in the fleet", len(vans))
        yield GaugeMetricFamily(
            "lantern_fleet_vans_busy", "Vans serving deliveries", sum(v["busy"] for v in vans)
        )
        counters = GaugeMetricFamily(
            "lantern_drill_total", "Running totals of the drill", labels=["figure"]
        )
        for key, value in sorted(totals.items()):
            counters.add_metric([key], float(value))
        yield counters
        spent = GaugeMetricFamily(
            "lantern_campaign_spent_fen", "Campaign budget spent per pool (fen)", labels=["pool"]
        )
        for pool, fen in sorted(replay.spent_by_pool_fen(minute).items()):
            spent.add_metric([pool], float(fen))
        yield spent
        cluster = replay.cluster(minute)
        if cluster is not None:
            yield GaugeMetricFamily(
                "lantern_cluster_allocated_ratio",
                "Share of accelerators allocated",
                cluster["allocated_pct"] / 100.0,
            )
            yield GaugeMetricFamily(
                "lantern_inference_latency_ms_p95",
                "Assistant inference latency p95 (ms)",
                cluster["latency_ms_p95"],
            )


def install_metrics(app: FastAPI) -> CollectorRegistry:
    """Add the request middleware and ``GET /metrics`` to ``app``; returns its registry."""
    registry = CollectorRegistry()
    requests = Counter(
        "lantern_http_requests", "HTTP requests", ["method", "route", "status"], registry=registry
    )
    latency = Histogram(
        "lantern_http_request_duration_seconds",
        "HTTP request latency",
        ["method", "route"],
        registry=registry,
    )
    registry.register(_DrillCollector(app))

    @app.middleware("http")
    async def _measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", "unmatched")
        latency.labels(request.method, template).observe(time.perf_counter() - started)
        requests.labels(request.method, template, str(response.status_code)).inc()
        return response

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    def metrics() -> Response:
        """Prometheus text exposition of this app's registry."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    app.state.metrics_registry = registry
    return registry
