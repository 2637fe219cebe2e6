"""Commerce: a Hangzhou catalogue of food, tickets and leisure, search, and orders paid with
the campaign's red envelopes.

    from lantern.commerce import Commerce, OrderStore, SearchQuery, make_engine
    commerce = Commerce(OrderStore(make_engine(url)), payments, delivery=gateway)
    hits = commerce.search(SearchQuery(text="奶茶", near="West Lake", max_price_fen=2000))
    order = commerce.place_order("u1", hits[0].offer.offer_id, 2, idempotency_key="k1")
"""

from lantern.commerce._campaign_payments import CampaignPayments
from lantern.commerce._catalogue import Catalogue, Merchant, Offer, default_catalogue, is_open
from lantern.commerce._delivery import DeliveryGateway, DeliveryRequest, FakeDeliveryGateway
from lantern.commerce._orders import TRANSITIONS, Order, OrderEvent, OrderState
from lantern.commerce._outbox import DeliveryOutbox
from lantern.commerce._payments import FakePayments, Payments, VoucherOption, best_voucher
from lantern.commerce._search import SearchHit, SearchIndex, SearchQuery
from lantern.commerce._service import Commerce, CommerceParams, Quote
from lantern.commerce._store import OrderStore, make_engine
from lantern.commerce._taxonomy import (
    CATEGORIES,
    LANDMARKS,
    SUBCATEGORIES,
    find_landmark,
    require_landmark,
)
from lantern.commerce.errors import CommerceError

__all__ = [
    "CATEGORIES",
    "LANDMARKS",
    "SUBCATEGORIES",
    "TRANSITIONS",
    "CampaignPayments",
    "Catalogue",
    "Commerce",
    "CommerceError",
    "CommerceParams",
    "DeliveryGateway",
    "DeliveryOutbox",
    "DeliveryRequest",
    "FakeDeliveryGateway",
    "FakePayments",
    "Merchant",
    "Offer",
    "Order",
    "OrderEvent",
    "OrderState",
    "OrderStore",
    "Payments",
    "Quote",
    "SearchHit",
    "SearchIndex",
    "SearchQuery",
    "VoucherOption",
    "best_voucher",
    "default_catalogue",
    "find_landmark",
    "is_open",
    "make_engine",
    "require_landmark",
]
