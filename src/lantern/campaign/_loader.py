"""Loading a scenario: fund the pools, split the drops into buckets, store the plan."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Engine, delete, select

from lantern.campaign import _schema as s
from lantern.campaign._config import to_us
from lantern.campaign._envelopes import split_buckets
from lantern.campaign._pacing import base_plan
from lantern.campaign._scenario import Scenario
from lantern.campaign.errors import InvalidScenario
from lantern.clock import Clock

__all__ = ["CAMPAIGN_TABLES", "load_campaign"]

CAMPAIGN_TABLES = (
    s.journal,
    s.account,
    s.idempotency,
    s.payment,
    s.reservation,
    s.voucher,
    s.grant,
    s.drop_bucket,
    s.pacing_bucket,
    s.pacing_plan,
    s.campaign,
)


def _funding_legs(
    scenario: Scenario, shards: dict[str, list[tuple[int, int]]]
) -> list[tuple[str, int]]:
    legs = [("funding", -scenario.budget_fen)]
    unallocated = scenario.budget_fen - sum(p.budget_fen for p in scenario.pools)
    if unallocated:
        legs.append(("budget", unallocated))
    for pool in scenario.pools:
        spare = pool.budget_fen - sum(d.total_fen for d in scenario.drops if d.pool == pool.id)
        if spare:
            legs.append((f"pool:{pool.id}", spare))
    for drop in scenario.drops:
        legs.extend(
            (f"drop:{drop.id}#{b}", total) for b, (_, total) in enumerate(shards[drop.id]) if total
        )
    assert sum(amount for _, amount in legs) == 0
    return legs


def _shards(scenario: Scenario, buckets: int) -> dict[str, list[tuple[int, int]]]:
    out = {}
    for drop in scenario.drops:
        if drop.template is not None:
            cap = scenario.template(drop.template).value_fen
        else:
            cap = drop.cap_fen or drop.total_fen
        out[drop.id] = split_buckets(drop.total_fen, drop.count, cap, buckets)
    return out


def _rows(scenario: Scenario, buckets: int, now_us: int) -> dict[Any, list[dict[str, Any]]]:
    """Every row of a newly loaded campaign except the campaign row, per table."""
    cid = scenario.id
    shards = _shards(scenario, buckets)
    legs = _funding_legs(scenario, shards)
    return {
        s.pacing_plan: [
            {"campaign_id": cid, "pool": pool.id, "day": day.isoformat(), "plan_fen": fen}
            for pool in scenario.pools
            for day, fen in base_plan(scenario, pool.id).items()
        ],
        s.pacing_bucket: [
            {
                "campaign_id": cid,
                "pool": pool.id,
                "bucket": b,
                "spent_fen": 0,
                "day": "",
                "day_spent_fen": 0,
            }
            for pool in scenario.pools
            for b in range(buckets)
        ],
        s.drop_bucket: [
            {
                "campaign_id": cid,
                "drop_id": drop_id,
                "bucket": b,
                "count_total": count,
                "fen_total": total,
                "count_left": count,
                "fen_left": total,
            }
            for drop_id, parts in shards.items()
            for b, (count, total) in enumerate(parts)
        ],
        s.journal: [
            {
                "campaign_id": cid,
                "txn_id": f"fund-{cid}",
                "kind": "fund",
                "ref": cid,
                "account": account,
                "amount_fen": amount,
                "at_us": now_us,
            }
            for account, amount in legs
        ],
        s.account: [
            {
                "campaign_id": cid,
                "account": account,
                "kind": account.split(":", 1)[0],
                "balance_fen": amount,
            }
            for account, amount in legs
        ],
    }


def load_campaign(
    db: Engine, scenario: Scenario, buckets: int, clock: Clock, *, replace: bool
) -> None:
    """Insert a campaign with its funding transaction (idempotent for the same scenario)."""
    text = scenario.model_dump_json()
    digest = hashlib.sha256(text.encode()).hexdigest()
    cid = scenario.id
    with db.begin() as conn:
        t = s.campaign
        existing = conn.execute(select(t.c.scenario_hash).where(t.c.campaign_id == cid)).scalar()
        if existing is not None:
            if existing == digest and not replace:
                return
            if not replace:
                raise InvalidScenario(
                    f"campaign {cid!r} is already loaded from a different scenario; "
                    "use another campaign id, or --replace to delete the old one (tests only)"
                )
            for table in CAMPAIGN_TABLES:
                conn.execute(delete(table).where(table.c.campaign_id == cid))
        now_us = to_us(clock.now())
        campaign_row = {
            "campaign_id": cid,
            "title": scenario.title,
            "scenario_json": text,
            "scenario_hash": digest,
            "budget_fen": scenario.budget_fen,
            "buckets": buckets,
            "frozen": False,
            "frozen_reason": "",
            "config_version": 1,
            "created_us": now_us,
        }
        conn.execute(t.insert(), [campaign_row])
        for table, rows in _rows(scenario, buckets, now_us).items():
            conn.execute(table.insert(), rows)
