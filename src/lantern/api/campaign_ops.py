"""Campaign routes for operators (``X-Operator-Key``): campaigns, drops, pacing, freeze,
audit, and the order-side voucher and payment steps a commerce backend drives (capture,
release, refund, expire)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import ValidationError

from lantern.api._common import (
    EngineDep,
    IdempotencyKeyHeader,
    blocking,
    json_response,
    operator_key,
    settle,
)
from lantern.api._schemas import CreateCampaignBody, FreezeBody, PacingBody, RefundBody
from lantern.api.deps import Operator
from lantern.api.problems import problem_responses
from lantern.campaign import (
    AuditReport,
    CampaignStatus,
    Drop,
    ExpiryResult,
    Refund,
    Reservation,
    Scenario,
    load_scenario,
)
from lantern.errors import InvalidInput

__all__ = ["router"]

router = APIRouter(prefix="/v1/campaigns", tags=["operator"], dependencies=[Operator])
_READ = problem_responses(401, 404, 422)
_WRITE = problem_responses(400, 401, 404, 409, 422, 423, 503)


def _ok(model: Any, description: str, status: int = 200) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": model, "description": description}}


def _status_json(status: CampaignStatus) -> dict[str, Any]:
    return status.to_dict()


@router.get(
    "", summary="Every loaded campaign", responses={**_ok(list[CampaignStatus], ""), **_READ}
)
async def list_campaigns(engine: EngineDep) -> Response:
    """Status of every loaded campaign: budget identity, pools, spend per day."""
    ids = await blocking(engine.campaigns)
    return json_response([_status_json(await blocking(engine.status, cid)) for cid in ids])


def _scenario_of(body: CreateCampaignBody) -> Scenario:
    if (body.builtin is None) == (body.scenario is None):
        raise InvalidInput("give exactly one of `builtin` (a scenario name) and `scenario`")
    if body.builtin is not None:
        return load_scenario(body.builtin, body.variant, scale=body.scale)
    try:
        return Scenario.model_validate(body.scenario)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "(scenario)"
        raise InvalidInput(f"scenario.{where}: {first.get('msg', 'invalid')}") from exc


@router.post(
    "",
    status_code=201,
    summary="Load a campaign (a built-in scenario or a scenario document)",
    responses={**_ok(CampaignStatus, "The loaded campaign.", 201), **_WRITE},
)
async def create_campaign(body: CreateCampaignBody, engine: EngineDep) -> Response:
    """Load a scenario; loading the same scenario again is a no-op."""
    status = await blocking(engine.load, _scenario_of(body))
    return json_response(_status_json(status), 201)


@router.get(
    "/{campaign_id}",
    summary="One campaign's status",
    responses={**_ok(CampaignStatus, ""), **_READ},
)
async def campaign_status(campaign_id: str, engine: EngineDep) -> Response:
    """Budget identity, pools and spend per day against the plan."""
    return json_response(_status_json(await blocking(engine.status, campaign_id)))


@router.get(
    "/{campaign_id}/drops",
    summary="The campaign's drops",
    responses={**_ok(list[Drop], ""), **_READ},
)
async def drops(campaign_id: str, engine: EngineDep) -> list[Drop]:
    """Every scheduled drop: pool, window, count, total, cap, per-user limit."""
    scenario = await blocking(engine.scenario, campaign_id)
    return list(scenario.drops)


@router.get(
    "/{campaign_id}/pacing", summary="Spend per pool and day against the plan", responses=_READ
)
async def pacing(campaign_id: str, engine: EngineDep) -> Response:
    """Each pool's budget, remaining and plan to date, and each day's spend against plan."""
    status = _status_json(await blocking(engine.status, campaign_id))
    return json_response(
        {"campaign_id": campaign_id, "pools": status["pools"], "days": status["days"]}
    )


@router.put(
    "/{campaign_id}/pools/{pool}/pacing", summary="Set a pool's daily plan", responses=_WRITE
)
async def set_pacing(
    campaign_id: str,
    pool: str,
    body: PacingBody,
    engine: EngineDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Replace the pool's plan (operator pacing); the engine never spends above it."""
    key = operator_key(idempotency_key)
    status = await blocking(
        engine.set_pacing, campaign_id, pool, body.plan_fen, idempotency_key=key
    )
    return json_response(_status_json(status))


@router.post("/{campaign_id}/freeze", summary="Freeze a campaign", responses=_WRITE)
async def freeze(
    campaign_id: str,
    engine: EngineDep,
    body: FreezeBody | None = None,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Stop grants, reservations and payments until unfrozen (423 CAMPAIGN_FROZEN)."""
    key = operator_key(idempotency_key)
    reason = body.reason if body is not None else ""
    status = await blocking(engine.freeze, campaign_id, reason=reason, idempotency_key=key)
    return json_response(_status_json(status))


@router.post("/{campaign_id}/unfreeze", summary="Unfreeze a campaign", responses=_WRITE)
async def unfreeze(
    campaign_id: str, engine: EngineDep, idempotency_key: IdempotencyKeyHeader = None
) -> Response:
    """Resume grants, reservations and payments."""
    key = operator_key(idempotency_key)
    return json_response(
        _status_json(await blocking(engine.unfreeze, campaign_id, idempotency_key=key))
    )


@router.get(
    "/{campaign_id}/audit", summary="Audit the ledger", responses={**_ok(AuditReport, ""), **_READ}
)
async def audit(campaign_id: str, engine: EngineDep) -> Response:
    """Every money invariant checked against the journal; ``passed`` only if all pass."""
    return json_response((await blocking(engine.audit, campaign_id)).to_dict())


@router.post(
    "/{campaign_id}/expire",
    summary="Expire vouchers and unclaimed money",
    responses={**_ok(ExpiryResult, ""), **_WRITE},
)
async def expire(
    campaign_id: str, engine: EngineDep, idempotency_key: IdempotencyKeyHeader = None
) -> Response:
    """Move expired vouchers (and after the end, unclaimed money) to the expired account."""
    key = operator_key(idempotency_key)
    return json_response(await blocking(engine.expire, campaign_id, idempotency_key=key))


@router.post(
    "/{campaign_id}/reservations/{reservation_id}/capture",
    summary="Capture a reservation",
    responses={**_ok(Reservation, ""), **_WRITE},
)
async def capture(
    campaign_id: str,
    reservation_id: str,
    engine: EngineDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """The order was paid: the discount goes to the merchant's settlement account."""
    key = operator_key(idempotency_key)
    return json_response(
        await settle(engine.submit_capture(campaign_id, reservation_id, idempotency_key=key))
    )


@router.post(
    "/{campaign_id}/reservations/{reservation_id}/release",
    summary="Release a reservation",
    responses={**_ok(Reservation, ""), **_WRITE},
)
async def release(
    campaign_id: str,
    reservation_id: str,
    engine: EngineDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """The order was cancelled: the voucher is usable again."""
    key = operator_key(idempotency_key)
    return json_response(
        await settle(engine.submit_release(campaign_id, reservation_id, idempotency_key=key))
    )


@router.post(
    "/{campaign_id}/refunds",
    status_code=201,
    summary="Refund a reservation or payment",
    responses={**_ok(Refund, "", 201), **_WRITE},
)
async def refund(
    campaign_id: str,
    body: RefundBody,
    engine: EngineDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Refund exactly one of a captured reservation and a cash payment."""
    key = operator_key(idempotency_key)
    future = engine.submit_refund(
        campaign_id,
        reservation_id=body.reservation_id,
        payment_id=body.payment_id,
        idempotency_key=key,
    )
    return json_response(await settle(future), 201)
