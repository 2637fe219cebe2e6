"""Errors raised by the HTTP edge itself (not by an engine).

Engine errors (``BUDGET_EXHAUSTED``, ``QUOTA_EXCEEDED`` ...) pass through unchanged; these
cover what only the edge can see: credentials, request framing and load shedding.

    LanternError
    ├── InvalidInput                       (422 INVALID_INPUT)
    │   ├── MalformedJson                  (400 MALFORMED_JSON)
    │   └── IdempotencyKeyMissing          (400 IDEMPOTENCY_KEY_MISSING)
    └── ApiError
        ├── Unauthorized                   (401 UNAUTHORIZED: no or bad bearer token)
        ├── OperatorKeyRequired            (401 OPERATOR_KEY_REQUIRED)
        └── RateLimited                    (429 RATE_LIMITED, with ``retry_after_s``)
"""

from __future__ import annotations

import math

from lantern.errors import InvalidInput, LanternError

__all__ = [
    "ApiError",
    "IdempotencyKeyMissing",
    "MalformedJson",
    "OperatorKeyRequired",
    "RateLimited",
    "Unauthorized",
]


class ApiError(LanternError):
    """An error only the HTTP edge can detect."""

    code = "API_ERROR"
    http_status = 400

    def response_headers(self) -> dict[str, str]:
        """Headers the problem response carries (RFC 9110: 401 names its scheme)."""
        return {}


class MalformedJson(InvalidInput):
    """The request body is not valid JSON."""

    code = "MALFORMED_JSON"
    http_status = 400


class IdempotencyKeyMissing(InvalidInput):
    """A mutating request came without an ``Idempotency-Key`` header."""

    code = "IDEMPOTENCY_KEY_MISSING"
    http_status = 400


class Unauthorized(ApiError):
    """No bearer token, or one that is malformed, forged or expired."""

    code = "UNAUTHORIZED"
    http_status = 401

    def response_headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="lantern"'}


class OperatorKeyRequired(ApiError):
    """An operator endpoint was called without the right ``X-Operator-Key``."""

    code = "OPERATOR_KEY_REQUIRED"
    http_status = 401

    def response_headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'ApiKey realm="lantern-operator", header="X-Operator-Key"'}


class RateLimited(ApiError):
    """The caller sent more requests than its token bucket allows."""

    code = "RATE_LIMITED"
    http_status = 429

    def __init__(self, message: str, *, retry_after_s: float) -> None:
        super().__init__(message)
        assert retry_after_s >= 0
        self.retry_after_s = retry_after_s

    @property
    def retry_after_header(self) -> str:
        """Whole seconds for the ``Retry-After`` header (at least 1)."""
        return str(max(1, math.ceil(self.retry_after_s)))

    def response_headers(self) -> dict[str, str]:
        return {"Retry-After": self.retry_after_header}
