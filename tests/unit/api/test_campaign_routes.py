"""Campaign routes over the real engine: claims, idempotency, isolation, bad input, limits."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from lantern.api.ratelimit import RedisRateLimiter
from tests.unit.api.api_support import CAMPAIGN, Api

PROBLEM = "application/problem+json"


def _snapshot(api: Api, *users: str) -> tuple[Any, ...]:
    """Everything a refused request must leave untouched: status, wallets, audit."""
    status = api.engine.status(CAMPAIGN).to_dict()
    wallets = tuple(api.engine.wallet(CAMPAIGN, user) for user in users)
    assert api.engine.audit(CAMPAIGN).passed
    return status, wallets


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["detail"]
    return body


def test_claim_credits_the_callers_wallet(api: Api) -> None:
    """A cash claim answers 201 with the grant, and the wallet shows the cash."""
    response = api.claim("alice", "k1", drop_id="cash-1")
    assert response.status_code == 201, response.text
    grant = response.json()
    assert (grant["user_id"], grant["kind"], grant["drop_id"]) == ("alice", "cash", "cash-1")
    assert 1 <= grant["amount_fen"] <= 2_000
    wallets = api.client.get("/v1/me/wallet", headers=api.user("alice")).json()
    assert [(w["campaign_id"], w["cash_fen"]) for w in wallets] == [(CAMPAIGN, grant["amount_fen"])]
    assert api.engine.audit(CAMPAIGN).passed


def test_retry_returns_identical_grant(api: Api) -> None:
    """A client that lost the response retries with the same key and gets the same grant."""
    first = api.claim("alice", "lost-response", drop_id="cash-1")
    again = api.claim("alice", "lost-response", drop_id="cash-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert api.engine.status(CAMPAIGN).grants == 1


def test_same_key_other_body_is_409(api: Api) -> None:
    """Reusing a key with another payload is IDEMPOTENCY_CONFLICT and grants nothing."""
    assert api.claim("alice", "k", drop_id="cash-1").status_code == 201
    before = _snapshot(api, "alice")
    _problem(api.claim("alice", "k", drop_id="food-1"), 409, "IDEMPOTENCY_CONFLICT")
    assert _snapshot(api, "alice") == before


def test_keys_are_scoped_per_user(api: Api) -> None:
    """Two users choosing the same key each get their own grant."""
    alice = api.claim("alice", "same", drop_id="cash-1").json()
    bob = api.claim("bob", "same", drop_id="cash-1").json()
    assert (alice["user_id"], bob["user_id"]) == ("alice", "bob")
    assert alice["grant_id"] != bob["grant_id"]


def test_quota_is_enforced_over_http(api: Api) -> None:
    """A second claim of a per_user=1 drop under a new key is QUOTA_EXCEEDED."""
    assert api.claim("alice", "k1", drop_id="cash-1").status_code == 201
    before = _snapshot(api, "alice")
    _problem(api.claim("alice", "k2", drop_id="cash-1"), 409, "QUOTA_EXCEEDED")
    assert _snapshot(api, "alice") == before


def test_users_see_only_their_own(api: Api) -> None:
    """Bob sees none of Alice's envelopes, cannot use her voucher, cannot name a user."""
    voucher = api.claim("alice", "k", drop_id="food-1").json()["voucher"]
    assert api.client.get("/v1/me/envelopes", headers=api.user("bob")).json() == []
    mine = api.client.get("/v1/me/envelopes", headers=api.user("alice")).json()
    assert [v["voucher_id"] for v in mine] == [voucher["voucher_id"]]
    before = _snapshot(api, "alice", "bob")
    stolen = api.client.post(
        f"/v1/campaigns/{CAMPAIGN}/reservations",
        json={
            "voucher_id": voucher["voucher_id"],
            "order_id": "o1",
            "order_total_fen": 5_000,
            "merchant_id": "m1",
            "category": "gastronomy",
        },
        headers={**api.user("bob"), "Idempotency-Key": "steal"},
    )
    _problem(stolen, 404, "NOT_FOUND")
    impersonate = api.client.post(
        f"/v1/campaigns/{CAMPAIGN}/claims",
        json={"drop_id": "cash-1", "user_id": "alice"},
        headers={**api.user("bob"), "Idempotency-Key": "x"},
    )
    _problem(impersonate, 422, "INVALID_INPUT")
    assert _snapshot(api, "alice", "bob") == before


def _pay(api: Api, body: Any, *, key: str | None = "pay-1", raw: bytes | None = None) -> Any:
    headers = {**api.user("alice"), "Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    if raw is not None:
        return api.client.post(f"/v1/campaigns/{CAMPAIGN}/payments", content=raw, headers=headers)
    return api.client.post(f"/v1/campaigns/{CAMPAIGN}/payments", json=body, headers=headers)


def _order(amount: Any) -> dict[str, Any]:
    return {"amount_fen": amount, "order_id": "o1", "merchant_id": "m1"}


@pytest.mark.parametrize(
    ("send", "status", "code"),
    [
        (lambda api: _pay(api, _order(-100)), 422, "INVALID_INPUT"),
        (lambda api: _pay(api, _order(0)), 422, "INVALID_INPUT"),
        (lambda api: _pay(api, _order(12.5)), 422, "INVALID_INPUT"),
        (lambda api: _pay(api, _order("100")), 422, "INVALID_INPUT"),
        (lambda api: _pay(api, _order(10**30)), 422, "INVALID_INPUT"),
        (lambda api: _pay(api, _order(10**6)), 409, "INSUFFICIENT_FUNDS"),
        (lambda api: _pay(api, None, raw=b'{"amount_fen": 1,'), 400, "MALFORMED_JSON"),
        (lambda api: _pay(api, _order(1), key=None), 400, "IDEMPOTENCY_KEY_MISSING"),
        (lambda api: _pay(api, _order(1), key="bad key!"), 422, "INVALID_INPUT"),
        (lambda api: api.claim("alice", "k", drop_id="no-such-drop"), 404, "NOT_FOUND"),
        (
            lambda api: api.client.post(
                "/v1/campaigns/no-such-campaign/claims",
                json={},
                headers={**api.user("alice"), "Idempotency-Key": "k"},
            ),
            404,
            "NOT_FOUND",
        ),
        (
            lambda api: api.client.post(
                f"/v1/campaigns/{CAMPAIGN}/claims", json={}, headers={"Idempotency-Key": "k"}
            ),
            401,
            "UNAUTHORIZED",
        ),
        (
            lambda api: api.client.post(
                f"/v1/campaigns/{CAMPAIGN}/claims",
                json={},
                headers={
                    "Authorization": "Bearer lt1.YWxpY2U.9999999999.forged",
                    "Idempotency-Key": "k",
                },
            ),
            401,
            "UNAUTHORIZED",
        ),
    ],
)
def test_bad_input_is_a_clear_4xx_and_changes_nothing(
    api: Api, send: Callable[[Api], Any], status: int, code: str
) -> None:
    """Negative, zero, fractional, string or huge amounts, overdrafts, malformed JSON,
    missing or bad keys, unknown drop or campaign, missing or forged token: a problem+json
    with a stable code, and status, wallets and audit exactly as before."""
    assert api.claim("alice", "setup", drop_id="cash-1").status_code == 201
    before = _snapshot(api, "alice")
    response = send(api)
    _problem(response, status, code)
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert _snapshot(api, "alice") == before


def test_voucher_reserve_capture_and_expiry(api: Api) -> None:
    """A voucher reserves and captures; an expired one is refused with nothing changed."""
    voucher = api.claim("alice", "v1", drop_id="food-1").json()["voucher"]
    order = {
        "voucher_id": voucher["voucher_id"],
        "order_id": "o1",
        "order_total_fen": 5_000,
        "merchant_id": "m1",
        "category": "gastronomy",
    }
    headers = {**api.user("alice"), "Idempotency-Key": "r1"}
    path = f"/v1/campaigns/{CAMPAIGN}/reservations"
    reserved = api.client.post(path, json=order, headers=headers)
    assert reserved.status_code == 201, reserved.text
    assert reserved.json()["discount_fen"] == 1_000
    rid = reserved.json()["reservation_id"]
    captured = api.client.post(
        f"/v1/campaigns/{CAMPAIGN}/reservations/{rid}/capture",
        headers={**api.operator, "Idempotency-Key": "c1"},
    )
    assert captured.json()["state"] == "captured"
    late = api.claim("bob", "v2", drop_id="food-1").json()["voucher"]
    api.clock.set(datetime.fromisoformat(late["expires_at"]) + timedelta(minutes=1))
    before = _snapshot(api, "alice", "bob")
    expired = api.client.post(
        f"/v1/campaigns/{CAMPAIGN}/reservations",
        json={**order, "voucher_id": late["voucher_id"], "order_id": "o2"},
        headers={**api.user("bob"), "Idempotency-Key": "r2"},
    )
    assert expired.status_code == 409
    assert expired.json()["code"] in {"VOUCHER_NOT_USABLE", "CAMPAIGN_NOT_ACTIVE"}
    assert _snapshot(api, "alice", "bob") == before


def test_rate_limit_answers_429(make_api: Callable[..., Api]) -> None:
    """Past the burst a user gets 429 RATE_LIMITED with Retry-After; others are unaffected."""
    api = make_api(rate_per_s=1.0)
    alice = api.user("alice")
    answers = [api.client.get("/v1/me/wallet", headers=alice).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    limited = api.client.get("/v1/me/wallet", headers=alice)
    _problem(limited, 429, "RATE_LIMITED")
    assert int(limited.headers["retry-after"]) >= 1
    assert api.client.get("/v1/me/wallet", headers=api.user("bob")).status_code == 200


@pytest.mark.redis
def test_rate_limit_in_redis(make_api: Callable[..., Api], redis_url: str) -> None:
    """With the Redis limiter (multi-process deployments) the API also answers 429."""
    limiter = RedisRateLimiter.from_url(redis_url, rate_per_s=1.0, burst=2)
    limiter.prefix = f"lantern:test:{uuid.uuid4().hex}:"
    api = make_api(rate_limiter=limiter)
    alice = api.user("alice")
    answers = [api.client.get("/v1/me/wallet", headers=alice).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
