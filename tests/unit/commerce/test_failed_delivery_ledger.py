"""A failed delivery on the real campaign engine: refunds land in the ledger, audit passes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lantern.commerce import SearchQuery
from tests.unit.assistant.stack import CAMPAIGN, Stack, stack


@pytest.fixture
def st(tmp_path: Path) -> Iterator[Stack]:
    with stack(tmp_path) as running:
        yield running


def test_undeliverable_order_is_refunded_in_the_ledger(st: Stack) -> None:
    """A user claims the free-order card and orders two milk teas with it; the fleet gives
    up: the order is cancelled, any wallet cash comes back, the card's discount goes back
    from the merchant to the campaign pool (the card is refunded, not reissued), and the
    campaign's audit (budget identity, balances, each voucher once) still passes."""
    st.engine.claim(CAMPAIGN, "u1", idempotency_key="claim-u1")
    hits = st.commerce.search(SearchQuery(text="milk tea", with_red_envelope=True, limit=1))
    before = st.engine.status(CAMPAIGN)
    order = st.commerce.place_order("u1", hits[0].offer.offer_id, 2, idempotency_key="o1")
    assert order.state == "handed_to_delivery"
    assert st.voucher_states("u1") == ["redeemed"]
    cash_before = st.cash_fen("u1")
    done = st.commerce.delivery_failed(order.order_id)
    assert done.state == "cancelled"
    assert st.voucher_states("u1") == ["refunded"]
    assert st.cash_fen("u1") == cash_before + order.cash_fen
    after = st.engine.status(CAMPAIGN)
    # the card's discount is back in its pool: the budget can grant it again
    assert after.remaining_fen == before.remaining_fen + order.voucher_fen
    assert st.audit_passes()
    assert st.commerce.delivery_failed(order.order_id).state == "cancelled"
    assert st.audit_passes()
