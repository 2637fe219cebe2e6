"""The HTTP chat endpoint (JSON and server-sent events) and the commerce routes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from lantern.api import chat, commerce
from lantern.api.app import create_app
from lantern.assistant import Agent, BackendReply, SessionStore
from lantern.commerce import SearchQuery
from lantern.settings import Settings
from tests.unit.assistant.stack import ScriptedBackend, Stack, call, stack


def _app(st: Stack, tmp_path: Path, backend: ScriptedBackend) -> FastAPI:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'lantern.db'}",
        data_dir=tmp_path,
        token_secret=SecretStr("t" * 32),
        operator_key=SecretStr("o" * 32),
        rate_limit_per_user_per_s=1000,
    )
    app = create_app(settings, campaign_engine=st.engine)
    paths = {getattr(route, "path", "") for route in app.routes}
    for module, path in ((commerce, "/v1/offers"), (chat, "/v1/chat")):
        if path not in paths:
            app.include_router(module.router)
    app.state.commerce = st.commerce
    app.state.chat = chat.ChatService(Agent(backend, st.tools), SessionStore())
    return app


@pytest.fixture
def st(tmp_path: Path) -> Iterator[Stack]:
    with stack(tmp_path) as running:
        yield running


def _auth(app: FastAPI, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {app.state.signer.mint(user)}"}


def _events(body: str) -> list[tuple[str, dict[str, object]]]:
    out = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        out.append((lines["event"], json.loads(lines["data"])))
    return out


def test_chat_needs_a_token(st: Stack, tmp_path: Path) -> None:
    """Without a bearer token the endpoint answers 401 problem+json."""
    app = _app(st, tmp_path, ScriptedBackend())
    with TestClient(app) as client:
        response = client.post("/v1/chat", json={"message": "hi"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_json_turns_confirm_and_order(st: Stack, tmp_path: Path) -> None:
    """Over HTTP: claim, propose an order, confirm in the same session; the order is the
    token's user's and is paid by the red envelope."""
    offer_id = st.commerce.search(SearchQuery(text="milk tea", with_red_envelope=True, limit=1))[
        0
    ].offer.offer_id
    backend = ScriptedBackend(
        [
            call("claim_red_envelope"),
            BackendReply(content="claimed"),
            call("place_order", offer_id=offer_id),
        ]
    )
    app = _app(st, tmp_path, backend)
    with TestClient(app) as client:
        first = client.post("/v1/chat", json={"message": "claim"}, headers=_auth(app, "alice"))
        sid = first.json()["session_id"]
        proposal = client.post(
            "/v1/chat", json={"message": "order it", "session_id": sid}, headers=_auth(app, "alice")
        ).json()
        assert proposal["pending"] == {"tool": "place_order", "offer_id": offer_id, "quantity": 1}
        # bob cannot confirm alice's proposal with her session id
        bob = client.post(
            "/v1/chat", json={"message": "yes", "session_id": sid}, headers=_auth(app, "bob")
        ).json()
        assert bob["tool_calls"] == []
        done = client.post(
            "/v1/chat", json={"message": "yes", "session_id": sid}, headers=_auth(app, "alice")
        ).json()
        orders = client.get("/v1/orders", headers=_auth(app, "alice")).json()["orders"]
        assert client.get("/v1/orders", headers=_auth(app, "bob")).json()["orders"] == []
        other = client.get(f"/v1/orders/{orders[0]['order_id']}", headers=_auth(app, "bob"))
    assert first.json()["reply"] == "claimed"
    assert done["tool_calls"][0]["result"]["order_id"] == orders[0]["order_id"]
    assert orders[0]["voucher_fen"] == orders[0]["total_fen"]
    assert other.status_code == 403
    assert other.json()["code"] == "NOT_YOUR_ORDER"
    assert st.audit_passes()


def test_streamed_turn_is_server_sent_events(st: Stack, tmp_path: Path) -> None:
    """With stream=true the answer is text/event-stream: session, tool call, result, text,
    done, each a JSON data line."""
    backend = ScriptedBackend([call("campaign_status"), BackendReply(content="running")])
    app = _app(st, tmp_path, backend)
    with TestClient(app) as client:
        response = client.post(
            "/v1/chat", json={"message": "campaign?", "stream": True}, headers=_auth(app, "alice")
        )
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    assert [name for name, _ in events] == ["session", "tool_call", "tool_result", "text", "done"]
    assert events[2][1]["state"] == "active"
    assert events[-1][1]["reply"] == "running"


def test_commerce_routes_search_and_idempotent_orders(st: Stack, tmp_path: Path) -> None:
    """Search is public; placing an order needs a token and an Idempotency-Key, a retry with
    the same key returns the same order, and an order on its way cannot be cancelled."""
    app = _app(st, tmp_path, ScriptedBackend())
    with TestClient(app) as client:
        found = client.get("/v1/offers", params={"q": "奶茶", "near": "West Lake", "limit": 3})
        offer = found.json()["offers"][0]
        assert client.get(f"/v1/offers/{offer['offer_id']}").json()["name_zh"] == offer["name_zh"]
        assert client.get("/v1/offers/OF-99999").json()["code"] == "OFFER_NOT_FOUND"
        headers = {**_auth(app, "carol"), "Idempotency-Key": "order-1"}
        body = {"offer_id": offer["offer_id"], "quantity": 1}
        missing_key = client.post("/v1/orders", json=body, headers=_auth(app, "carol"))
        one = client.post("/v1/orders", json=body, headers=headers)
        two = client.post("/v1/orders", json=body, headers=headers)
        cancelled = client.post(
            f"/v1/orders/{one.json()['order_id']}/cancel", headers=_auth(app, "carol")
        )
    assert len(found.json()["offers"]) == 3
    assert missing_key.status_code in (400, 422, 428)
    assert one.status_code == 201
    assert one.json()["order_id"] == two.json()["order_id"]
    assert cancelled.status_code == 409  # already handed to a robovan
    assert cancelled.json()["code"] == "INVALID_STATE"


def test_offer_search_refuses_an_unknown_landmark(st: Stack, tmp_path: Path) -> None:
    """near=<no landmark> answers 422 UNKNOWN_LANDMARK rather than unfiltered results."""
    app = _app(st, tmp_path, ScriptedBackend())
    with TestClient(app) as client:
        answer = client.get("/v1/offers", params={"q": "tea", "near": "Atlantis"})
    assert answer.status_code == 422
    assert answer.json()["code"] == "UNKNOWN_LANDMARK"
    assert "west lake" in answer.json()["detail"]


def test_offer_search_takes_a_category_in_any_case(st: Stack, tmp_path: Path) -> None:
    """GET /v1/offers?category=Gastronomy filters like the lower-case value (the CLI and the
    engine already take any case); an unknown category is a 422 problem naming the choices."""
    app = _app(st, tmp_path, ScriptedBackend())
    with TestClient(app) as client:
        upper = client.get("/v1/offers", params={"category": "Gastronomy", "limit": 5})
        lower = client.get("/v1/offers", params={"category": "gastronomy", "limit": 5})
        wrong = client.get("/v1/offers", params={"category": "shopping"})
    assert upper.status_code == 200
    assert upper.json() == lower.json()
    assert upper.json()["offers"]
    assert all(o["category"] == "gastronomy" for o in upper.json()["offers"])
    assert wrong.status_code == 422
    assert "gastronomy" in wrong.text
