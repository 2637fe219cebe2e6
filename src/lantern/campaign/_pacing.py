"""Pacing: a spend plan per pool and day, which the engine never exceeds.

A pool's budget is planned over its *active days* (days on which one of its drops is open):

- ``even``: the same amount every active day;
- ``holiday-weighted``: holiday days weigh ``holiday_weight`` (2 by default), others 1;
- ``front-loaded``: active day i weighs ``front_decay ** i`` (0.85 by default);
- ``operator``: the plan is given day by day (``Pacing.plan``, or ``set_pacing`` later).

Amounts are split by largest remainder, so a pool's plan adds up exactly to its budget.
With ``rollover`` (the default) the plan left unspent on a day rolls forward: the engine
allows the spend *up to and including* day d to reach the plan up to day d, so the
effective plan of a day is its own plan plus everything planned and not spent before it.
Without rollover each day is capped by its own plan. Pacing counts grants at face value
when they are granted (refunds and expiry do not reopen the plan).

With B buckets (shards) each bucket b may spend ``share(x, b, B) = (x + B - 1 - b) // B`` of a
(cumulative) plan x; the shares add up to x and grow with x.
"""

from __future__ import annotations

from datetime import date, datetime

from lantern.campaign._scenario import Drop, Pacing, Scenario

__all__ = ["active_days", "base_plan", "cumulative", "share"]


def share(total: int, bucket: int, buckets: int) -> int:
    """Bucket ``bucket``'s share of ``total`` when split over ``buckets`` shards."""
    return (total + buckets - 1 - bucket) // buckets


def _open_on(drop: Drop, day: date, scenario: Scenario) -> bool:
    zone = scenario.calendar.zone
    first = drop.starts_at.astimezone(zone).date()
    last_instant = drop.ends_at.astimezone(zone)
    last = last_instant.date()
    if last_instant == datetime.combine(last, datetime.min.time(), tzinfo=zone) and last > first:
        last = date.fromordinal(last.toordinal() - 1)  # a window ending at midnight
    return first <= day <= last


def active_days(scenario: Scenario, pool_id: str) -> list[date]:
    """Calendar days on which at least one drop of the pool is open."""
    drops = [d for d in scenario.drops if d.pool == pool_id]
    return [
        day for day in scenario.calendar.days() if any(_open_on(d, day, scenario) for d in drops)
    ]


def _weights(pacing: Pacing, days: list[date], scenario: Scenario) -> list[float]:
    if pacing.mode == "holiday-weighted":
        return [pacing.holiday_weight if scenario.calendar.is_holiday(d) else 1.0 for d in days]
    if pacing.mode == "front-loaded":
        return [pacing.front_decay**i for i in range(len(days))]
    return [1.0] * len(days)


def base_plan(scenario: Scenario, pool_id: str) -> dict[date, int]:
    """The plan of one pool for every campaign day (0 on days it is not active)."""
    pacing = scenario.pacing_for(pool_id)
    plan = dict.fromkeys(scenario.calendar.days(), 0)
    if pacing.mode == "operator":
        plan.update(pacing.plan)
        return plan
    days = active_days(scenario, pool_id) or scenario.calendar.days()
    weights = _weights(pacing, days, scenario)
    budget = scenario.pool(pool_id).budget_fen
    total_weight = sum(weights)
    exact = [budget * w / total_weight for w in weights]
    amounts = [int(x) for x in exact]
    order = sorted(range(len(days)), key=lambda i: exact[i] - amounts[i], reverse=True)
    for i in order[: budget - sum(amounts)]:
        amounts[i] += 1
    assert sum(amounts) == budget
    plan.update(zip(days, amounts, strict=True))
    return plan


def cumulative(plan: dict[str, int]) -> dict[str, int]:
    """Plan up to and including each day (days as ISO strings, in order)."""
    total, out = 0, {}
    for day in sorted(plan):
        total += plan[day]
        out[day] = total
    return out
