"""Helpers of the API tests: a small campaign, test secrets, a client that acts as users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pydantic import SecretStr

from lantern.api.auth import TokenSigner
from lantern.campaign import CampaignEngine
from lantern.clock import SHANGHAI, FakeClock
from lantern.settings import Settings

CAMPAIGN = "api-test"
TOKEN_SECRET = "test-token-secret-0123456789"
OPERATOR_KEY = "test-operator-key-0123456789"
OPEN_AT = datetime(2026, 2, 16, 12, 0, tzinfo=SHANGHAI)


def scenario_data() -> dict[str, Any]:
    """A small campaign: a cash drop and a voucher drop, open all of 2026-02-16."""
    window = {"starts_at": "2026-02-16T00:00:00+08:00", "ends_at": "2026-02-17T00:00:00+08:00"}
    day = "2026-02-16"
    return {
        "id": CAMPAIGN,
        "title": "API test campaign",
        "budget_fen": 1_000_000,
        "calendar": {"start": day, "end": day, "holiday_start": day, "holiday_end": day},
        "pools": [
            {"id": "cash", "kind": "cash", "budget_fen": 500_000},
            {"id": "food", "kind": "voucher", "category": "gastronomy", "budget_fen": 500_000},
        ],
        "templates": [
            {
                "id": "food-10",
                "category": "gastronomy",
                "value_fen": 1_000,
                "threshold_fen": 2_000,
                "valid_days": 1,
            },
        ],
        "drops": [
            {
                "id": "cash-1",
                "pool": "cash",
                **window,
                "count": 100,
                "total_fen": 50_000,
                "cap_fen": 2_000,
                "per_user": 1,
            },
            {
                "id": "food-1",
                "pool": "food",
                **window,
                "count": 50,
                "total_fen": 50_000,
                "template": "food-10",
                "per_user": 1,
            },
        ],
        "pacing": {"*": {"mode": "even"}},
    }


@dataclass
class Api:
    """A test client on the real app and engine, with helpers to act as users."""

    client: TestClient
    engine: CampaignEngine
    clock: FakeClock
    signer: TokenSigner

    def user(self, user_id: str) -> dict[str, str]:
        """Headers authenticating as ``user_id``."""
        return {"Authorization": f"Bearer {self.signer.mint(user_id)}"}

    @property
    def operator(self) -> dict[str, str]:
        """Headers of the operator."""
        return {"X-Operator-Key": OPERATOR_KEY}

    def claim(self, user_id: str, key: str, **body: Any) -> Any:
        """POST a claim as ``user_id`` with idempotency key ``key``."""
        headers = {**self.user(user_id), "Idempotency-Key": key}
        return self.client.post(f"/v1/campaigns/{CAMPAIGN}/claims", json=body, headers=headers)


def make_settings(tmp_path: Path, rate_per_s: float = 1000.0) -> Settings:
    """Settings with fixed test secrets and a SQLite file under ``tmp_path``."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'api.db'}",
        data_dir=tmp_path,
        token_secret=SecretStr(TOKEN_SECRET),
        operator_key=SecretStr(OPERATOR_KEY),
        rate_limit_per_user_per_s=rate_per_s,
    )
