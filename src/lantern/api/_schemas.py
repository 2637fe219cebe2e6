"""Request bodies of the campaign routes: strict pydantic models, unknown fields refused.

Amounts are strict integers of fen (``12.5``, ``"100"`` and ``1e3`` are refused), positive and
at most ``AMOUNT_FEN_MAX``; ids follow the engine's id alphabet. Responses are the engine's
own frozen dataclasses (``Grant``, ``Wallet`` ...), serialised as they are.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

__all__ = [
    "AMOUNT_FEN_MAX",
    "IDEMPOTENCY_KEY_PATTERN",
    "ClaimBody",
    "CreateCampaignBody",
    "FreezeBody",
    "PacingBody",
    "PaymentBody",
    "RefundBody",
    "ReserveBody",
]

AMOUNT_FEN_MAX = 10**11
"""One billion yuan, the engine's own limit: more than any order, far below int64."""

IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_.:-]{1,60}$"
"""Scoped as ``u:<user id>:<key>``, which stays within the engine's 128 characters."""
_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"

Fen = Annotated[StrictInt, Field(gt=0, le=AMOUNT_FEN_MAX, examples=[2500])]
Id = Annotated[str, Field(pattern=_ID, examples=["ord-0001"])]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClaimBody(_Body):
    """Claim one envelope, of ``drop_id`` or of the first open drop the user may claim."""

    drop_id: Id | None = None


class ReserveBody(_Body):
    """Hold one of the caller's vouchers against an order at checkout."""

    voucher_id: Id
    order_id: Id
    order_total_fen: Fen
    merchant_id: Id
    category: Literal["gastronomy", "entertainment", "leisure"]


class PaymentBody(_Body):
    """Pay (part of) an order from the caller's campaign wallet."""

    amount_fen: Fen
    order_id: Id
    merchant_id: Id


class RefundBody(_Body):
    """Refund exactly one of: a captured reservation, a cash payment."""

    reservation_id: Id | None = None
    payment_id: Id | None = None


class FreezeBody(_Body):
    """Why the campaign is frozen (kept in the journal)."""

    reason: str = Field(default="", max_length=500)


class PacingBody(_Body):
    """A pool's daily plan in fen, for every campaign day (``{"2026-02-06": 100000, ...}``)."""

    plan_fen: dict[str, Annotated[StrictInt, Field(ge=0, le=AMOUNT_FEN_MAX)]]


class CreateCampaignBody(_Body):
    """Load a campaign: a built-in scenario by name, or a full scenario document."""

    builtin: str | None = Field(default=None, examples=["spring-festival-2026"])
    variant: str | None = Field(default=None, examples=["tencent"])
    scale: float = Field(default=1.0, gt=0, le=1.0)
    scenario: dict[str, Any] | None = None
