"""The HTTP half of ``lantern campaign bench --http``: claims through the real API server.

:func:`run_http_bench` loads a one-drop bench campaign into ``database_url``, starts the
real server (granian, one worker, the app from :func:`lantern.api.create_app`) on
127.0.0.1 in a subprocess, and drives it with a loopback load generator on 64 keep-alive
connections: first the constant-JSON ``/healthz`` endpoint of the same app and server (the
ceiling), then ``POST /v1/campaigns/bench-http/claims`` with one bearer token and a fresh
``Idempotency-Key`` per claim. Afterwards it stops the server and checks the grants with the
engine: no overspend, no double grant, audit passed.

The server's engine runs on a clock shifted into the campaign's drop window (the real
calendar is in February 2026), so grants, pacing and quotas are exactly as at the peak.
"""

from __future__ import annotations

import asyncio
import gc
import os
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from lantern.api._loadgen import LoadResult, build_request, run_load
from lantern.api._server import Server, ServerHandle, process_tree_cpu_s, serve_in_subprocess
from lantern.clock import SHANGHAI
from lantern.errors import InvalidInput

__all__ = ["BENCH_CAMPAIGN_ID", "ShiftedClock", "bench_app", "bench_scenario", "run_http_bench"]

BENCH_CAMPAIGN_ID = "bench-http"
_DAY = datetime(2026, 2, 16, tzinfo=SHANGHAI)  # New Year's Eve 2026, the peak
_CLOCK_ENV = "LANTERN_BENCH_CLOCK_AT"
_AVERAGE_FEN = 888


@dataclass(frozen=True)
class ShiftedClock:
    """Real time, shifted so that the process start reads ``start`` (time still flows)."""

    start: datetime
    _origin: float = 0.0

    @classmethod
    def starting_at(cls, start: datetime) -> ShiftedClock:
        assert start.tzinfo is not None, "ShiftedClock needs a timezone-aware start"
        return cls(start, time.monotonic())

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._origin)


def bench_scenario(claims: int) -> Any:
    """One day, one cash pool, one drop of ``claims`` envelopes (one per user)."""
    from lantern.campaign import Scenario

    total_fen = claims * _AVERAGE_FEN
    day = _DAY.date().isoformat()
    return Scenario.model_validate(
        {
            "id": BENCH_CAMPAIGN_ID,
            "title": "HTTP claim benchmark",
            "budget_fen": total_fen,
            "calendar": {"start": day, "end": day, "holiday_start": day, "holiday_end": day},
            "pools": [{"id": "cash", "kind": "cash", "budget_fen": total_fen}],
            "drops": [
                {
                    "id": "eve",
                    "pool": "cash",
                    "starts_at": _DAY.isoformat(),
                    "ends_at": (_DAY + timedelta(days=1)).isoformat(),
                    "count": claims,
                    "total_fen": total_fen,
                    "cap_fen": 2_888 * 100,
                    "per_user": 1,
                }
            ],
            "pacing": {"cash": {"mode": "even"}},
        }
    )


def bench_app() -> Any:
    """App factory for the server subprocess: the real app, engine on a shifted clock."""
    from lantern.api import create_app
    from lantern.campaign import CampaignEngine
    from lantern.settings import Settings

    clock = ShiftedClock.starting_at(datetime.fromisoformat(os.environ[_CLOCK_ENV]))

    def open_engine(settings: Settings) -> CampaignEngine:
        return CampaignEngine.open(settings.database_url, clock=clock)

    return create_app(Settings(), engine_factory=open_engine, freeze_gc=True)


def _claim_request(host: str, token_of: list[str], run_tag: str) -> Any:
    path = f"/v1/campaigns/{BENCH_CAMPAIGN_ID}/claims"
    body = b'{"drop_id":"eve"}'

    def make(index: int) -> bytes:
        headers = {
            "Authorization": f"Bearer {token_of[index]}",
            "Idempotency-Key": f"{run_tag}-{index}",
            "Content-Type": "application/json",
        }
        return build_request("POST", path, host=host, headers=headers, body=body)

    return make


def _grant_checks(results: list[LoadResult]) -> dict[str, int]:
    users: Counter[str] = Counter()
    grant_ids: set[str] = set()
    granted_fen = 0
    for result in results:
        for body in result.bodies.values():
            grant = orjson.loads(body)
            if "grant_id" in grant:
                users[grant["user_id"]] += 1
                grant_ids.add(grant["grant_id"])
                granted_fen += grant["amount_fen"]
    return {
        "granted": len(grant_ids),
        "granted_fen": granted_fen,
        "users_with_two_grants": sum(1 for n in users.values() if n > 1),
    }


def _engine_checks(database_url: str, envelopes: int, http_granted: int) -> dict[str, Any]:
    from lantern.campaign import CampaignEngine

    with CampaignEngine.open(database_url) as engine:
        status = engine.status(BENCH_CAMPAIGN_ID)
        report = engine.audit(BENCH_CAMPAIGN_ID)
    budget_fen = envelopes * _AVERAGE_FEN
    granted_fen = sum(pool.granted_fen for pool in status.pools)
    return {
        "overspend_fen": max(0, granted_fen - budget_fen) + max(0, -status.remaining_fen),
        "engine_granted_fen": granted_fen,
        "double_grants": max(0, status.grants - envelopes),
        "unacknowledged_grants": status.grants - http_granted,
        "ledger_balanced": report.passed,
    }


@dataclass(frozen=True)
class _Phase:
    """One load phase: what the clients saw and the CPU the server and client used."""

    result: LoadResult
    server_cpu_s: float | None
    client_cpu_s: float

    def server_cpu_ms_per_request(self) -> float | None:
        if self.server_cpu_s is None or not self.result.requests:
            return None
        return round(self.server_cpu_s * 1000.0 / self.result.requests, 3)


def _phase(handle: ServerHandle, make: Any, total: int, connections: int, keep: bool) -> _Phase:
    server_before = process_tree_cpu_s(handle.pid)
    client_before = time.process_time()
    gc.collect()
    gc.disable()  # a full collection in the client would stall all its connections at once
    try:
        result = asyncio.run(
            run_load(
                handle.host,
                handle.port,
                make,
                total=total,
                connections=connections,
                keep_bodies=keep,
            )
        )
    finally:
        gc.enable()
    server_after = process_tree_cpu_s(handle.pid)
    server_cpu_s = (
        None if server_before is None or server_after is None else server_after - server_before
    )
    return _Phase(result, server_cpu_s, time.process_time() - client_before)


def _measure(
    handle: ServerHandle, tokens: list[str], warmup: int, connections: int, ceiling_total: int
) -> tuple[_Phase, _Phase, list[LoadResult]]:
    """Warm both endpoints up, then measure the ceiling and the claims."""
    ping = build_request("GET", "/healthz", host=handle.host)
    tag = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    make = _claim_request(handle.host, tokens, tag)
    _phase(handle, lambda _: ping, min(2000, ceiling_total), connections, keep=False)
    warm = _phase(handle, make, warmup, connections, keep=True).result
    ceiling = _phase(handle, lambda _: ping, ceiling_total, connections, keep=False)
    claims = _phase(handle, lambda i: make(warmup + i), len(tokens) - warmup, connections, True)
    return ceiling, claims, [warm, claims.result]


def run_http_bench(
    database_url: str,
    claims: int,
    connections: int = 64,
    *,
    server: Server = "granian",
    workers: int = 1,
    ceiling_requests: int | None = None,
) -> dict[str, Any]:
    """Measure claims/s through the real HTTP server against its constant-JSON ceiling.

    ``claims`` measured claims, each by its own user, after ``claims // 10`` (at most 1,000)
    warm-up claims; the ceiling gets ``ceiling_requests`` (default: ``max(claims, 20000)``)
    requests after 2,000 warm-up ones."""
    from lantern.api.auth import TokenSigner
    from lantern.campaign import CampaignEngine

    if claims < 1:
        raise InvalidInput(f"--claims must be at least 1, got {claims}")
    if connections < 1:
        raise InvalidInput(f"connections must be at least 1, got {connections}")
    warmup = min(1000, claims // 10)
    envelopes = warmup + claims
    with CampaignEngine.open(database_url) as engine:
        engine.load(bench_scenario(envelopes), replace=True)
    secret = os.urandom(24).hex()
    signer = TokenSigner(secret.encode())
    tokens = [signer.mint(f"bench-{i:07d}") for i in range(envelopes)]
    with tempfile.TemporaryDirectory(prefix="lantern-bench-http-") as data_dir:
        env = {
            "LANTERN_DATABASE_URL": database_url,
            "LANTERN_DATA_DIR": str(Path(data_dir)),
            "LANTERN_TOKEN_SECRET": secret,
            "LANTERN_OPERATOR_KEY": os.urandom(24).hex(),
            _CLOCK_ENV: (_DAY + timedelta(minutes=1)).isoformat(),
        }
        factory = "lantern.campaign._bench_http:bench_app"
        with serve_in_subprocess(factory, env=env, server=server, workers=workers) as handle:
            ceiling_total = ceiling_requests or max(claims, 20_000)
            ceiling, measured, all_claims = _measure(
                handle, tokens, warmup, connections, ceiling_total
            )
    return {
        "http_workers": workers,
        **_figures(
            server, connections, claims, database_url, envelopes, ceiling, measured, all_claims
        ),
    }


def _figures(
    server: str,
    connections: int,
    claims: int,
    database_url: str,
    envelopes: int,
    ceiling: _Phase,
    measured: _Phase,
    all_claims: list[LoadResult],
) -> dict[str, Any]:
    grants = _grant_checks(all_claims)
    checks = _engine_checks(database_url, envelopes, grants["granted"])
    result = measured.result
    granted_now = _grant_checks([result])["granted"]
    claims_per_s = granted_now / result.elapsed_s if result.elapsed_s else 0.0
    ceiling_rps = ceiling.result.rps
    return {
        "http_server": server,
        "http_connections": connections,
        "http_claims": claims,
        "http_claims_per_s": round(claims_per_s, 1),
        "http_ceiling_rps": round(ceiling_rps, 1),
        "http_ratio_to_ceiling": round(claims_per_s / ceiling_rps, 3) if ceiling_rps else 0.0,
        "http_latency_ms_p50": round(result.latency_ms(0.50), 2),
        "http_latency_ms_p99": round(result.latency_ms(0.99), 2),
        "http_ceiling_latency_ms_p99": round(ceiling.result.latency_ms(0.99), 2),
        "http_server_cpu_ms_per_claim": measured.server_cpu_ms_per_request(),
        "http_server_cpu_ms_per_ceiling_request": ceiling.server_cpu_ms_per_request(),
        "http_client_cpu_s": round(ceiling.client_cpu_s + measured.client_cpu_s, 2),
        "http_statuses": {str(k): v for k, v in sorted(result.statuses.items())},
        "http_granted_fen": grants["granted_fen"],
        "http_engine_granted_fen": checks["engine_granted_fen"],
        "http_double_grants": grants["users_with_two_grants"] + checks["double_grants"],
        "http_overspend_fen": checks["overspend_fen"],
        "http_unacknowledged_grants": checks["unacknowledged_grants"],
        "http_ledger_balanced": checks["ledger_balanced"],
    }
