"""End to end: the real server process (granian) serves claims over a loopback socket."""

from __future__ import annotations

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

SECRET = "e2e-token-secret-0123456789"
OPERATOR = "e2e-operator-key-0123456789"


def _scenario_open_now() -> Scenario:
    """A campaign whose calendar spans today (Asia/Shanghai), so the real clock is inside."""
    today = datetime.now(SHANGHAI).date()
    start, end = today - timedelta(days=1), today + timedelta(days=1)
    opens = datetime.combine(start, datetime.min.time(), tzinfo=SHANGHAI)
    closes = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=SHANGHAI)
    data: dict[str, Any] = {
        "id": "e2e",
        "title": "e2e",
        "budget_fen": 100_000,
        "calendar": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "holiday_start": start.isoformat(),
            "holiday_end": end.isoformat(),
        },
        "pools": [{"id": "cash", "kind": "cash", "budget_fen": 100_000}],
        "drops": [
            {"id": "cash-1", "pool": "cash", "starts_at": opens.isoformat(),
             "ends_at": closes.isoformat(), "count": 50, "total_fen": 10_000, "cap_fen": 500}
        ],
        "pacing": {"cash": {"mode": "even"}},
    }  # fmt: skip
    return Scenario.model_validate(data)


@pytest.mark.slow
def test_claim_over_a_socket(tmp_path: Path) -> None:
    """Claim, retry and read the wallet through granian on 127.0.0.1; the server's answers
    match the ledger afterwards and the audit passes."""
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    with CampaignEngine.open(url) as engine:
        engine.load(_scenario_open_now())
    env = {
        "LANTERN_DATABASE_URL": url,
        "LANTERN_DATA_DIR": str(tmp_path),
        "LANTERN_TOKEN_SECRET": SECRET,
        "LANTERN_OPERATOR_KEY": OPERATOR,
    }
    settings = Settings(data_dir=tmp_path, token_secret=SecretStr(SECRET))
    auth = {"Authorization": f"Bearer {mint_user_token('u1', settings=settings)}"}
    with (
        serve_in_subprocess("lantern.api:server_app", env=env) as server,
        httpx.Client(base_url=server.base_url, timeout=10) as client,
    ):
        body, headers = {"drop_id": "cash-1"}, {**auth, "Idempotency-Key": "e2e-1"}
        first = client.post("/v1/campaigns/e2e/claims", json=body, headers=headers)
        assert first.status_code == 201, first.text
        again = client.post("/v1/campaigns/e2e/claims", json=body, headers=headers)
        assert again.json() == first.json()
        wallet = client.get("/v1/me/wallet", headers=auth).json()
        assert wallet[0]["cash_fen"] == first.json()["amount_fen"]
        audit = client.get("/v1/campaigns/e2e/audit", headers={"X-Operator-Key": OPERATOR})
        assert audit.json()["passed"] is True
    with CampaignEngine.open(url) as engine:
        assert engine.status("e2e").grants == 1
        assert engine.audit("e2e").passed
