"""Every error leaves the API as RFC 9457 problem+json with a stable code."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from lantern.api.errors import RateLimited
from lantern.api.problems import PROBLEM_JSON, install_problem_handlers, problem_responses
from lantern.errors import Conflict


class _Body(BaseModel):
    amount_fen: int = Field(gt=0)


def _client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/echo", responses=problem_responses(400, 422))
    async def echo(body: _Body) -> dict[str, int]:
        return {"amount_fen": body.amount_fen}

    @app.get("/busy")
    async def busy() -> None:
        raise RateLimited("slow down", retry_after_s=0.2)

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("already there")

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    return TestClient(app, raise_server_exceptions=False)


def test_malformed_json_is_400() -> None:
    """A body that is not JSON is MALFORMED_JSON, not a generic validation error."""
    response = _client().post(
        "/echo", content=b'{"amount_fen": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["code"] == "MALFORMED_JSON"


def test_validation_error_lists_fields() -> None:
    """A well-formed body with a bad field is 422 INVALID_INPUT naming the field."""
    response = _client().post("/echo", json={"amount_fen": -5})
    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "INVALID_INPUT"
    assert body["errors"][0]["loc"] == ["body", "amount_fen"]
    assert "amount_fen" in body["detail"]


def test_lantern_errors_keep_code_and_status() -> None:
    """A LanternError maps to its own status and code; RATE_LIMITED carries Retry-After."""
    client = _client()
    conflict = client.get("/conflict")
    assert (conflict.status_code, conflict.json()["code"]) == (409, "CONFLICT")
    busy = client.get("/busy")
    assert (busy.status_code, busy.json()["code"]) == (429, "RATE_LIMITED")
    assert busy.headers["retry-after"] == "1"


def test_unknown_route_and_crash_are_problems() -> None:
    """404s and unexpected exceptions also answer problem+json (500 INTERNAL_ERROR)."""
    client = _client()
    missing = client.get("/nowhere")
    assert (missing.status_code, missing.json()["code"]) == (404, "NOT_FOUND")
    crash = client.get("/boom")
    assert (crash.status_code, crash.json()["code"]) == (500, "INTERNAL_ERROR")
    assert "secret internals" not in crash.json()["detail"]
