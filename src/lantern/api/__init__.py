"""The platform's HTTP API (FastAPI): one app, a router per engine."""

from lantern.api.app import create_app

__all__ = ["create_app"]
