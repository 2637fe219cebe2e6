"""The same order code on a real PostgreSQL server (started by scripts/test)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.pool import NullPool

from lantern.clock import FakeClock
from lantern.commerce import (
    Commerce,
    FakeDeliveryGateway,
    FakePayments,
    OrderStore,
    SearchQuery,
    make_engine,
)
from lantern.commerce.errors import OutOfStock

pytestmark = pytest.mark.postgres


def test_orders_and_stock_on_postgres(postgres_url: str, clock: FakeClock) -> None:
    """Orders are created, paid and cancelled on PostgreSQL; concurrent orders never sell
    more than the stock (conditional UPDATE), and a cancel puts stock back."""
    user = f"pg-{uuid.uuid4().hex[:8]}"
    engine = make_engine(postgres_url, poolclass=NullPool)  # no pooled sockets left behind
    try:
        commerce = Commerce(
            OrderStore(engine),
            FakePayments(cash_fen={user: 10**9}),
            delivery=FakeDeliveryGateway(),
            clock=clock,
        )
        _buy_out(commerce, user)
    finally:
        engine.dispose()


def _buy_out(commerce: Commerce, user: str) -> None:
    ticket = commerce.search(SearchQuery(text="escape room", limit=50))[-1].offer
    sold_before = commerce.store.sold().get(ticket.offer_id, 0)
    left = ticket.stock - sold_before
    quantity = min(20, max(1, left // 8 + 1))

    def buy(i: int) -> str:
        try:
            return commerce.place_order(
                user, ticket.offer_id, quantity, idempotency_key=f"{user}-{i}"
            ).state
        except OutOfStock:
            return "out_of_stock"

    with ThreadPoolExecutor(max_workers=4) as pool:
        states = list(pool.map(buy, range(12)))
    sold = commerce.store.sold()[ticket.offer_id] - sold_before
    assert sold <= left
    assert sold == states.count("ticket_issued") * quantity
    first = next(o for o in commerce.orders(user) if o.state == "ticket_issued")
    assert commerce.cancel(user, first.order_id).state == "cancelled"
    assert commerce.store.sold()[ticket.offer_id] - sold_before == sold - first.quantity
