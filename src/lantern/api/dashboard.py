"""The live dashboard (``/``) and the drill routes it polls, plus one call to mount them all.

The page (``lantern/api/static``: plain HTML, JS and CSS, no build step, no CDN) draws the
Hangzhou road network from ``/v1/fleet/roads`` on a canvas, moves the vans from
``/v1/drill/state``, charts budget burn, the order funnel and cluster utilisation, and has a
chat panel that posts to the assistant's ``POST /v1/chat`` (server-sent events).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from lantern.api.fleet import current_replay

__all__ = ["STATIC_DIR", "install_drill_routes", "router"]

STATIC_DIR = Path(str(resources.files("lantern.api").joinpath("static")))

router = APIRouter(tags=["drill"])


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    """The dashboard page."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html")


@router.get("/v1/drill/state")
def drill_state(request: Request) -> dict[str, Any]:
    """The replayed drill now: minute, clock time, vans, running totals, spend, cluster."""
    return current_replay(request).state()


@router.get("/v1/drill/meta")
def drill_meta(request: Request) -> dict[str, Any]:
    """The replayed drill's fixed data: window, summary, series, plan, deliveries."""
    return current_replay(request).meta()


def install_drill_routes(app: FastAPI) -> FastAPI:
    """Mount fleet, compute, drill, dashboard and ``/metrics`` on ``app`` (once)."""
    if getattr(app.state, "drill_routes_installed", False):
        return app
    from lantern.api import compute, fleet
    from lantern.api.metrics import install_metrics

    app.state.drill_routes_installed = True
    app.state.drill_replay = getattr(app.state, "drill_replay", None)
    install_metrics(app)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.include_router(fleet.router)
    app.include_router(compute.router)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
