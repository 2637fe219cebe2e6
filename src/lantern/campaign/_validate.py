"""Cross-field checks of a scenario (run by the model's validator; raise ValueError)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lantern.campaign._scenario import Drop, Scenario

__all__ = ["check_scenario"]


def _unique(kind: str, ids: list[str]) -> None:
    dupes = [name for name, n in Counter(ids).items() if n > 1]
    if dupes:
        raise ValueError(f"duplicate {kind} id(s): {', '.join(sorted(dupes))}")


def _check_drop(scenario: Scenario, drop: Drop) -> None:
    pools = {p.id: p for p in scenario.pools}
    templates = {t.id: t for t in scenario.templates}
    pool = pools.get(drop.pool)
    if pool is None:
        raise ValueError(f"drop {drop.id!r}: unknown pool {drop.pool!r}")
    if pool.kind == "cash":
        if drop.template is not None:
            raise ValueError(f"drop {drop.id!r}: a cash drop takes no voucher template")
    else:
        template = templates.get(drop.template or "")
        if template is None:
            raise ValueError(
                f"drop {drop.id!r}: needs a known voucher template, got {drop.template!r}"
            )
        if template.category != pool.category:
            raise ValueError(f"drop {drop.id!r}: template category differs from the pool's")
        if drop.total_fen != drop.count * template.value_fen:
            raise ValueError(f"drop {drop.id!r}: a voucher drop's total must be count x value")
    opens, closes = scenario.calendar.opens_at(), scenario.calendar.closes_at()
    if drop.starts_at < opens or drop.ends_at > closes:
        raise ValueError(f"drop {drop.id!r}: window outside the campaign calendar")


def _check_quotas_and_referral(scenario: Scenario) -> None:
    drop_ids = {d.id for d in scenario.drops}
    for quota in scenario.quotas:
        unknown = set(quota.drops) - drop_ids
        if unknown:
            raise ValueError(f"quota {quota.id!r}: unknown drop(s) {sorted(unknown)}")
        if quota.max_count is None and quota.max_amount_fen is None:
            raise ValueError(f"quota {quota.id!r}: needs max_count or max_amount_fen")
    if scenario.referral is not None:
        ref = next((d for d in scenario.drops if d.id == scenario.referral.drop), None)
        if ref is None or not ref.referral:
            raise ValueError("referral.drop must name a drop marked referral = true")


def plan_over_budget(pool_id: str, planned_fen: int, budget_fen: int) -> str | None:
    """Why an operator pacing plan is refused (it promises more than the pool holds), or
    None; for scenario files and for ``set_pacing`` alike."""
    if planned_fen <= budget_fen:
        return None
    return (
        f"pacing of {pool_id!r}: the operator plan adds up to {planned_fen} fen, over the "
        f"pool's budget of {budget_fen} fen"
    )


def _check_pacing(scenario: Scenario) -> None:
    pool_ids = {p.id for p in scenario.pools} | {"*"}
    days = set(scenario.calendar.days())
    for pool_id, pacing in scenario.pacing.items():
        if pool_id not in pool_ids:
            raise ValueError(f"pacing for unknown pool {pool_id!r}")
        if pacing.mode == "operator" and not pacing.plan:
            raise ValueError(f"pacing of {pool_id!r}: operator mode needs a plan")
        if not set(pacing.plan) <= days or any(v < 0 for v in pacing.plan.values()):
            raise ValueError(f"pacing of {pool_id!r}: plan days outside the calendar or < 0")
        if pacing.mode == "operator":
            planned = sum(pacing.plan.values())
            governed = (
                [p for p in scenario.pools if p.id not in scenario.pacing]
                if pool_id == "*"
                else [p for p in scenario.pools if p.id == pool_id]
            )
            for pool in governed:
                if (why := plan_over_budget(pool.id, planned, pool.budget_fen)) is not None:
                    raise ValueError(why)


def check_scenario(scenario: Scenario) -> None:
    """Raise ValueError naming the first inconsistency between pools, drops and quotas."""
    _unique("pool", [p.id for p in scenario.pools])
    _unique("template", [t.id for t in scenario.templates])
    _unique("drop", [d.id for d in scenario.drops])
    _unique("quota", [q.id for q in scenario.quotas])
    if sum(p.budget_fen for p in scenario.pools) > scenario.budget_fen:
        raise ValueError("pool budgets add up to more than the campaign budget")
    for drop in scenario.drops:
        _check_drop(scenario, drop)
    for pool in scenario.pools:
        allocated = sum(d.total_fen for d in scenario.drops if d.pool == pool.id)
        if allocated > pool.budget_fen:
            raise ValueError(f"pool {pool.id!r}: drops total {allocated} fen, over its budget")
    _check_quotas_and_referral(scenario)
    _check_pacing(scenario)
