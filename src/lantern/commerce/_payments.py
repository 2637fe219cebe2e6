"""What commerce needs from the campaign engine to take money, as a small Protocol.

:class:`~lantern.commerce._campaign_payments.CampaignPayments` adapts the real
:class:`lantern.campaign.CampaignEngine`; :class:`FakePayments` is an in-memory stand-in for
unit tests that can be told to fail at any step. Every mutating call takes an idempotency
key: the same key returns the same result, so a retried payment never charges twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from lantern.errors import LanternError

__all__ = ["FakePayments", "Payments", "VoucherOption", "best_voucher"]


@dataclass(frozen=True, slots=True)
class VoucherOption:
    """An unused voucher of the user: ``value_fen`` off orders of at least ``threshold_fen``
    in ``category``, at ``merchant_ids`` only when that tuple is not empty."""

    voucher_id: str
    category: str
    value_fen: int
    threshold_fen: int
    merchant_ids: tuple[str, ...]
    expires_at: datetime

    def fits(self, category: str, merchant_id: str, total_fen: int, at: datetime) -> bool:
        return (
            self.category == category
            and total_fen >= self.threshold_fen
            and (not self.merchant_ids or merchant_id in self.merchant_ids)
            and at < self.expires_at
        )


def best_voucher(
    options: Sequence[VoucherOption], category: str, merchant_id: str, total_fen: int, at: datetime
) -> VoucherOption | None:
    """The usable voucher that takes the most off, the earliest-expiring among equals."""
    usable = [v for v in options if v.fits(category, merchant_id, total_fen, at)]
    if not usable:
        return None
    return min(usable, key=lambda v: (-min(v.value_fen, total_fen), v.expires_at, v.voucher_id))


class Payments(Protocol):
    """The campaign's money operations commerce uses; each acts for one user only."""

    def usable_vouchers(self, user_id: str) -> Sequence[VoucherOption]: ...

    def cash_balance_fen(self, user_id: str) -> int: ...

    def reserve_voucher(
        self,
        *,
        user_id: str,
        voucher_id: str,
        order_id: str,
        merchant_id: str,
        category: str,
        order_total_fen: int,
        idempotency_key: str,
    ) -> tuple[str, int]:
        """Hold the voucher against the order: (reservation id, discount in fen)."""
        ...

    def capture_voucher(self, reservation_id: str, *, idempotency_key: str) -> None: ...

    def release_voucher(self, reservation_id: str, *, idempotency_key: str) -> None: ...

    def spend_cash(
        self,
        *,
        user_id: str,
        order_id: str,
        merchant_id: str,
        amount_fen: int,
        idempotency_key: str,
    ) -> str:
        """Pay from the user's wallet; the payment id."""
        ...

    def refund_voucher(self, reservation_id: str, *, idempotency_key: str) -> None: ...

    def refund_cash(self, payment_id: str, *, idempotency_key: str) -> None: ...


class FakePaymentError(LanternError):
    code = "FAKE_PAYMENT_ERROR"
    http_status = 409


@dataclass
class FakePayments:
    """In-memory payments for unit tests; ``fail_on`` names a step that raises once."""

    vouchers: dict[str, list[VoucherOption]] = field(default_factory=dict)
    cash_fen: dict[str, int] = field(default_factory=dict)
    fail_on: str | None = None
    calls: list[tuple[str, str]] = field(default_factory=list)
    reservations: dict[str, tuple[str, str, int, str]] = field(default_factory=dict)
    payments: dict[str, tuple[str, int, str, str]] = field(default_factory=dict)
    _done: set[str] = field(default_factory=set)
    _reserved: dict[str, tuple[str, int]] = field(default_factory=dict)
    _spent: dict[str, str] = field(default_factory=dict)

    def _step(self, name: str, key: str) -> bool:
        """Record the call; True when this key ran before (idempotent replay)."""
        self.calls.append((name, key))
        if self.fail_on == name:
            self.fail_on = None
            raise FakePaymentError(f"{name} refused (fake)")
        return key in self._done

    def usable_vouchers(self, user_id: str) -> Sequence[VoucherOption]:
        held = {r[1] for r in self.reservations.values() if r[3] != "released"}
        return [v for v in self.vouchers.get(user_id, []) if v.voucher_id not in held]

    def cash_balance_fen(self, user_id: str) -> int:
        return self.cash_fen.get(user_id, 0)

    def reserve_voucher(
        self,
        *,
        user_id: str,
        voucher_id: str,
        order_id: str,
        merchant_id: str,
        category: str,
        order_total_fen: int,
        idempotency_key: str,
    ) -> tuple[str, int]:
        if self._step("reserve", idempotency_key):
            return self._reserved[idempotency_key]
        voucher = next(v for v in self.usable_vouchers(user_id) if v.voucher_id == voucher_id)
        discount = min(voucher.value_fen, order_total_fen)
        rid = f"RS-{len(self.reservations) + 1}"
        self.reservations[rid] = (user_id, voucher_id, discount, "reserved")
        self._reserved[idempotency_key] = (rid, discount)
        self._done.add(idempotency_key)
        return rid, discount

    def _resolve(self, name: str, rid: str, key: str, before: str, after: str) -> None:
        if self._step(name, key):
            return
        user, voucher, discount, state = self.reservations[rid]
        assert state == before, f"{name} of a {state} reservation"
        self.reservations[rid] = (user, voucher, discount, after)
        self._done.add(key)

    def capture_voucher(self, reservation_id: str, *, idempotency_key: str) -> None:
        self._resolve("capture", reservation_id, idempotency_key, "reserved", "captured")

    def release_voucher(self, reservation_id: str, *, idempotency_key: str) -> None:
        self._resolve("release", reservation_id, idempotency_key, "reserved", "released")

    def refund_voucher(self, reservation_id: str, *, idempotency_key: str) -> None:
        self._resolve("refund_voucher", reservation_id, idempotency_key, "captured", "released")

    def spend_cash(
        self,
        *,
        user_id: str,
        order_id: str,
        merchant_id: str,
        amount_fen: int,
        idempotency_key: str,
    ) -> str:
        if self._step("spend_cash", idempotency_key):
            return self._spent[idempotency_key]
        assert 0 < amount_fen <= self.cash_fen.get(user_id, 0), "fake wallet overdrawn"
        self.cash_fen[user_id] -= amount_fen
        pid = f"PY-{len(self.payments) + 1}"
        self.payments[pid] = (user_id, amount_fen, "paid", order_id)
        self._spent[idempotency_key] = pid
        self._done.add(idempotency_key)
        return pid

    def refund_cash(self, payment_id: str, *, idempotency_key: str) -> None:
        if self._step("refund_cash", idempotency_key):
            return
        user, amount, state, order_id = self.payments[payment_id]
        assert state == "paid", "cash refunded twice"
        self.cash_fen[user] += amount
        self.payments[payment_id] = (user, amount, "refunded", order_id)
        self._done.add(idempotency_key)
