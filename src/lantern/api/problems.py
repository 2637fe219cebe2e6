"""RFC 9457 problem+json responses for every Lantern error.

A :class:`~lantern.errors.LanternError` becomes ``{"type", "title", "status", "detail",
"code"}`` with the error's stable ``code``; request-validation failures become
``INVALID_INPUT`` with the offending fields listed.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from lantern.errors import LanternError

__all__ = ["PROBLEM_JSON", "install_problem_handlers", "problem_response"]

PROBLEM_JSON = "application/problem+json"


def problem_response(
    status: int, code: str, detail: str, *, extra: dict[str, Any] | None = None
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
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


async def _lantern_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LanternError)
    return problem_response(exc.http_status, exc.code, exc.message)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(err.get("loc", ())), "msg": str(err.get("msg", ""))} for err in exc.errors()
    ]
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
    return problem_response(422, "INVALID_INPUT", detail, extra={"errors": errors})


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
    status = exc.status_code
    return problem_response(status, code.get(status, "HTTP_ERROR"), str(exc.detail))


def install_problem_handlers(app: FastAPI) -> None:
    """Map Lantern errors, validation errors and HTTP errors to problem+json."""
    app.add_exception_handler(LanternError, _lantern_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
