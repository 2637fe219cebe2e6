"""RFC 9457 problem+json responses for every Lantern error.

A :class:`~lantern.errors.LanternError` becomes ``{"type", "title", "status", "detail",
"code"}`` with the error's stable ``code``; a body that is not JSON becomes
``400 MALFORMED_JSON``; request-validation failures become ``422 INVALID_INPUT`` with the
offending fields listed; ``429 RATE_LIMITED`` carries a ``Retry-After`` header. Routes
document their problem responses in OpenAPI with :func:`problem_responses`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from lantern.api.errors import ApiError
from lantern.errors import LanternError
from lantern.logs import get_logger

__all__ = [
    "PROBLEM_JSON",
    "Problem",
    "install_problem_handlers",
    "problem_response",
    "problem_responses",
]

PROBLEM_JSON = "application/problem+json"
_log = get_logger("api")

_STATUS_CODES: dict[int, str] = {
    400: "MALFORMED_JSON or IDEMPOTENCY_KEY_MISSING",
    401: "UNAUTHORIZED or OPERATOR_KEY_REQUIRED",
    403: "FORBIDDEN",
    404: "NOT_FOUND (or the engine's not-found codes)",
    409: "IDEMPOTENCY_CONFLICT, BUDGET_EXHAUSTED, QUOTA_EXCEEDED, CAMPAIGN_NOT_ACTIVE ...",
    422: "INVALID_INPUT",
    429: "RATE_LIMITED (see Retry-After)",
}


class Problem(BaseModel):
    """An RFC 9457 problem detail with Lantern's stable ``code``."""

    type: str = Field(examples=["https://lantern.dev/problems/budget-exhausted"])
    title: str = Field(examples=["Budget exhausted"])
    status: int = Field(examples=[409])
    detail: str = Field(examples=["the cash pool of drop nye-midnight is empty"])
    code: str = Field(examples=["BUDGET_EXHAUSTED"])


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries documenting problem+json answers for ``statuses``."""
    return {
        status: {
            "model": Problem,
            "content": {PROBLEM_JSON: {}},
            "description": f"problem+json; code: {_STATUS_CODES.get(status, 'see detail')}",
        }
        for status in statuses
    }


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    extra: dict[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response with a stable ``code``."""
    body: dict[str, Any] = {
        "type": f"https://lantern.dev/problems/{code.lower().replace('_', '-')}",
        "title": code.replace("_", " ").capitalize(),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


# The API's contract for codes whose HTTP status it fixes, whatever an engine declares:
# a reused idempotency key with another payload is a conflict with earlier state (409).
_STATUS_OF_CODE: dict[str, int] = {"IDEMPOTENCY_CONFLICT": 409}


async def _lantern_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LanternError)
    headers = exc.response_headers() if isinstance(exc, ApiError) else None
    status = _STATUS_OF_CODE.get(exc.code, exc.http_status)
    return problem_response(status, exc.code, exc.message, headers=headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    raw = exc.errors()
    if any(err.get("type") == "json_invalid" for err in raw):
        return problem_response(
            400, "MALFORMED_JSON", "the request body is not valid JSON; send a JSON object"
        )
    errors = [{"loc": list(err.get("loc", ())), "msg": str(err.get("msg", ""))} for err in raw]
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
    return problem_response(422, "INVALID_INPUT", detail, extra={"errors": errors})


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
    status = exc.status_code
    return problem_response(
        status, code.get(status, "HTTP_ERROR"), str(exc.detail), headers=exc.headers
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    _log.error("unhandled error", path=request.url.path, error=repr(exc))
    return problem_response(500, "INTERNAL_ERROR", "an unexpected error; it has been logged")


def install_problem_handlers(app: FastAPI) -> None:
    """Map Lantern errors, validation errors and HTTP errors to problem+json."""
    app.add_exception_handler(LanternError, _lantern_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
