"""The :class:`~lantern.commerce._payments.Payments` protocol over the real campaign engine.

One adapter per campaign: every call names the campaign, the user comes from commerce (the
signed-in user), and the engine enforces every limit (voucher scope, threshold, expiry,
wallet balance, reservations resolved once).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lantern.commerce._payments import VoucherOption

if TYPE_CHECKING:
    from lantern.campaign import CampaignEngine

__all__ = ["CampaignPayments"]


class CampaignPayments:
    """Payments of one campaign through :class:`lantern.campaign.CampaignEngine`."""

    def __init__(self, engine: CampaignEngine, campaign_id: str) -> None:
        self.engine = engine
        self.campaign_id = campaign_id

    def usable_vouchers(self, user_id: str) -> Sequence[VoucherOption]:
        wallet = self.engine.wallet(self.campaign_id, user_id)
        return [
            VoucherOption(
                v.voucher_id,
                v.category,
                v.value_fen,
                v.threshold_fen,
                tuple(v.merchant_ids),
                v.expires_at,
            )
            for v in wallet.vouchers
            if v.state == "issued"
        ]

    def cash_balance_fen(self, user_id: str) -> int:
        return self.engine.wallet(self.campaign_id, user_id).cash_fen

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
        reservation = self.engine.reserve_voucher(
            self.campaign_id,
            voucher_id,
            user_id,
            order_id=order_id,
            order_total_fen=order_total_fen,
            merchant_id=merchant_id,
            category=category,
            idempotency_key=idempotency_key,
        )
        return reservation.reservation_id, reservation.discount_fen

    def capture_voucher(self, reservation_id: str, *, idempotency_key: str) -> None:
        self.engine.capture(self.campaign_id, reservation_id, idempotency_key=idempotency_key)

    def release_voucher(self, reservation_id: str, *, idempotency_key: str) -> None:
        self.engine.release(self.campaign_id, reservation_id, idempotency_key=idempotency_key)

    def spend_cash(
        self,
        *,
        user_id: str,
        order_id: str,
        merchant_id: str,
        amount_fen: int,
        idempotency_key: str,
    ) -> str:
        payment = self.engine.spend_cash(
            self.campaign_id,
            user_id,
            amount_fen,
            order_id=order_id,
            merchant_id=merchant_id,
            idempotency_key=idempotency_key,
        )
        return payment.payment_id

    def refund_voucher(self, reservation_id: str, *, idempotency_key: str) -> None:
        self.engine.refund(
            self.campaign_id, reservation_id=reservation_id, idempotency_key=idempotency_key
        )

    def refund_cash(self, payment_id: str, *, idempotency_key: str) -> None:
        self.engine.refund(self.campaign_id, payment_id=payment_id, idempotency_key=idempotency_key)
