"""The FastAPI application factory.

Each engine contributes a router module in this package (``lantern.api.campaign`` ...);
``create_app`` mounts them, installs the problem+json handlers and serves OpenAPI.
"""

from __future__ import annotations

from fastapi import FastAPI

from lantern import __version__
from lantern.api.problems import install_problem_handlers
from lantern.settings import Settings

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app from validated settings (read from the environment when not given)."""
    from lantern.settings import get_settings

    settings = settings or get_settings()
    app = FastAPI(title="Lantern", version=__version__)
    app.state.settings = settings
    install_problem_handlers(app)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
