"""``lantern campaign bench``: engine claims against the bare SQL claim, same durability.

Engine: ``claims`` distinct users claim one cash envelope each through
:meth:`CampaignEngine.claim_async` from ``concurrency`` concurrent asyncio clients (the way
the HTTP server calls it); latency is submit-to-durable-ack. Then 1% of the claims are
retried with their idempotency keys (a lost response) and 1% more users claim from the
exhausted drop, to check that neither grants anything new.

Raw baseline: the same claims as bare SQL on the same backend and schema, one statement
after another from one thread (DB-API, no SQLAlchemy, no engine): read the idempotency key,
count the user's grants, read and decrement the drop bucket, add to the pacing bucket,
insert the grant, two journal rows and the idempotency row, update the two cached balances;
commit every ``batch_max`` claims, with the same durability (SQLite WAL + synchronous=FULL;
PostgreSQL with fsync and synchronous_commit on).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from lantern.campaign._engine import CampaignEngine
from lantern.campaign._scenario import Scenario
from lantern.campaign.errors import BudgetExhausted, InvalidRequest
from lantern.clock import SHANGHAI, FakeClock

__all__ = ["bench_scenario", "freeze_startup_objects", "run_bench"]

BENCH_NOW = datetime(2026, 2, 13, 20, 30, tzinfo=SHANGHAI)
DROP = "bench-cash"


def freeze_startup_objects() -> None:
    """Move every object alive now (modules, classes, SQLAlchemy and pydantic machinery) out
    of the cyclic garbage collector's way (``gc.freeze``), so that its full collections scan
    only the objects created since. A server should do this once after start-up; the bench
    does it before both the raw and the engine runs (it speeds up the engine, which
    allocates more objects per claim, by about 15% here)."""
    import gc

    gc.collect()
    gc.freeze()


def bench_scenario(claims: int, campaign_id: str = "bench") -> Scenario:
    """One cash drop of ``claims`` envelopes (5 yuan on average), planned for 13 Feb."""
    total = claims * 500
    return Scenario.model_validate(
        {
            "id": campaign_id,
            "title": "claim benchmark",
            "budget_fen": total,
            "calendar": {
                "start": "2026-02-06",
                "end": "2026-02-23",
                "holiday_start": "2026-02-15",
                "holiday_end": "2026-02-23",
            },
            "pools": [{"id": "cash", "kind": "cash", "budget_fen": total}],
            "drops": [
                {
                    "id": DROP,
                    "pool": "cash",
                    "starts_at": "2026-02-13T20:00:00+08:00",
                    "ends_at": "2026-02-14T00:00:00+08:00",
                    "count": claims,
                    "total_fen": total,
                    "cap_fen": 288_800,
                }
            ],
            "pacing": {"cash": {"mode": "operator", "plan": {"2026-02-13": total}}},
        }
    )


@contextmanager
def _database(backend: str, url: str | None, workdir: Path, name: str) -> Iterator[str]:
    """A fresh database: a SQLite file, or a new schema on the PostgreSQL server."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / (name + '.db')}"
        return
    if not url:
        raise InvalidRequest("bench --backend postgresql needs --url or LANTERN_DATABASE_URL")
    import sqlalchemy

    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


async def _clients(engine: CampaignEngine, claims: int, concurrency: int) -> list[float]:
    latencies: list[float] = []
    counter = iter(range(claims))

    async def client() -> None:
        for i in counter:
            start = time.perf_counter()
            await engine.claim_async("bench", f"u{i}", drop_id=DROP, idempotency_key=f"k{i}")
            latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return latencies


def _engine_run(url: str, claims: int, concurrency: int, batch_max: int) -> dict[str, Any]:
    engine = CampaignEngine.open(url, clock=FakeClock(BENCH_NOW), batch_max=batch_max)
    try:
        engine.load(bench_scenario(claims))
        start = time.perf_counter()
        latencies = asyncio.run(_clients(engine, claims, concurrency))
        elapsed = time.perf_counter() - start
        firsts = {}
        retries = list(range(0, claims, 100))
        for i in retries:
            firsts[i] = engine.claim("bench", f"u{i}", drop_id=DROP, idempotency_key=f"k{i}")
        changed = sum(
            1
            for i in retries
            if engine.claim("bench", f"u{i}", drop_id=DROP, idempotency_key=f"k{i}") != firsts[i]
        )
        refused = 0
        for i in range(claims, claims + max(1, claims // 100)):
            try:
                engine.claim("bench", f"u{i}", drop_id=DROP, idempotency_key=f"k{i}")
            except BudgetExhausted:
                refused += 1
        report = engine.audit("bench")
        status = engine.status("bench")
        batches = sum(c.batches for c in engine._core.committers)
        pipelined = sum(getattr(c, "prepared_batches", 0) for c in engine._core.committers)
        requests = sum(c.requests for c in engine._core.committers)
    finally:
        engine.close()
    latencies.sort()
    spent = sum(p.granted_fen for p in status.pools)
    return {
        "claims_per_s": claims / elapsed,
        "latency_ms_p50": 1000 * statistics.median(latencies),
        "latency_ms_p99": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "overspend_fen": max(0, spent - status.budget_fen) + max(0, -status.remaining_fen),
        "double_grants": changed + max(0, status.grants - claims),
        "ledger_balanced": report.passed,
        "over_budget_refused": refused,
        "mean_batch": requests / max(1, batches),
        "pipelined_batches": pipelined / max(1, batches),
    }


def run_bench(
    backend: str,
    claims: int,
    *,
    url: str | None = None,
    concurrency: int = 256,
    batch_max: int = 100,
    http: bool = False,
    repeats: int = 3,
) -> dict[str, Any]:
    """Run the raw baseline and the engine ``repeats`` times, alternating (the machine's
    load drifts), and report the medians; safety figures cover every run."""
    from lantern.campaign._bench_raw import raw_claims

    if backend not in ("sqlite", "postgresql"):
        raise InvalidRequest(f"--backend must be sqlite or postgresql, got {backend!r}")
    if backend == "postgresql" and not (url or "").startswith("postgresql"):
        raise InvalidRequest(
            "bench --backend postgresql needs --url or LANTERN_DATABASE_URL "
            "set to a postgresql+psycopg:// URL"
        )
    if not 100 <= claims <= 10_000_000:
        raise InvalidRequest(f"--claims must be 100 to 10000000, got {claims}")
    if not 1 <= repeats <= 20:
        raise InvalidRequest(f"--repeats must be 1 to 20, got {repeats}")
    from lantern.campaign import _pipeline, _store  # noqa: F401  (imported before the freeze)

    freeze_startup_objects()
    raws: list[float] = []
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="lantern-bench-") as tmp:
        work = Path(tmp)
        for i in range(repeats):
            with _database(backend, url, work, f"raw{i}") as raw_url:
                CampaignEngine.open(raw_url).close()  # schema only
                raws.append(raw_claims(raw_url, bench_scenario(claims), BENCH_NOW, batch_max))
            with _database(backend, url, work, f"engine{i}") as engine_url:
                runs.append(_engine_run(engine_url, claims, concurrency, batch_max))
        runs.sort(key=lambda r: float(r["claims_per_s"]))
        median = runs[len(runs) // 2]
        out: dict[str, Any] = {
            "backend": backend,
            "claims": claims,
            "concurrency": concurrency,
            "batch_max": batch_max,
            "repeats": repeats,
            **median,
            "raw_claims_per_s": statistics.median(raws),
            "engine_runs_claims_per_s": [round(r["claims_per_s"]) for r in runs],
            "raw_runs_claims_per_s": [round(r) for r in raws],
            "overspend_fen": max(r["overspend_fen"] for r in runs),
            "double_grants": sum(r["double_grants"] for r in runs),
            "ledger_balanced": all(r["ledger_balanced"] for r in runs),
        }
        out["ratio_to_raw"] = out["claims_per_s"] / out["raw_claims_per_s"]
        if http:
            out.update(_http(backend, url, work, claims))
    return out


def _http(backend: str, url: str | None, work: Path, claims: int) -> dict[str, Any]:
    try:
        from lantern.campaign import _bench_http
    except ImportError as exc:
        raise InvalidRequest(
            "bench --http needs lantern.campaign._bench_http (the HTTP half of the benchmark), "
            "which is not installed in this checkout"
        ) from exc
    with _database(backend, url, work, "http") as http_url:
        result: dict[str, Any] = _bench_http.run_http_bench(http_url, claims)
    return result
