"""Operator routes: key required, campaigns, drops, pacing, freeze, audit; OpenAPI served."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from lantern.api import create_app
from tests.unit.api.api_support import CAMPAIGN, OPERATOR_KEY, Api, make_settings, scenario_data


def test_operator_key_required(api: Api) -> None:
    """Without (or with a wrong) X-Operator-Key, operator routes answer 401; a user token
    is not an operator key."""
    for headers in ({}, {"X-Operator-Key": "wrong-key-0123456789"}, api.user("alice")):
        response = api.client.get("/v1/campaigns", headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == "OPERATOR_KEY_REQUIRED"
        assert "X-Operator-Key" in response.headers["www-authenticate"]


def test_campaign_views(api: Api) -> None:
    """List, status, drops, pacing and audit describe the loaded campaign."""
    assert api.claim("alice", "k", drop_id="cash-1").status_code == 201
    listed = api.client.get("/v1/campaigns", headers=api.operator).json()
    assert [c["campaign_id"] for c in listed] == [CAMPAIGN]
    status = api.client.get(f"/v1/campaigns/{CAMPAIGN}", headers=api.operator).json()
    assert status["grants"] == 1
    drops = api.client.get(f"/v1/campaigns/{CAMPAIGN}/drops", headers=api.operator).json()
    assert [d["id"] for d in drops] == ["cash-1", "food-1"]
    pacing = api.client.get(f"/v1/campaigns/{CAMPAIGN}/pacing", headers=api.operator).json()
    assert {p["pool"] for p in pacing["pools"]} == {"cash", "food"}
    audit = api.client.get(f"/v1/campaigns/{CAMPAIGN}/audit", headers=api.operator).json()
    assert audit["passed"] is True
    assert audit["checks"]
    missing = api.client.get("/v1/campaigns/nope", headers=api.operator)
    assert (missing.status_code, missing.json()["code"]) == (404, "NOT_FOUND")


def test_freeze_stops_claims_until_unfrozen(api: Api) -> None:
    """A frozen campaign answers 423 CAMPAIGN_FROZEN and grants nothing until unfrozen."""
    op = {**api.operator, "Idempotency-Key": "f1"}
    path = f"/v1/campaigns/{CAMPAIGN}/freeze"
    frozen = api.client.post(path, json={"reason": "drill"}, headers=op)
    assert frozen.json()["frozen"] is True
    refused = api.claim("alice", "k", drop_id="cash-1")
    assert (refused.status_code, refused.json()["code"]) == (423, "CAMPAIGN_FROZEN")
    assert api.engine.status(CAMPAIGN).grants == 0
    op["Idempotency-Key"] = "u1"
    assert api.client.post(f"/v1/campaigns/{CAMPAIGN}/unfreeze", headers=op).status_code == 200
    assert api.claim("alice", "k2", drop_id="cash-1").status_code == 201


def test_create_campaign(api: Api) -> None:
    """A scenario document loads as a new campaign; a broken one is 422 naming the field."""
    data: dict[str, Any] = {**scenario_data(), "id": "second"}
    created = api.client.post("/v1/campaigns", json={"scenario": data}, headers=api.operator)
    assert created.status_code == 201, created.text
    assert created.json()["campaign_id"] == "second"
    broken = {**data, "id": "third", "budget_fen": -1}
    refused = api.client.post("/v1/campaigns", json={"scenario": broken}, headers=api.operator)
    assert refused.status_code == 422
    assert "budget_fen" in refused.json()["detail"]
    both = api.client.post(
        "/v1/campaigns", json={"scenario": data, "builtin": "x"}, headers=api.operator
    )
    assert both.status_code == 422


def test_openapi_lists_routes_and_problems(api: Api) -> None:
    """/openapi.json documents every campaign route, the problem responses and the schemes."""
    spec = api.client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/v1/campaigns/{campaign_id}/claims",
        "/v1/me/wallet",
        "/v1/me/envelopes",
        "/v1/campaigns",
        "/v1/campaigns/{campaign_id}/freeze",
        "/v1/campaigns/{campaign_id}/pacing",
        "/v1/campaigns/{campaign_id}/audit",
    ):
        assert path in paths
    claim = paths["/v1/campaigns/{campaign_id}/claims"]["post"]
    assert {"201", "401", "409", "429"} <= set(claim["responses"])
    assert "application/problem+json" in claim["responses"]["409"]["content"]
    assert [p["name"] for p in claim["parameters"]] == ["campaign_id", "Idempotency-Key"]
    assert "ClaimBody" in str(claim["requestBody"]) or "drop_id" in str(claim["requestBody"])
    assert {"UserToken", "OperatorKey"} <= set(spec["components"]["securitySchemes"])


def test_lifespan_opens_the_engine_from_settings(tmp_path: Path) -> None:
    """Without a ready engine the app opens one on LANTERN_DATABASE_URL at start-up (schema
    migrated, nothing loaded yet)."""
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        listed = client.get("/v1/campaigns", headers={"X-Operator-Key": OPERATOR_KEY})
        assert (listed.status_code, listed.json()) == (200, [])
    assert (tmp_path / "api.db").exists()
