"""Property: random order sequences keep money and stock consistent (hypothesis)."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.clock import SHANGHAI, FakeClock
from lantern.commerce import (
    Commerce,
    FakeDeliveryGateway,
    FakePayments,
    OrderStore,
    SearchQuery,
    VoucherOption,
    make_engine,
)
from lantern.errors import LanternError

USERS = ("u1", "u2")
CASH_FEN = 5_000
EXPIRY = datetime(2026, 2, 28, tzinfo=SHANGHAI)

operation = st.one_of(
    st.tuples(st.just("place"), st.sampled_from(USERS), st.integers(0, 3), st.integers(1, 3),
              st.integers(0, 5)),
    st.tuples(st.just("cancel"), st.sampled_from(USERS), st.integers(0, 9)),
    st.tuples(st.just("deliver"), st.integers(0, 9)),
    st.tuples(st.just("undeliverable"), st.integers(0, 9)),
    st.tuples(st.just("use"), st.integers(0, 9)),
    st.tuples(st.just("fail"), st.sampled_from(["reserve", "spend_cash", "release",
                                                "refund_cash", "refund_voucher"])),
    st.tuples(st.just("gateway_down")),
)  # fmt: skip


def _offers(commerce: Commerce) -> list[str]:
    food = commerce.search(SearchQuery(text="milk tea", with_red_envelope=True, limit=2))
    fun = commerce.search(SearchQuery(text="cinema", with_red_envelope=True, limit=2))
    return [h.offer.offer_id for h in (*food, *fun)]


def _int(value: object) -> int:
    """An integer drawn by the strategies above (ops are heterogeneous tuples)."""
    assert isinstance(value, int)
    return value


def _apply(
    commerce: Commerce,
    payments: FakePayments,
    gateway: FakeDeliveryGateway,
    offers: list[str],
    op: tuple[object, ...],
    step: int,
) -> None:
    orders = [o for u in USERS for o in commerce.orders(u)]
    kind = op[0]
    try:
        if kind == "place":
            _, user, offer, qty, key = op
            commerce.place_order(
                str(user),
                offers[_int(offer)],
                _int(qty),
                idempotency_key=f"k{key}-{offer}-{qty}",
            )
        elif kind == "cancel" and orders:
            commerce.cancel(str(op[1]), orders[_int(op[2]) % len(orders)].order_id)
        elif kind == "deliver" and orders:
            commerce.mark_delivered(orders[_int(op[1]) % len(orders)].order_id)
        elif kind == "undeliverable" and orders:
            commerce.delivery_failed(orders[_int(op[1]) % len(orders)].order_id)
        elif kind == "use" and orders:
            order = orders[_int(op[1]) % len(orders)]
            commerce.use_ticket(order.order_id, order.ticket_code or "none")
        elif kind == "fail":
            payments.fail_on = str(op[1])
        elif kind == "gateway_down":
            gateway.fail_next = True
    except LanternError:
        pass  # refusals are fine; the invariants below must hold either way


def _check(commerce: Commerce, payments: FakePayments) -> None:
    orders = [o for u in USERS for o in commerce.orders(u)]
    live = [o for o in orders if o.state not in ("cancelled", "failed")]
    sold = Counter[str]()
    for order in live:
        sold[order.offer_id] += order.quantity
    assert commerce.store.sold() == {k: v for k, v in sold.items() if v}
    cash_of = {o.order_id: o.cash_fen for o in live if o.state != "cancelling"}
    for user in USERS:
        paid = [
            (a, oid) for u, a, s, oid in payments.payments.values() if u == user and s == "paid"
        ]
        assert payments.cash_fen[user] + sum(a for a, _ in paid) == CASH_FEN
        mine = {o.order_id for o in orders if o.user_id == user}
        settled = sum(a for a, oid in paid if oid in cash_of)
        assert settled == sum(cash_of[o] for o in mine if o in cash_of)
        # cash is held only by live orders (a cancelling one may still hold its own)
        assert all(oid in mine and oid in {o.order_id for o in live} for _, oid in paid)
    held = Counter(v for _, v, _, s in payments.reservations.values() if s != "released")
    assert all(count == 1 for count in held.values())  # a voucher pays one order at most
    expected = {
        "created": {"reserved"},
        "paid": {"reserved"},
        "ticket_issued": {"reserved"},
        "handed_to_delivery": {"captured"},
        "delivered": {"captured"},
        "used": {"captured"},
        "cancelling": {"reserved", "released", "captured"},  # captured: a failed delivery's
    }
    reserved_by_order = {o.voucher_id: o.state for o in live if o.voucher_fen}
    for _, voucher, _, state in payments.reservations.values():
        if voucher in reserved_by_order and state != "released":
            assert state in expected[reserved_by_order[voucher]]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=12))
def test_random_sequences_keep_money_and_stock_consistent(ops: list[tuple[object, ...]]) -> None:
    """Whatever mix of orders, refusals, cancels, deliveries, failed deliveries, ticket uses
    and gateway outages happens: stock sold equals live orders, wallet cash is conserved and
    equals what live orders paid, every voucher backs at most one order, and a voucher is
    reserved while its order can still be cancelled and captured once it is committed."""
    clock = FakeClock(datetime(2026, 2, 10, 12, tzinfo=SHANGHAI))
    vouchers = {
        u: [
            VoucherOption(f"V-{u}-{i}", cat, 2500, 0, (), EXPIRY)
            for i, cat in enumerate(("gastronomy", "entertainment"))
        ]
        for u in USERS
    }
    payments = FakePayments(vouchers=vouchers, cash_fen=dict.fromkeys(USERS, CASH_FEN))
    gateway = FakeDeliveryGateway()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'c.db'}")
        try:
            commerce = Commerce(OrderStore(engine), payments, delivery=gateway, clock=clock)
            offers = _offers(commerce)
            for step, op in enumerate(ops):
                _apply(commerce, payments, gateway, offers, op, step)
                _check(commerce, payments)
        finally:
            engine.dispose()
