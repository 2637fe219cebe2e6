"""End to end over a socket: the real server process, the embedded router, SSE.

A campaign running today hands out 50-yuan entertainment vouchers; a user chats in Chinese
over ``POST /v1/chat`` with ``stream: true`` (claim -> search cinema tickets -> choose ->
confirm -> track); the ticket is paid by the voucher and the ledger audit passes.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from lantern.api._server import serve_in_subprocess
from lantern.api.auth import mint_user_token
from lantern.campaign import CampaignEngine, Scenario
from lantern.clock import SHANGHAI
from lantern.settings import Settings

SECRET = "assistant-e2e-token-secret-0123"


def _fun_voucher_campaign() -> Scenario:
    today = datetime.now(SHANGHAI).date()
    start, end = today - timedelta(days=1), today + timedelta(days=1)
    opens = datetime.combine(start, datetime.min.time(), tzinfo=SHANGHAI)
    closes = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=SHANGHAI)
    data: dict[str, Any] = {
        "id": "fun-now", "title": "Fun vouchers", "budget_fen": 1_000_000,
        "calendar": {"start": start.isoformat(), "end": end.isoformat(),
                     "holiday_start": start.isoformat(), "holiday_end": end.isoformat()},
        "pools": [{"id": "fun", "kind": "voucher", "category": "entertainment",
                   "budget_fen": 1_000_000}],
        "templates": [{"id": "fun-50", "category": "entertainment", "value_fen": 5_000}],
        "drops": [{"id": "fun-1", "pool": "fun", "starts_at": opens.isoformat(),
                   "ends_at": closes.isoformat(), "count": 100, "total_fen": 500_000,
                   "template": "fun-50"}],
        "pacing": {"fun": {"mode": "even"}},
    }  # fmt: skip
    return Scenario.model_validate(data)


def _sse(
    client: httpx.Client, auth: dict[str, str], message: str, session_id: str | None
) -> list[tuple[str, dict[str, Any]]]:
    body = {"message": message, "session_id": session_id, "stream": True}
    events = []
    with client.stream("POST", "/v1/chat", json=body, headers=auth) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        name = ""
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.append((name, json.loads(line[6:])))
    return events


@pytest.mark.slow
def test_chat_over_a_socket_books_a_ticket_with_the_voucher(tmp_path: Path) -> None:
    """Five streamed turns through granian on 127.0.0.1 book a cinema ticket paid by the
    entertainment voucher; the order and the ledger agree afterwards."""
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    with CampaignEngine.open(url) as engine:
        engine.load(_fun_voucher_campaign())
    env = {
        "LANTERN_DATABASE_URL": url,
        "LANTERN_DATA_DIR": str(tmp_path),
        "LANTERN_TOKEN_SECRET": SECRET,
        "LANTERN_OPERATOR_KEY": "o" * 24,
        "LANTERN_LLM_BASE_URL": "",
    }
    settings = Settings(data_dir=tmp_path, token_secret=SecretStr(SECRET))
    auth = {"Authorization": f"Bearer {mint_user_token('mei', settings=settings)}"}
    tools: list[list[str]] = []
    with (
        serve_in_subprocess("lantern.api:create_app", env=env) as server,
        httpx.Client(base_url=server.base_url, timeout=60) as client,
    ):
        session_id = None
        for text in ("帮我领红包", "我想看电影", "第一个", "好的", "我的订单怎么样了"):
            events = _sse(client, auth, text, session_id)
            session_id = str(events[0][1]["session_id"])
            assert events[-1][0] == "done"
            tools.append([str(data["name"]) for name, data in events if name == "tool_call"])
        orders = client.get("/v1/orders", headers=auth).json()["orders"]
        last_reply = events[-1][1]["reply"]
    assert tools == [
        ["claim_red_envelope"],
        ["search_offers"],
        ["place_order"],
        ["place_order"],
        ["track_order"],
    ]
    (order,) = orders
    assert order["state"] == "ticket_issued"
    assert order["voucher_fen"] == min(5_000, order["total_fen"])
    assert order["ticket_code"]
    assert "已出票" in str(last_reply)
    with CampaignEngine.open(url) as engine:
        (voucher,) = engine.wallet("fun-now", "mei").vouchers
        assert voucher.state == "reserved"  # captured when the ticket is used
        assert engine.audit("fun-now").passed
