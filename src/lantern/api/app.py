"""The FastAPI application factory.

Each engine contributes a router module in this package: ``create_app`` mounts the campaign,
commerce and chat routers (the drill's fleet, compute, metrics and dashboard routes are
added by ``lantern.api.dashboard.install_drill_routes``), installs the problem+json
handlers and serves OpenAPI at ``/openapi.json``. The campaign engine is opened once per
app, in the lifespan, from ``LANTERN_DATABASE_URL`` (or handed in ready-made by tests and
benchmarks), and closed at shutdown.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import anyio.to_thread
from fastapi import FastAPI

from lantern import __version__
from lantern.api.auth import resolve_secrets
from lantern.api.problems import install_problem_handlers
from lantern.api.ratelimit import InProcessRateLimiter, RateLimiter, RedisRateLimiter
from lantern.settings import Settings

if TYPE_CHECKING:
    from lantern.campaign import CampaignEngine

__all__ = [
    "GC_THRESHOLDS",
    "THREADPOOL_TOKENS",
    "create_app",
    "default_rate_limiter",
    "server_app",
]

THREADPOOL_TOKENS = 128
"""Worker threads for blocking calls (engine reads such as wallets and audits, operator
calls). Claims, reservations and payments do not use them: they await the engine's
group committer directly."""

GC_THRESHOLDS = (20_000, 20, 20)
"""The garbage collector's thresholds in server processes (Python's default: 700, 10, 10).
A claim leaves a few long-lived objects behind (the committer's cached rows, histories and
idempotency results), so with the default a young collection ran every few dozen claims and
the older generations were walked again and again: 20-33 µs of stopped-the-world time per claim
(measured with ``gc.callbacks`` over 20,000 engine claims), against 1-4 µs with these.
Young cycles (an exception and its traceback) are still collected within a few thousand
requests; the oldest generation is still collected, only less often."""


def default_rate_limiter(settings: Settings) -> RateLimiter:
    """A token bucket per user at ``rate_limit_per_user_per_s`` with a burst of twice that:
    in Redis when ``settings.redis_url`` (``LANTERN_REDIS_URL``) is set, so that several
    server processes share the buckets, else in this process's memory."""
    rate = settings.rate_limit_per_user_per_s
    burst = max(1, int(2 * rate))
    redis_url = settings.redis_url
    if redis_url:
        return RedisRateLimiter.from_url(redis_url, rate_per_s=rate, burst=burst)
    return InProcessRateLimiter(rate, burst=burst)


def create_app(
    settings: Settings | None = None,
    *,
    campaign_engine: CampaignEngine | None = None,
    engine_factory: Callable[[Settings], CampaignEngine] | None = None,
    rate_limiter: RateLimiter | None = None,
    freeze_gc: bool = False,
) -> FastAPI:
    """Build the app from validated settings (read from the environment when not given).

    ``campaign_engine``: an engine the caller owns (not closed by the app); otherwise the
    lifespan opens one with ``engine_factory(settings)`` (default: ``CampaignEngine.open`` on
    ``settings.database_url``) and closes it at shutdown.
    ``rate_limiter``: by default :func:`default_rate_limiter`; closed at shutdown.
    ``freeze_gc``: after start-up, move every object alive then (modules, the engine) out of
    the garbage collector's reach (:func:`gc.freeze`), so that full collections scan only
    what requests allocate: without it each full collection walks the whole heap and stalls
    the event loop for tens of milliseconds (hundreds on the loaded 2-core machine). For
    server processes (:func:`server_app`); tests leave it off. It also raises the
    collector's thresholds to :data:`GC_THRESHOLDS`.
    """
    from lantern.api import campaign, campaign_ops, chat, commerce
    from lantern.settings import get_settings

    settings = settings or get_settings()
    secrets = resolve_secrets(settings)
    limiter = rate_limiter or default_rate_limiter(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADPOOL_TOKENS
        engine = campaign_engine
        if engine is None:
            engine = await anyio.to_thread.run_sync(
                engine_factory or campaign.open_engine, settings
            )
        app.state.campaign_engine = engine
        if freeze_gc:
            gc.collect()
            gc.freeze()
            gc.set_threshold(*GC_THRESHOLDS)
        try:
            yield
        finally:
            if campaign_engine is None:
                await anyio.to_thread.run_sync(engine.close)
            await limiter.aclose()

    app = FastAPI(
        title="Lantern",
        version=__version__,
        lifespan=lifespan,
        # FastAPI's native OpenTelemetry hooks cost a provider lookup per request; Lantern
        # logs with structlog and exports no traces.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        description="Lantern platform API. Errors are RFC 9457 problem+json with a stable "
        "`code`. User endpoints take a per-user bearer token; operator endpoints take "
        "`X-Operator-Key`.",
    )
    app.state.settings = settings
    app.state.secrets = secrets
    app.state.signer = secrets.signer()
    app.state.rate_limiter = limiter
    install_problem_handlers(app)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        """Liveness; a constant JSON body (also the HTTP benchmark's ceiling endpoint)."""
        return {"status": "ok"}

    campaign.add_claim_route(app)
    app.include_router(campaign.router)
    app.include_router(campaign_ops.router)
    app.include_router(commerce.router)
    app.include_router(chat.router)
    return app


def server_app() -> FastAPI:
    """The app factory for a server process (``granian --factory lantern.api:server_app``):
    settings from the environment, garbage collector frozen after start-up."""
    return create_app(freeze_gc=True)
