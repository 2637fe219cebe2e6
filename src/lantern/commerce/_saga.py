"""Paying an order: a short saga over the campaign engine, exactly once.

Each step has an idempotency key derived from the order id (``OD-00000042:reserve``,
``:cash``, ``:release``, ``:refund-cash``, ``:refund-voucher``) and its progress is written
to the order row before the next step, so a retry after a crash replays the same keys and
the campaign charges once. When the campaign refuses a step, the steps already done are
undone and the order ends ``failed`` with its stock back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lantern.clock import Clock
from lantern.commerce._orders import Order, parse_order_id
from lantern.commerce._payments import Payments
from lantern.commerce._store import OrderStore
from lantern.commerce.errors import PaymentFailed
from lantern.errors import LanternError
from lantern.logs import get_logger

__all__ = ["PaymentSaga"]


class PaymentSaga:
    """Reserve the voucher, take wallet cash, record the rest as paid outside Lantern."""

    def __init__(self, store: OrderStore, payments: Payments, clock: Clock) -> None:
        self.store = store
        self.payments = payments
        self.clock = clock

    def pay(self, order: Order, choose_voucher: Callable[[Order], str | None]) -> Order:
        """Move a ``created`` order to ``paid`` (resuming recorded progress), or fail it."""
        number = parse_order_id(order.order_id)
        _, row = self.store.get(number)
        try:
            self._reserve(order, row, choose_voucher)
            self._spend_cash(order, row)
        except LanternError as exc:
            self.undo(order, row)
            self.store.move(
                number,
                "created",
                "failed",
                self.clock.now(),
                restock=True,
                failure=f"{exc.code}: {exc.message}"[:400],
            )
            get_logger("commerce").info("payment_failed", order_id=order.order_id, code=exc.code)
            raise PaymentFailed(
                f"payment for {order.order_id} was refused ({exc.code}: {exc.message}); "
                "nothing was charged"
            ) from exc
        external = order.total_fen - row["voucher_fen"] - row["cash_fen"]
        return self.store.move(
            number,
            "created",
            "paid",
            self.clock.now(),
            external_fen=external,
            voucher_fen=row["voucher_fen"],
            cash_fen=row["cash_fen"],
        )

    def _reserve(
        self, order: Order, row: dict[str, Any], choose_voucher: Callable[[Order], str | None]
    ) -> None:
        number, oid = parse_order_id(order.order_id), order.order_id
        if row["voucher_id"] is None and row["reservation_id"] is None:
            row["voucher_id"] = choose_voucher(order) or ""  # "" = decided: no voucher
            self.store.set_values(number, "created", voucher_id=row["voucher_id"])
        if row["voucher_id"]:
            rid, discount = self.payments.reserve_voucher(
                user_id=order.user_id,
                voucher_id=row["voucher_id"],
                order_id=oid,
                merchant_id=order.merchant_id,
                category=order.category,
                order_total_fen=order.total_fen,
                idempotency_key=f"{oid}:reserve",
            )
            row.update(reservation_id=rid, voucher_fen=discount)
            self.store.set_values(number, "created", reservation_id=rid, voucher_fen=discount)

    def _spend_cash(self, order: Order, row: dict[str, Any]) -> None:
        rest = order.total_fen - row["voucher_fen"]
        if row["payment_id"] is not None or rest <= 0:
            return
        cash = min(self.payments.cash_balance_fen(order.user_id), rest)
        if cash > 0:
            row["payment_id"] = self.payments.spend_cash(
                user_id=order.user_id,
                order_id=order.order_id,
                merchant_id=order.merchant_id,
                amount_fen=cash,
                idempotency_key=f"{order.order_id}:cash",
            )
            self.store.set_values(
                parse_order_id(order.order_id),
                "created",
                payment_id=row["payment_id"],
                cash_fen=cash,
            )
            row["cash_fen"] = cash

    def refund_captured(self, order: Order, row: dict[str, Any]) -> None:
        """Give back what a committed (captured) order paid: the voucher's discount back to
        its campaign pool, the wallet cash to the wallet; idempotent."""
        oid = order.order_id
        if row.get("payment_id"):
            self.payments.refund_cash(row["payment_id"], idempotency_key=f"{oid}:refund-cash")
        if row.get("reservation_id"):
            self.payments.refund_voucher(
                row["reservation_id"], idempotency_key=f"{oid}:refund-voucher"
            )

    def undo(self, order: Order, row: dict[str, Any]) -> None:
        """Give back what the campaign holds for this order: release the (uncaptured)
        voucher, refund the wallet cash; idempotent."""
        oid = order.order_id
        if row.get("payment_id"):
            self.payments.refund_cash(row["payment_id"], idempotency_key=f"{oid}:refund-cash")
        if row.get("reservation_id"):
            self.payments.release_voucher(row["reservation_id"], idempotency_key=f"{oid}:release")
