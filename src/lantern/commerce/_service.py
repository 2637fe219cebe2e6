"""The commerce service: search, quote, order, pay, hand off, cancel.

Paying is :class:`~lantern.commerce._saga.PaymentSaga`: the best usable voucher is
reserved, the rest comes from the wallet up to its balance, any remainder is paid outside
Lantern (``external_fen``). The voucher is captured when the order is committed to the
merchant (food handed to delivery, a ticket used); until then a cancel releases it and
refunds the cash. A cancel passes through ``cancelling`` so a refund refused mid-way is
finished by the next cancel.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from lantern.clock import Clock, SystemClock
from lantern.commerce._catalogue import Catalogue, Merchant, Offer, default_catalogue, is_open
from lantern.commerce._delivery import DeliveryGateway, DeliveryRequest
from lantern.commerce._orders import Order, parse_order_id
from lantern.commerce._payments import Payments, best_voucher
from lantern.commerce._saga import PaymentSaga
from lantern.commerce._search import SearchHit, SearchIndex, SearchQuery
from lantern.commerce._store import OrderStore
from lantern.commerce.errors import (
    InvalidOrderState,
    InvalidQuantity,
    MerchantClosed,
    NotYourOrder,
    OrderNotFound,
    PartySizeNotAllowed,
    PaymentFailed,
)
from lantern.logs import get_logger

__all__ = ["Commerce", "CommerceParams", "Quote"]


@dataclass(frozen=True, slots=True)
class CommerceParams:
    """Limits and behaviour of the service."""

    max_quantity: int = 20
    handoff_after_payment: bool = True
    item_weight_kg: float = 0.5

    def __post_init__(self) -> None:
        assert self.max_quantity >= 1, "max_quantity must be at least 1"
        assert self.item_weight_kg > 0, "items weigh something"


@dataclass(frozen=True, slots=True)
class Quote:
    """What an order would cost and how it would be paid right now (fen)."""

    offer: Offer
    merchant: Merchant
    quantity: int
    total_fen: int
    voucher_id: str | None
    voucher_fen: int
    cash_fen: int
    external_fen: int


class Commerce:
    """Catalogue search plus orders paid through the campaign engine."""

    def __init__(
        self,
        store: OrderStore,
        payments: Payments,
        *,
        catalogue: Catalogue | None = None,
        delivery: DeliveryGateway | None = None,
        clock: Clock | None = None,
        params: CommerceParams | None = None,
    ) -> None:
        self.store = store
        self.payments = payments
        self.catalogue = catalogue or default_catalogue()
        self.index = SearchIndex(self.catalogue)
        self.delivery = delivery
        self.clock = clock or SystemClock()
        self.params = params or CommerceParams()
        self.saga = PaymentSaga(store, payments, self.clock)

    # -- catalogue ---------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> list[SearchHit]:
        """Ranked offers matching every filter, with live stock."""
        return self.index.search(query, self.store.sold())

    def offer(self, offer_id: str) -> Offer:
        return self.catalogue.offer(offer_id)

    # -- quoting and ordering ----------------------------------------------------------------
    def _check(self, offer: Offer, quantity: int, party_size: int | None) -> None:
        if isinstance(quantity, bool) or not 1 <= quantity <= self.params.max_quantity:
            raise InvalidQuantity(
                f"quantity must be a whole number from 1 to {self.params.max_quantity}, "
                f"got {quantity!r}"
            )
        if party_size is not None and not offer.party_min <= party_size <= offer.party_max:
            raise PartySizeNotAllowed(
                f"offer {offer.offer_id} is for {offer.party_min}-{offer.party_max} people, "
                f"not {party_size}"
            )
        merchant = self.catalogue.merchant_of(offer)
        if merchant.sub.kind == "delivery" and not is_open(merchant, self.clock.now()):
            raise MerchantClosed(
                f"{merchant.name_zh} is closed now (open {merchant.open_min // 60:02d}:"
                f"{merchant.open_min % 60:02d}-{merchant.close_min // 60 % 24:02d}:"
                f"{merchant.close_min % 60:02d} Asia/Shanghai)"
            )

    def quote(self, user_id: str, offer_id: str, quantity: int = 1) -> Quote:
        """How the order would be paid now: voucher first, then wallet cash, then the rest."""
        offer = self.catalogue.offer(offer_id)
        self._check(offer, quantity, None)
        merchant = self.catalogue.merchant_of(offer)
        total = offer.price_fen * quantity
        voucher = None
        if merchant.red_envelope:
            voucher = best_voucher(
                self.payments.usable_vouchers(user_id),
                merchant.category,
                merchant.merchant_id,
                total,
                self.clock.now(),
            )
        voucher_fen = min(voucher.value_fen, total) if voucher else 0
        cash = min(self.payments.cash_balance_fen(user_id), total - voucher_fen)
        return Quote(
            offer,
            merchant,
            quantity,
            total,
            voucher.voucher_id if voucher else None,
            voucher_fen,
            cash,
            total - voucher_fen - cash,
        )

    def place_order(
        self,
        user_id: str,
        offer_id: str,
        quantity: int = 1,
        *,
        idempotency_key: str,
        party_size: int | None = None,
        deliver_to: tuple[float, float] | None = None,
    ) -> Order:
        """Create and pay an order for ``user_id``; a retry with the same key returns it."""
        offer = self.catalogue.offer(offer_id)
        request = f"{offer.offer_id}x{quantity}"
        existing = self.store.by_key(user_id, idempotency_key, request)
        if existing is not None:
            return (
                self._finish(existing, deliver_to)
                if existing.state == "created"
                else (self._raise_if_failed(existing))
            )
        self._check(offer, quantity, party_size)
        merchant = self.catalogue.merchant_of(offer)
        order = self.store.create(
            {
                "user_id": user_id,
                "idempotency_key": idempotency_key,
                "request": request,
                "offer_id": offer.offer_id,
                "merchant_id": merchant.merchant_id,
                "category": merchant.category,
                "kind": merchant.sub.kind,
                "quantity": quantity,
                "unit_price_fen": offer.price_fen,
                "total_fen": offer.price_fen * quantity,
            },
            offer.stock,
            self.clock.now(),
        )
        return self._finish(order, deliver_to)

    def _choose_voucher(self, order: Order) -> str | None:
        return self.quote(order.user_id, order.offer_id, order.quantity).voucher_id

    def _raise_if_failed(self, order: Order) -> Order:
        if order.state == "failed":
            raise PaymentFailed(f"order {order.order_id} failed earlier: {order.failure}")
        return order

    def _finish(self, order: Order, deliver_to: tuple[float, float] | None) -> Order:
        paid = self.saga.pay(order, self._choose_voucher)
        if paid.kind == "ticket":
            code = f"TK-{secrets.token_hex(4).upper()}"
            return self.store.move(
                parse_order_id(paid.order_id),
                "paid",
                "ticket_issued",
                self.clock.now(),
                ticket_code=code,
            )
        if self.params.handoff_after_payment and self.delivery is not None:
            return self._hand_off(paid, deliver_to)
        return paid

    # -- fulfilment --------------------------------------------------------------------------
    def _hand_off(self, order: Order, deliver_to: tuple[float, float] | None) -> Order:
        assert self.delivery is not None
        merchant = self.catalogue.merchants[order.merchant_id]
        request = DeliveryRequest(
            order_id=order.order_id,
            merchant_id=merchant.merchant_id,
            pickup_lon=merchant.lon,
            pickup_lat=merchant.lat,
            pickup_road_node=merchant.road_node,
            dropoff_lon=deliver_to[0] if deliver_to else None,
            dropoff_lat=deliver_to[1] if deliver_to else None,
            items=order.quantity,
            weight_kg=order.quantity * self.params.item_weight_kg,
        )
        try:
            delivery_id = self.delivery.hand_off(request)
        except Exception as exc:  # the gateway is I/O: the order stays paid, retry later
            get_logger("commerce").warning(
                "hand_off_failed", order_id=order.order_id, error=str(exc)
            )
            return order
        self._capture(order)
        return self.store.move(
            parse_order_id(order.order_id),
            "paid",
            "handed_to_delivery",
            self.clock.now(),
            delivery_id=delivery_id,
        )

    def hand_to_delivery(
        self, order_id: str, deliver_to: tuple[float, float] | None = None
    ) -> Order:
        """Hand a paid food or goods order to the delivery gateway (retry after a failure)."""
        order = self._get(order_id)
        if order.kind != "delivery" or self.delivery is None:
            raise InvalidOrderState(f"order {order.order_id} is not delivered by the fleet")
        return self._hand_off(order, deliver_to)

    def mark_delivered(self, order_id: str) -> Order:
        """The fleet reports the order delivered."""
        order = self._get(order_id)
        return self.store.move(
            parse_order_id(order.order_id), "handed_to_delivery", "delivered", self.clock.now()
        )

    def delivery_failed(self, order_id: str, reason: str = "undeliverable") -> Order:
        """The fleet gave up on the order: cancel it and refund the user; idempotent.

        The voucher was captured at hand-off, so its discount is refunded to the campaign
        pool (the user does not get the card back) and the wallet cash to the wallet. The
        order passes through ``cancelling`` like a user's cancel, so a crash mid-way is
        finished by calling again without paying anything twice. The sale did not happen,
        so its stock is put back.
        """
        order = self._get(order_id)
        if order.state == "cancelled":
            return order
        number = parse_order_id(order.order_id)
        _, row = self.store.get(number)
        if order.state != "cancelling":
            if order.state != "handed_to_delivery":
                raise InvalidOrderState(
                    f"order {order.order_id} is {order.state}; only an order out for delivery "
                    "can fail delivery"
                )
            order = self.store.move(
                number, "handed_to_delivery", "cancelling", self.clock.now(), note=reason
            )
        elif not row["delivery_id"]:
            raise InvalidOrderState(
                f"order {order.order_id} is being cancelled by its user, not after a delivery"
            )
        self.saga.refund_captured(order, row)
        return self.store.move(
            number,
            "cancelling",
            "cancelled",
            self.clock.now(),
            restock=True,
            note=f"refunded: {reason}",
        )

    def use_ticket(self, order_id: str, ticket_code: str) -> Order:
        """The venue scans the ticket: it is used once, and only with its own code."""
        order = self._get(order_id)
        if order.ticket_code is None or not secrets.compare_digest(
            order.ticket_code, ticket_code.strip().upper()
        ):
            raise InvalidOrderState(
                f"ticket code {ticket_code!r} does not belong to order {order.order_id}"
            )
        if order.state != "ticket_issued":
            raise InvalidOrderState(f"order {order.order_id} is {order.state}, not a valid ticket")
        self._capture(order)
        return self.store.move(
            parse_order_id(order.order_id), "ticket_issued", "used", self.clock.now()
        )

    def _capture(self, order: Order) -> None:
        """The order is committed to the merchant: the voucher's discount is settled."""
        _, row = self.store.get(parse_order_id(order.order_id))
        if row["reservation_id"]:
            self.payments.capture_voucher(
                row["reservation_id"], idempotency_key=f"{order.order_id}:capture"
            )

    # -- the user's own orders ---------------------------------------------------------------
    def _get(self, order_id: str) -> Order:
        return self.store.get(parse_order_id(order_id))[0]

    def order(self, user_id: str, order_id: str) -> Order:
        """One of the user's orders; another user's order is :class:`NotYourOrder`."""
        try:
            order = self._get(order_id)
        except OrderNotFound:
            raise OrderNotFound(f"you have no order {order_id!r}") from None
        if order.user_id != user_id:
            raise NotYourOrder(f"order {order.order_id} is not yours")
        return order

    def orders(self, user_id: str, limit: int = 20) -> list[Order]:
        """The user's latest orders, newest first."""
        return [self.store.get(n)[0] for n in self.store.numbers_of(user_id, limit)]

    def cancel(self, user_id: str, order_id: str) -> Order:
        """Cancel the user's order and refund what was paid; idempotent.

        The order first becomes ``cancelling`` (so nothing else can move it), then the
        voucher is released and the cash refunded with idempotent keys, then it is
        ``cancelled`` with its stock back. If the campaign refuses mid-way the order stays
        ``cancelling``; cancelling again finishes the refund without paying anything twice.
        """
        order = self.order(user_id, order_id)
        if order.state == "cancelled":
            return order
        if order.state == "handed_to_delivery":
            raise InvalidOrderState(
                f"order {order.order_id} is out for delivery and can no longer be cancelled"
            )
        number = parse_order_id(order.order_id)
        _, row = self.store.get(number)
        if order.state == "cancelling" and row["delivery_id"]:
            return self.delivery_failed(order.order_id)  # a failed delivery's refund, resumed
        if order.state != "cancelling":
            order = self.store.move(
                number,
                order.state,
                "cancelling",
                self.clock.now(),
                note="cancel requested by the user",
            )
        _, row = self.store.get(number)
        self.saga.undo(order, row)  # captured orders cannot be cancelled
        return self.store.move(
            number, "cancelling", "cancelled", self.clock.now(), restock=True, note="refunded"
        )
