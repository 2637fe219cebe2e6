"""The campaign engine as the drill's :class:`CampaignSide` (its public API only)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from lantern.drill._ports import AuditOutcome

if TYPE_CHECKING:
    from lantern.campaign import CampaignEngine

__all__ = ["CampaignAdapter"]


class CampaignAdapter:
    """Reads budget, spend per pool, plan and the audit of one campaign of the engine.

    "Spent" is what left a pool: ``budget - remaining`` per pool (cash credited to wallets
    and vouchers issued, whether redeemed yet or not).
    """

    def __init__(self, engine: CampaignEngine, campaign_id: str, days: tuple[date, ...]) -> None:
        self.engine = engine
        self.campaign_id = campaign_id
        self.days = days
        self._budget_fen = engine.status(campaign_id).budget_fen

    @property
    def budget_fen(self) -> int:
        return self._budget_fen

    def spent_by_pool_fen(self) -> Mapping[str, int]:
        status = self.engine.status(self.campaign_id)
        return {p.pool: p.budget_fen - p.remaining_fen for p in status.pools}

    def plan_by_pool_fen(self) -> Mapping[str, Mapping[date, int]]:
        plan: dict[str, dict[date, int]] = {}
        for row in self.engine.status(self.campaign_id).days:
            if row.day in self.days:
                plan.setdefault(row.pool, {})[row.day] = row.plan_fen
        return plan

    def envelopes_granted(self) -> int:
        return self.engine.status(self.campaign_id).grants

    def audit(self) -> AuditOutcome:
        report = self.engine.audit(self.campaign_id)
        failed = tuple(f"{c.name}: {c.details}" for c in report.checks if not c.passed)
        return AuditOutcome(report.passed, failed)
