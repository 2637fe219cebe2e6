"""Errors of the campaign engine, each with a stable ``code`` and the HTTP status it maps to.

A refused operation raises one of these and changes no state. A broken money invariant
(an unbalanced journal, a negative drop bucket) is never one of these: it is an ``assert``.

    LanternError
    └── CampaignError                 CAMPAIGN_ERROR           400
        ├── InvalidScenario           INVALID_SCENARIO         422  (also an InvalidInput)
        ├── InvalidAmount             INVALID_AMOUNT           422  (also an InvalidInput)
        ├── InvalidRequest            INVALID_INPUT            422  (also an InvalidInput)
        ├── NotFoundError             NOT_FOUND                404  (also a NotFound)
        ├── IdempotencyConflict       IDEMPOTENCY_CONFLICT     409  (also a Conflict)
        ├── CampaignNotActive         CAMPAIGN_NOT_ACTIVE      409
        │   └── DropNotOpen           DROP_NOT_OPEN            409
        ├── CampaignFrozen            CAMPAIGN_FROZEN          423
        ├── BudgetExhausted           BUDGET_EXHAUSTED         409
        ├── QuotaExceeded             QUOTA_EXCEEDED           409
        ├── PacingLimit               PACING_LIMIT             409
        ├── ReferralNotAllowed        REFERRAL_NOT_ALLOWED     409
        ├── VoucherNotUsable          VOUCHER_NOT_USABLE       409
        ├── ReservationResolved       RESERVATION_RESOLVED     409
        ├── InsufficientFunds         INSUFFICIENT_FUNDS       409
        └── StorageUnavailable        STORAGE_UNAVAILABLE      503
"""

from __future__ import annotations

from lantern.errors import Conflict, InvalidInput, LanternError, NotFound

__all__ = [
    "BudgetExhausted",
    "CampaignError",
    "CampaignFrozen",
    "CampaignNotActive",
    "DropNotOpen",
    "IdempotencyConflict",
    "InsufficientFunds",
    "InvalidAmount",
    "InvalidRequest",
    "InvalidScenario",
    "NotFoundError",
    "PacingLimit",
    "QuotaExceeded",
    "ReferralNotAllowed",
    "ReservationResolved",
    "StorageUnavailable",
    "VoucherNotUsable",
]


class CampaignError(LanternError):
    """Base of every error the campaign engine raises on purpose."""

    code = "CAMPAIGN_ERROR"
    http_status = 400


class InvalidScenario(CampaignError, InvalidInput):
    """A scenario (built-in, TOML or JSON file) fails validation; the message names the field."""

    code = "INVALID_SCENARIO"
    http_status = 422


class InvalidAmount(CampaignError, InvalidInput):
    """An amount is not a positive whole number of fen within the allowed range."""

    code = "INVALID_AMOUNT"
    http_status = 422


class InvalidRequest(CampaignError, InvalidInput):
    """A request argument (id, idempotency key, category) is malformed."""

    code = "INVALID_INPUT"
    http_status = 422


class NotFoundError(CampaignError, NotFound):
    """A campaign, drop, voucher, reservation or payment does not exist."""

    code = "NOT_FOUND"
    http_status = 404


class IdempotencyConflict(CampaignError, Conflict):
    """The idempotency key was already used with a different operation or payload."""

    code = "IDEMPOTENCY_CONFLICT"
    http_status = 409


class CampaignNotActive(CampaignError):
    """The campaign has not started or has ended."""

    code = "CAMPAIGN_NOT_ACTIVE"
    http_status = 409


class DropNotOpen(CampaignNotActive):
    """The drop's window is not open now (or no drop is open for a claim without a drop)."""

    code = "DROP_NOT_OPEN"
    http_status = 409


class CampaignFrozen(CampaignError):
    """An operator froze the campaign; grants and redemptions wait until it is unfrozen."""

    code = "CAMPAIGN_FROZEN"
    http_status = 423


class BudgetExhausted(CampaignError):
    """The drop (or pool) has no envelopes or money left."""

    code = "BUDGET_EXHAUSTED"
    http_status = 409


class QuotaExceeded(CampaignError):
    """The user reached a per-drop, per-day, per-campaign or referral quota."""

    code = "QUOTA_EXCEEDED"
    http_status = 409


class PacingLimit(CampaignError):
    """Granting now would spend more than the pool's plan up to today; retry tomorrow."""

    code = "PACING_LIMIT"
    http_status = 409


class ReferralNotAllowed(CampaignError):
    """The referral is not allowed: self-invitation, or the invitee was already invited."""

    code = "REFERRAL_NOT_ALLOWED"
    http_status = 409


class VoucherNotUsable(CampaignError):
    """The voucher cannot pay this order: expired, used, reserved, another user's, wrong
    category or merchant, or the order is under the voucher's threshold."""

    code = "VOUCHER_NOT_USABLE"
    http_status = 409


class ReservationResolved(CampaignError):
    """The reservation (or payment) was already captured, released or refunded."""

    code = "RESERVATION_RESOLVED"
    http_status = 409


class InsufficientFunds(CampaignError):
    """The user's campaign wallet holds less cash than the payment asks for."""

    code = "INSUFFICIENT_FUNDS"
    http_status = 409


class StorageUnavailable(CampaignError):
    """The database could not be reached or kept failing; nothing was written."""

    code = "STORAGE_UNAVAILABLE"
    http_status = 503
