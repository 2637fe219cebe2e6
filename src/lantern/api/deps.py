"""Request dependencies: the engine opened by the lifespan, the caller, the operator.

All of them are ``async`` and cheap (an HMAC and a dict lookup), so they run on the event
loop; only the engine's blocking calls go to the threadpool.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from lantern.api.auth import ApiSecrets, TokenSigner, operator_key_matches
from lantern.api.errors import OperatorKeyRequired, RateLimited, Unauthorized
from lantern.api.ratelimit import RateLimiter

__all__ = ["CurrentUser", "Operator", "authenticate", "current_user", "require_operator"]

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="UserToken",
    description="Per-user token: `Authorization: Bearer lt1....` (mint_user_token).",
)
_operator_key = APIKeyHeader(
    name="X-Operator-Key",
    auto_error=False,
    scheme_name="OperatorKey",
    description="The operator key (LANTERN_OPERATOR_KEY).",
)


def _state(request: Request, name: str) -> Any:
    return getattr(request.app.state, name)


async def authenticate(request: Request, authorization: str | None) -> str:
    """The user a ``Bearer`` Authorization header names, after taking a token from the
    user's rate-limit bucket (:class:`RateLimited` when it is empty)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send `Authorization: Bearer <token>`; mint one with mint_user_token")
    signer: TokenSigner = _state(request, "signer")
    user_id = signer.verify(token.strip())
    limiter: RateLimiter = _state(request, "rate_limiter")
    wait_s = await limiter.acquire(user_id)
    if wait_s > 0:
        raise RateLimited(
            f"user {user_id} sent too many requests; retry in {wait_s:.2f} s",
            retry_after_s=wait_s,
        )
    return user_id


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> str:
    """Dependency: the authenticated, rate-limited caller (see :func:`authenticate`)."""
    if credentials is None:
        return await authenticate(request, None)
    return await authenticate(request, f"{credentials.scheme} {credentials.credentials}")


async def require_operator(
    request: Request, key: Annotated[str | None, Security(_operator_key)]
) -> None:
    """Admit the request only with the right ``X-Operator-Key``."""
    secrets: ApiSecrets = _state(request, "secrets")
    if not operator_key_matches(key, secrets.operator_key):
        raise OperatorKeyRequired(
            "operator endpoints need the X-Operator-Key header (LANTERN_OPERATOR_KEY)"
        )


CurrentUser = Annotated[str, Depends(current_user)]
Operator = Depends(require_operator)
