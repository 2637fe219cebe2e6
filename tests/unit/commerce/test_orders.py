"""Orders: the state machine, payment exactly once, and nothing half-done on failure."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lantern.clock import FakeClock
from lantern.commerce import (
    TRANSITIONS,
    Commerce,
    FakeDeliveryGateway,
    FakePayments,
    SearchQuery,
)
from lantern.commerce.errors import (
    IdempotencyConflict,
    InvalidOrderState,
    InvalidQuantity,
    MerchantClosed,
    NotYourOrder,
    OrderNotFound,
    OutOfStock,
    PaymentFailed,
)
from lantern.errors import LanternError


def _milk_tea(commerce: Commerce) -> str:
    hits = commerce.search(SearchQuery(text="milk tea", with_red_envelope=True, limit=1))
    return hits[0].offer.offer_id


def _ticket(commerce: Commerce) -> str:
    hits = commerce.search(SearchQuery(text="cinema", with_red_envelope=True, limit=1))
    return hits[0].offer.offer_id


def test_food_order_runs_to_delivered(
    commerce: Commerce, payments: FakePayments, gateway: FakeDeliveryGateway
) -> None:
    """created -> paid -> handed_to_delivery -> delivered; voucher first, then wallet cash,
    the voucher captured at hand-off; parts sum to the total."""
    offer_id = _milk_tea(commerce)
    order = commerce.place_order("u1", offer_id, 2, idempotency_key="k1")
    assert order.state == "handed_to_delivery"
    assert order.order_id.startswith("OD-")
    assert len(order.order_id) == 11
    assert order.voucher_fen == min(2500, order.total_fen)
    assert order.voucher_fen + order.cash_fen + order.external_fen == order.total_fen
    assert [e.state for e in order.events] == ["created", "paid", "handed_to_delivery"]
    assert order.order_id in gateway.requests
    assert [name for name, _ in payments.calls] == ["reserve", "spend_cash", "capture"]
    assert commerce.mark_delivered(order.order_id).state == "delivered"
    with pytest.raises(InvalidOrderState):
        commerce.cancel("u1", order.order_id)


def test_failed_delivery_cancels_and_refunds_once(
    commerce: Commerce, payments: FakePayments
) -> None:
    """An order the fleet cannot deliver is cancelled with its wallet cash refunded and its
    captured voucher refunded, once (a second report changes nothing); the user cannot
    cancel an order out for delivery, and a delivered order cannot fail delivery."""
    offer_id = _milk_tea(commerce)
    order = commerce.place_order("u1", offer_id, 2, idempotency_key="d1")
    assert order.cash_fen > 0
    assert order.voucher_fen > 0
    assert payments.cash_fen["u1"] == 1000 - order.cash_fen
    with pytest.raises(InvalidOrderState, match="out for delivery"):
        commerce.cancel("u1", order.order_id)
    failed = commerce.delivery_failed(order.order_id)
    assert failed.state == "cancelled"
    assert [e.state for e in failed.events][-2:] == ["cancelling", "cancelled"]
    assert payments.cash_fen["u1"] == 1000
    assert [s for *_, s in payments.reservations.values()] == ["released"]
    assert commerce.store.sold().get(offer_id, 0) == 0
    calls = len(payments.calls)
    assert commerce.delivery_failed(order.order_id).state == "cancelled"
    assert len(payments.calls) == calls  # nothing refunded twice
    delivered = commerce.place_order("u1", offer_id, 1, idempotency_key="d2")
    commerce.mark_delivered(delivered.order_id)
    with pytest.raises(InvalidOrderState, match="only an order out for delivery"):
        commerce.delivery_failed(delivered.order_id)


@pytest.mark.parametrize("step", ["refund_cash", "refund_voucher"])
def test_failed_delivery_refund_resumes_after_a_refusal(
    commerce: Commerce, payments: FakePayments, step: str
) -> None:
    """If the campaign refuses a refund step, the order stays cancelling; reporting the
    failure again (or the user cancelling) finishes the refund without paying twice."""
    order = commerce.place_order("u1", _milk_tea(commerce), 2, idempotency_key="r1")
    assert order.cash_fen > 0  # both refund steps run
    payments.fail_on = step
    with pytest.raises(LanternError):
        commerce.delivery_failed(order.order_id)
    assert commerce.order("u1", order.order_id).state == "cancelling"
    assert commerce.cancel("u1", order.order_id).state == "cancelled"
    assert payments.cash_fen["u1"] == 1000
    assert [s for *_, s in payments.reservations.values()] == ["released"]


def test_retry_with_the_same_key_charges_once(commerce: Commerce, payments: FakePayments) -> None:
    """A retried place_order returns the same order; the wallet is charged once; the same
    key for another order is refused."""
    offer_id = _milk_tea(commerce)
    first = commerce.place_order("u1", offer_id, 1, idempotency_key="same")
    again = commerce.place_order("u1", offer_id, 1, idempotency_key="same")
    assert again.order_id == first.order_id
    assert len([c for c in payments.calls if c[0] == "spend_cash"]) <= 1
    with pytest.raises(IdempotencyConflict):
        commerce.place_order("u1", offer_id, 3, idempotency_key="same")


@pytest.mark.parametrize("step", ["reserve", "spend_cash"])
def test_payment_failure_leaves_nothing_half_done(
    commerce: Commerce, payments: FakePayments, step: str
) -> None:
    """A refusal at any payment step undoes the earlier steps, restocks, and fails the order."""
    offer_id = _milk_tea(commerce)
    payments.fail_on = step
    with pytest.raises(PaymentFailed, match="nothing was charged"):
        commerce.place_order("u1", offer_id, 2, idempotency_key="f1")
    assert payments.cash_fen["u1"] == 1000
    assert all(state != "reserved" for *_, state in payments.reservations.values())
    assert commerce.store.sold().get(offer_id, 0) == 0
    (order,) = commerce.orders("u1")
    assert order.state == "failed"
    with pytest.raises(PaymentFailed):  # a retry reports the same failure, charges nothing
        commerce.place_order("u1", offer_id, 2, idempotency_key="f1")


def test_ticket_is_issued_used_once_and_cancellable_before(
    commerce: Commerce, payments: FakePayments
) -> None:
    """Tickets get a code; cancel before use gives voucher and cash back; use needs the code."""
    offer_id = _ticket(commerce)
    payments.vouchers["u1"] = []
    order = commerce.place_order("u1", offer_id, 1, idempotency_key="t1")
    assert order.state == "ticket_issued"
    assert order.ticket_code is not None
    with pytest.raises(InvalidOrderState):
        commerce.use_ticket(order.order_id, "TK-WRONG")
    assert commerce.use_ticket(order.order_id, order.ticket_code).state == "used"
    with pytest.raises(InvalidOrderState):
        commerce.use_ticket(order.order_id, order.ticket_code)
    second = commerce.place_order("u1", offer_id, 1, idempotency_key="t2")
    cancelled = commerce.cancel("u1", second.order_id)
    assert cancelled.state == "cancelled"
    assert payments.cash_fen["u1"] == 1000 - order.cash_fen
    assert commerce.cancel("u1", second.order_id).state == "cancelled"  # idempotent


def test_cancel_before_handoff_releases_the_voucher(
    commerce: Commerce, payments: FakePayments, gateway: FakeDeliveryGateway
) -> None:
    """With the gateway down the order stays paid; cancelling releases the voucher (usable
    again) and refunds the cash."""
    gateway.fail_next = True
    order = commerce.place_order("u1", _milk_tea(commerce), 1, idempotency_key="c1")
    assert order.state == "paid"
    assert payments.usable_vouchers("u1") == []
    assert commerce.cancel("u1", order.order_id).state == "cancelled"
    assert [v.voucher_id for v in payments.usable_vouchers("u1")] == ["V-25"]
    assert payments.cash_fen["u1"] == 1000


def test_other_users_cannot_see_or_cancel(commerce: Commerce) -> None:
    """Orders belong to their user only; unknown ids are clear errors."""
    order = commerce.place_order("u1", _milk_tea(commerce), 1, idempotency_key="o1")
    with pytest.raises(NotYourOrder):
        commerce.order("u2", order.order_id)
    with pytest.raises(NotYourOrder):
        commerce.cancel("u2", order.order_id)
    with pytest.raises(OrderNotFound):
        commerce.order("u1", "OD-99999999")
    with pytest.raises(OrderNotFound):
        commerce.order("u1", "nonsense")


def test_limits_stock_and_opening_hours(commerce: Commerce, clock: FakeClock) -> None:
    """Bad quantities, sold-out offers and closed shops are refused before any payment."""
    offer_id = _milk_tea(commerce)
    offer = commerce.offer(offer_id)
    for bad in (0, -1, 21):
        with pytest.raises(InvalidQuantity):
            commerce.place_order("u1", offer_id, bad, idempotency_key=f"q{bad}")
    commerce.params = type(commerce.params)(max_quantity=10_000)
    with pytest.raises(OutOfStock):
        commerce.place_order("u1", offer_id, offer.stock + 1, idempotency_key="big")
    clock.advance(timedelta(hours=15))  # 03:00 the next night
    with pytest.raises(MerchantClosed):
        commerce.place_order("u1", offer_id, 1, idempotency_key="night")


def test_transition_table_is_a_dag_ending_in_final_states() -> None:
    """Every state reaches a final state; final states have no exits."""
    for state, targets in TRANSITIONS.items():
        assert state not in targets
    assert {s for s, t in TRANSITIONS.items() if not t} == {
        "delivered",
        "used",
        "cancelled",
        "failed",
    }
