"""The platform's HTTP API (FastAPI): one app, a router per engine.

Public API::

    from lantern.api import create_app, mint_user_token

    app = create_app()                      # settings from LANTERN_* variables
    token = mint_user_token("u000042")      # Authorization: Bearer <token>

See docs/api.md for the routes, the error codes, authentication and the benchmark.
"""

from lantern.api.app import create_app, server_app
from lantern.api.auth import ApiSecrets, TokenSigner, mint_user_token, resolve_secrets
from lantern.api.errors import (
    ApiError,
    IdempotencyKeyMissing,
    MalformedJson,
    OperatorKeyRequired,
    RateLimited,
    Unauthorized,
)
from lantern.api.ratelimit import InProcessRateLimiter, RateLimiter, RedisRateLimiter

__all__ = [
    "ApiError",
    "ApiSecrets",
    "IdempotencyKeyMissing",
    "InProcessRateLimiter",
    "MalformedJson",
    "OperatorKeyRequired",
    "RateLimited",
    "RateLimiter",
    "RedisRateLimiter",
    "TokenSigner",
    "Unauthorized",
    "create_app",
    "mint_user_token",
    "resolve_secrets",
    "server_app",
]
