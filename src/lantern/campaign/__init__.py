"""The campaign engine: red envelopes, vouchers, pacing, a double-entry ledger and its audit.

Public API (everything else is private)::

    from lantern.campaign import CampaignEngine, load_scenario
    from lantern.clock import FakeClock

    engine = CampaignEngine.open("sqlite:///campaign.db", clock=FakeClock())
    engine.load(load_scenario("spring-festival-2026", scale=1e-4))
    grant = engine.claim("spring-festival-2026", "u1", idempotency_key="k1")
    assert engine.audit("spring-festival-2026").passed

See docs/campaign.md for the model, the ledger, the algorithms and the benchmark.
"""

from lantern.campaign._builtin import BUILTIN_SCENARIOS, VARIANTS, load_scenario
from lantern.campaign._engine import CampaignEngine
from lantern.campaign._envelopes import envelope_amount, split_envelopes
from lantern.campaign._scenario import (
    CATEGORIES,
    Calendar,
    Drop,
    Pacing,
    Pool,
    Quota,
    Referral,
    Scenario,
    VoucherTemplate,
    scenario_from_file,
)
from lantern.campaign._types import (
    AuditCheck,
    AuditReport,
    CampaignStatus,
    CashPayment,
    DayPoolSpend,
    ExpiryResult,
    Grant,
    PoolStatus,
    ReferralGrant,
    Refund,
    Reservation,
    Voucher,
    Wallet,
)
from lantern.campaign.errors import (
    BudgetExhausted,
    CampaignError,
    CampaignFrozen,
    CampaignNotActive,
    DropNotOpen,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidRequest,
    InvalidScenario,
    NotFoundError,
    PacingLimit,
    QuotaExceeded,
    ReferralNotAllowed,
    ReservationResolved,
    StorageUnavailable,
    VoucherNotUsable,
)

__all__ = [
    "BUILTIN_SCENARIOS",
    "CATEGORIES",
    "VARIANTS",
    "AuditCheck",
    "AuditReport",
    "BudgetExhausted",
    "Calendar",
    "CampaignEngine",
    "CampaignError",
    "CampaignFrozen",
    "CampaignNotActive",
    "CampaignStatus",
    "CashPayment",
    "DayPoolSpend",
    "Drop",
    "DropNotOpen",
    "ExpiryResult",
    "Grant",
    "IdempotencyConflict",
    "InsufficientFunds",
    "InvalidAmount",
    "InvalidRequest",
    "InvalidScenario",
    "NotFoundError",
    "Pacing",
    "PacingLimit",
    "Pool",
    "PoolStatus",
    "Quota",
    "QuotaExceeded",
    "Referral",
    "ReferralGrant",
    "ReferralNotAllowed",
    "Refund",
    "Reservation",
    "ReservationResolved",
    "Scenario",
    "StorageUnavailable",
    "Voucher",
    "VoucherNotUsable",
    "VoucherTemplate",
    "Wallet",
    "envelope_amount",
    "load_scenario",
    "scenario_from_file",
    "split_envelopes",
]
