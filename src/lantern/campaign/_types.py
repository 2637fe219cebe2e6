"""Results the campaign engine returns: frozen dataclasses, amounts in integer fen.

Every result of a mutating call round-trips through :func:`to_json` / ``from_json`` so that
a retried call with the same idempotency key returns an identical object.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

__all__ = [
    "AuditCheck",
    "AuditReport",
    "CampaignStatus",
    "CashPayment",
    "DayPoolSpend",
    "ExpiryResult",
    "Grant",
    "GrantKind",
    "GrantRole",
    "PoolStatus",
    "ReferralGrant",
    "Refund",
    "Reservation",
    "ReservationState",
    "Voucher",
    "VoucherState",
    "Wallet",
]

GrantKind = Literal["cash", "voucher"]
GrantRole = Literal["claim", "inviter", "invitee"]
VoucherState = Literal["issued", "reserved", "redeemed", "expired", "refunded"]
ReservationState = Literal["reserved", "captured", "released", "refunded"]


@dataclass(frozen=True, slots=True)
class Voucher:
    """A voucher issued to one user: fixed value, or ``value_fen`` off orders of at least
    ``threshold_fen`` (0 = no threshold); usable in ``category``, at ``merchant_ids`` only
    when that tuple is not empty, until ``expires_at``."""

    voucher_id: str
    campaign_id: str
    user_id: str
    template_id: str
    category: str
    value_fen: int
    threshold_fen: int
    merchant_ids: tuple[str, ...]
    expires_at: datetime
    state: VoucherState


@dataclass(frozen=True, slots=True)
class Grant:
    """One envelope granted to a user: cash credited to the wallet, or a voucher issued."""

    grant_id: str
    campaign_id: str
    drop_id: str
    user_id: str
    kind: GrantKind
    pool: str
    amount_fen: int
    granted_at: datetime
    role: GrantRole = "claim"
    voucher: Voucher | None = None


@dataclass(frozen=True, slots=True)
class ReferralGrant:
    """The two cards of one referral: one for the inviter, one for the invitee."""

    inviter: Grant
    invitee: Grant


@dataclass(frozen=True, slots=True)
class Reservation:
    """A voucher held against an order; ``discount_fen`` is what capture pays the merchant."""

    reservation_id: str
    campaign_id: str
    voucher_id: str
    user_id: str
    order_id: str
    merchant_id: str
    category: str
    order_total_fen: int
    discount_fen: int
    state: ReservationState
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CashPayment:
    """Wallet cash paying (part of) an order; the money goes to the merchant's settlement."""

    payment_id: str
    campaign_id: str
    user_id: str
    order_id: str
    merchant_id: str
    amount_fen: int
    state: Literal["paid", "refunded"]
    paid_at: datetime


@dataclass(frozen=True, slots=True)
class Refund:
    """A refund of a captured reservation (discount back to the pool) or of a cash payment
    (cash back to the user's wallet)."""

    refund_id: str
    campaign_id: str
    kind: Literal["reservation", "payment"]
    ref_id: str
    amount_fen: int
    refunded_at: datetime


@dataclass(frozen=True, slots=True)
class ExpiryResult:
    """What one ``expire`` run moved to the expired account."""

    campaign_id: str
    at: datetime
    vouchers_expired: int
    voucher_fen: int
    unclaimed_fen: int


@dataclass(frozen=True, slots=True)
class Wallet:
    """A user's campaign wallet: cash balance and every voucher with its state."""

    campaign_id: str
    user_id: str
    cash_fen: int
    vouchers: tuple[Voucher, ...]
    granted_fen: int


@dataclass(frozen=True, slots=True)
class PoolStatus:
    """One pool: budget, what is left unissued, what was granted, and its plan to date."""

    pool: str
    budget_fen: int
    remaining_fen: int
    granted_fen: int
    plan_to_date_fen: int


@dataclass(frozen=True, slots=True)
class DayPoolSpend:
    """Spend (grants at face value) of one pool on one Shanghai calendar day against its plan.

    ``effective_plan_fen`` is the day's plan plus the plan left unspent on earlier days
    (rolled forward) when the campaign's pacing rolls over."""

    day: date
    pool: str
    plan_fen: int
    effective_plan_fen: int
    spent_fen: int


@dataclass(frozen=True, slots=True)
class CampaignStatus:
    """Budget and spend of a campaign: the budget identity and spend per pool and day."""

    campaign_id: str
    title: str
    state: Literal["scheduled", "active", "ended"]
    frozen: bool
    budget_fen: int
    remaining_fen: int
    outstanding_fen: int
    settled_fen: int
    expired_fen: int
    grants: int
    pools: tuple[PoolStatus, ...]
    days: tuple[DayPoolSpend, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        out = asdict(self)
        out["days"] = [{**d, "day": d["day"].isoformat()} for d in out["days"]]
        return out


@dataclass(frozen=True, slots=True)
class AuditCheck:
    """One audit check: its name, whether it passed, and what was found."""

    name: str
    passed: bool
    details: str


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Every audit check of one campaign; ``passed`` only when all of them pass."""

    campaign_id: str
    checks: tuple[AuditCheck, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "campaign_id": self.campaign_id,
            "passed": self.passed,
            "checks": [asdict(check) for check in self.checks],
        }
