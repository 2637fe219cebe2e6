"""Commerce routes: search offers, and the signed-in user's own orders.

Orders are paid with the user's red envelopes and wallet in the campaign the server serves
(``app.state.commerce_campaign``, else the loaded campaign running now); placing one needs
an ``Idempotency-Key`` header, so a retry never pays twice. Every order route acts for the
bearer token's user only (``NOT_YOUR_ORDER`` otherwise). Commerce is built on first use from
the app's campaign engine and database URL (or set ready-made on ``app.state.commerce``).
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from lantern.api._common import IdempotencyKeyHeader, user_key
from lantern.api.deps import CurrentUser
from lantern.commerce import Commerce, Order, SearchHit, SearchQuery, require_landmark

__all__ = [
    "DEFAULT_CAMPAIGN",
    "CommerceDep",
    "campaign_of",
    "commerce_of",
    "order_json",
    "router",
]

DEFAULT_CAMPAIGN = "spring-festival-2026"
router = APIRouter(tags=["commerce"])
_LOCK = threading.Lock()


def campaign_of(request: Request) -> str:
    """The campaign whose envelopes pay: ``app.state.commerce_campaign`` if set, else the
    first loaded campaign running now, else ``spring-festival-2026``."""
    state = request.app.state
    chosen: str | None = getattr(state, "commerce_campaign", None)
    if chosen is None:
        engine = state.campaign_engine
        running = [c for c in engine.campaigns() if engine.status(c).state == "active"]
        chosen = state.commerce_campaign = running[0] if running else DEFAULT_CAMPAIGN
    return chosen


def _build(request: Request) -> Commerce:
    from lantern.commerce import CampaignPayments, DeliveryOutbox, OrderStore, make_engine

    state = request.app.state
    engine = state.campaign_engine
    campaign = campaign_of(request)
    db = make_engine(state.settings.database_url)
    return Commerce(
        OrderStore(db),
        CampaignPayments(engine, campaign),
        delivery=DeliveryOutbox(db),
        clock=engine.clock,
    )


def commerce_of(request: Request) -> Commerce:
    """The app's commerce service (built once, on first use)."""
    state = request.app.state
    commerce: Commerce | None = getattr(state, "commerce", None)
    if commerce is None:
        with _LOCK:
            commerce = getattr(state, "commerce", None)
            if commerce is None:
                commerce = state.commerce = _build(request)
    return commerce


CommerceDep = Annotated[Commerce, Depends(commerce_of)]


class OrderBody(BaseModel):
    """What to order: an offer id (``OF-01234``) and how many."""

    offer_id: str = Field(pattern=r"^(?i:OF-\d{5})$")
    quantity: int = Field(default=1, ge=1, le=20)


def _hit_json(hit: SearchHit) -> dict[str, Any]:
    o, m = hit.offer, hit.merchant
    return {
        "offer_id": o.offer_id,
        "name_zh": o.name_zh,
        "merchant": m.name_zh,
        "merchant_id": m.merchant_id,
        "category": m.category,
        "subcategory": m.subcategory,
        "description_en": o.desc_en,
        "description_de": o.desc_de,
        "price_fen": o.price_fen,
        "party_min": o.party_min,
        "party_max": o.party_max,
        "red_envelope": m.red_envelope,
        "lon": m.lon,
        "lat": m.lat,
        "open_min": m.open_min,
        "close_min": m.close_min,
        "rating": m.rating_x10 / 10,
        "distance_km": hit.distance_km,
        "score": round(hit.score, 3),
    }


def order_json(order: Order) -> dict[str, Any]:
    """An order as JSON (money in fen, times in RFC 3339)."""
    return {
        "order_id": order.order_id,
        "offer_id": order.offer_id,
        "merchant_id": order.merchant_id,
        "kind": order.kind,
        "state": order.state,
        "quantity": order.quantity,
        "unit_price_fen": order.unit_price_fen,
        "total_fen": order.total_fen,
        "voucher_fen": order.voucher_fen,
        "cash_fen": order.cash_fen,
        "external_fen": order.external_fen,
        "ticket_code": order.ticket_code,
        "delivery_id": order.delivery_id,
        "failure": order.failure,
        "created_at": order.created_at.isoformat(),
        "events": [{"state": e.state, "at": e.at.isoformat()} for e in order.events],
    }


@router.get("/v1/offers")
async def search_offers(
    commerce: CommerceDep,
    q: Annotated[str | None, Query(max_length=200, description="Text, any language.")] = None,
    category: Annotated[
        str | None,
        Query(
            pattern=r"(?i)^\s*(gastronomy|entertainment|leisure)\s*$",
            description="gastronomy, entertainment or leisure (any case).",
        ),
    ] = None,
    max_price_fen: Annotated[int | None, Query(ge=0)] = None,
    party_size: Annotated[int | None, Query(ge=1, le=100)] = None,
    with_red_envelope: bool | None = None,
    near: Annotated[str | None, Query(max_length=100, description="A landmark.")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, Any]:
    """Ranked offers matching every given filter (open to anyone; no token needed)."""
    if near is not None:
        require_landmark(near)  # UNKNOWN_LANDMARK (422) rather than silently unfiltered
    query = SearchQuery(
        text=q,
        category=category,
        max_price_fen=max_price_fen,
        party_size=party_size,
        with_red_envelope=with_red_envelope,
        near=near,
        limit=limit,
    )
    hits = await run_in_threadpool(commerce.search, query)
    return {"offers": [_hit_json(h) for h in hits]}


@router.get("/v1/offers/{offer_id}")
async def get_offer(offer_id: str, commerce: CommerceDep) -> dict[str, Any]:
    """One offer with its merchant (``OFFER_NOT_FOUND`` for unknown ids)."""
    offer = commerce.offer(offer_id)
    hit = SearchHit(offer, commerce.catalogue.merchant_of(offer), 0.0, None)
    return _hit_json(hit)


@router.get("/v1/orders")
async def my_orders(user: CurrentUser, commerce: CommerceDep) -> dict[str, Any]:
    """The caller's latest orders, newest first."""
    orders = await run_in_threadpool(commerce.orders, user)
    return {"orders": [order_json(o) for o in orders]}


@router.post("/v1/orders", status_code=201)
async def place_order(
    body: OrderBody,
    user: CurrentUser,
    commerce: CommerceDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> dict[str, Any]:
    """Order and pay (red envelope first, then wallet cash); retries with the same
    Idempotency-Key return the same order."""
    key = user_key(user, idempotency_key)
    order = await run_in_threadpool(
        lambda: commerce.place_order(user, body.offer_id, body.quantity, idempotency_key=key)
    )
    return order_json(order)


@router.get("/v1/orders/{order_id}")
async def track_order(order_id: str, user: CurrentUser, commerce: CommerceDep) -> dict[str, Any]:
    """One of the caller's orders."""
    return order_json(await run_in_threadpool(commerce.order, user, order_id))


@router.post("/v1/orders/{order_id}/cancel")
async def cancel_order(order_id: str, user: CurrentUser, commerce: CommerceDep) -> dict[str, Any]:
    """Cancel one of the caller's orders and refund it (idempotent)."""
    return order_json(await run_in_threadpool(commerce.cancel, user, order_id))
