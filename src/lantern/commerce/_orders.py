"""Orders and their state machine.

Food and goods::

    created -> paid -> handed_to_delivery -> delivered

A delivery the fleet reports undeliverable is cancelled on the platform's side:
``handed_to_delivery -> cancelling -> cancelled``, the captured voucher refunded to its
campaign pool and the wallet cash to the wallet.

Tickets (entertainment, leisure, dine-in set menus)::

    created -> paid -> ticket_issued -> used

``created`` and ``paid`` orders and unused tickets can be cancelled: they pass through
``cancelling`` (refund in progress) to ``cancelled``; a failed payment ends in ``failed``
with nothing charged. Order ids look like ``OD-00012345``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from lantern.commerce._taxonomy import Category, Kind
from lantern.commerce.errors import InvalidOrderState, OrderNotFound

__all__ = [
    "ORDER_ID_RE",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "Order",
    "OrderEvent",
    "OrderState",
    "check_transition",
    "format_order_id",
    "parse_order_id",
]

OrderState = Literal[
    "created",
    "paid",
    "handed_to_delivery",
    "delivered",
    "ticket_issued",
    "used",
    "cancelling",
    "cancelled",
    "failed",
]
TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    "created": frozenset({"paid", "cancelling", "failed"}),
    "paid": frozenset({"handed_to_delivery", "ticket_issued", "cancelling"}),
    "handed_to_delivery": frozenset({"delivered", "cancelling"}),
    "ticket_issued": frozenset({"used", "cancelling"}),
    "cancelling": frozenset({"cancelled"}),
    "delivered": frozenset(),
    "used": frozenset(),
    "cancelled": frozenset(),
    "failed": frozenset(),
}
TERMINAL_STATES: Final = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
ORDER_ID_RE: Final = re.compile(r"^OD-(\d{8})$")


def format_order_id(number: int) -> str:
    assert 0 < number < 10**8, "order numbers have 8 digits"
    return f"OD-{number:08d}"


def parse_order_id(order_id: str) -> int:
    """The number inside ``OD-00012345``; :class:`OrderNotFound` for anything else."""
    match = ORDER_ID_RE.match(order_id.strip().upper())
    if match is None:
        raise OrderNotFound(f"{order_id!r} is not an order id; they look like OD-00012345")
    return int(match.group(1))


def check_transition(order_id: str, current: str, target: str) -> None:
    """Raise :class:`InvalidOrderState` unless ``current -> target`` is allowed."""
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing (it is final)"
        raise InvalidOrderState(
            f"order {order_id} is {current}; it cannot become {target} (allowed: {allowed})"
        )


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """One step in an order's life."""

    state: str
    at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class Order:
    """An order as stored: what was bought, how it was paid (fen), where it stands.

    ``voucher_fen + cash_fen + external_fen == total_fen`` once paid: the voucher part
    comes from a campaign voucher, the cash part from the user's campaign wallet, the
    external part from the user's own payment method (outside Lantern's ledger).
    """

    order_id: str
    user_id: str
    offer_id: str
    merchant_id: str
    category: Category
    kind: Kind
    quantity: int
    unit_price_fen: int
    total_fen: int
    state: OrderState
    created_at: datetime
    updated_at: datetime
    voucher_id: str | None = None
    voucher_fen: int = 0
    cash_fen: int = 0
    external_fen: int = 0
    ticket_code: str | None = None
    delivery_id: str | None = None
    failure: str | None = None
    events: tuple[OrderEvent, ...] = ()

    def __post_init__(self) -> None:
        assert self.total_fen == self.unit_price_fen * self.quantity, "order total is off"
        if self.state not in ("created", "failed"):
            assert self.voucher_fen + self.cash_fen + self.external_fen == self.total_fen, (
                f"order {self.order_id}: payment parts do not sum to the total"
            )
