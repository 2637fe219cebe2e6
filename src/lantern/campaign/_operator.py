"""Operator requests run inside a batch: freeze, unfreeze, set_pacing, add_drop, expire."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update

from lantern.campaign import _schema as s
from lantern.campaign._codec import encode
from lantern.campaign._config import CampaignConfig, to_us
from lantern.campaign._envelopes import split_buckets
from lantern.campaign._scenario import scenario_from_data
from lantern.campaign._types import ExpiryResult
from lantern.campaign._unit import Tx, new_id
from lantern.campaign._validate import plan_over_budget
from lantern.campaign.errors import BudgetExhausted, InvalidAmount, InvalidRequest

__all__ = ["op_add_drop", "op_expire", "op_freeze", "op_set_pacing", "op_unfreeze"]


def op_freeze(tx: Tx, cfg: CampaignConfig, p: dict[str, Any]) -> tuple[None, str]:
    row = tx.campaigns[cfg.campaign_id]
    tx.change(
        "campaign", (cfg.campaign_id,), row, frozen=True, frozen_reason=str(p["reason"])[:500]
    )
    return None, "null"


def op_unfreeze(tx: Tx, cfg: CampaignConfig, p: dict[str, Any]) -> tuple[None, str]:
    row = tx.campaigns[cfg.campaign_id]
    tx.change("campaign", (cfg.campaign_id,), row, frozen=False, frozen_reason="")
    return None, "null"


def op_set_pacing(tx: Tx, cfg: CampaignConfig, p: dict[str, Any]) -> tuple[None, str]:
    pool = p["pool"]
    if pool not in cfg.pool_kind:
        raise InvalidRequest(f"campaign {cfg.campaign_id!r} has no pool {pool!r}")
    days = {d.isoformat() for d in cfg.scenario.calendar.days()}
    plan: dict[str, int] = {}
    for key, value in p["plan"].items():
        try:
            day = date.fromisoformat(key).isoformat()
        except ValueError as exc:
            raise InvalidRequest(f"pacing plan: {key!r} is not a date (YYYY-MM-DD)") from exc
        if day not in days:
            raise InvalidRequest(f"pacing plan: {day} is outside the campaign calendar")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidAmount(
                f"pacing plan: {day} needs a whole number of fen >= 0, got {value!r}"
            )
        plan[day] = value
    why = plan_over_budget(pool, sum(plan.values()), cfg.scenario.pool(pool).budget_fen)
    if why is not None:
        raise InvalidAmount(why)
    full = dict.fromkeys(sorted(days), 0) | plan
    cid = cfg.campaign_id
    t = s.pacing_plan
    tx.conn.execute(delete(t).where(t.c.campaign_id == cid, t.c.pool == pool))
    tx.conn.execute(
        t.insert(),
        [{"campaign_id": cid, "pool": pool, "day": d, "plan_fen": v} for d, v in full.items()],
    )
    row = tx.campaigns[cid]
    tx.change("campaign", (cid,), row, config_version=row["config_version"] + 1)
    tx.cfgs.pop(cid, None)
    return None, "null"


def op_add_drop(tx: Tx, cfg: CampaignConfig, p: dict[str, Any]) -> tuple[None, str]:
    """Schedule a new drop, funded from its pool's unallocated budget (``pool:<pool>``)."""
    cid = cfg.campaign_id
    data = cfg.scenario.model_dump(mode="json")
    data["drops"].append(p["drop"])
    scenario = scenario_from_data(data, f"new drop for campaign {cid!r}")
    drop = scenario.drop(p["drop"]["id"])
    if to_us(drop.ends_at) <= tx.now_us:
        raise InvalidRequest(f"drop {drop.id!r} would end before now")
    spare = tx.balance(cid, f"pool:{drop.pool}")
    if drop.total_fen > spare:
        raise BudgetExhausted(
            f"pool {drop.pool!r} has {spare} fen unallocated, the drop needs {drop.total_fen}"
        )
    cap = (
        cfg.templates[drop.template].value_fen if drop.template else drop.cap_fen or drop.total_fen
    )
    shards = split_buckets(drop.total_fen, drop.count, cap, cfg.buckets)
    tx.conn.execute(
        s.drop_bucket.insert(),
        [
            {
                "campaign_id": cid,
                "drop_id": drop.id,
                "bucket": b,
                "count_total": count,
                "fen_total": total,
                "count_left": count,
                "fen_left": total,
            }
            for b, (count, total) in enumerate(shards)
        ],
    )
    legs = [(f"drop:{drop.id}#{b}", total) for b, (_, total) in enumerate(shards) if total]
    tx.post(cid, new_id("d"), "allocate", drop.id, [(f"pool:{drop.pool}", -drop.total_fen), *legs])
    text = scenario.model_dump_json()
    c = s.campaign
    tx.conn.execute(
        update(c)
        .where(c.c.campaign_id == cid)
        .values(scenario_json=text, scenario_hash=hashlib.sha256(text.encode()).hexdigest())
    )
    row = tx.campaigns[cid]
    tx.change("campaign", (cid,), row, config_version=row["config_version"] + 1)
    tx.cfgs.pop(cid, None)
    return None, "null"


def _expire_vouchers(tx: Tx, cid: str, now_us: int) -> tuple[int, int, list[tuple[str, int]]]:
    v = s.voucher
    stmt = (
        select(v)
        .where(v.c.campaign_id == cid, v.c.state == "issued", v.c.expires_us <= now_us)
        .order_by(v.c.voucher_id)
        .with_for_update()
    )
    count, total, legs = 0, 0, []
    for found in tx.conn.execute(stmt).mappings():
        key = ("voucher", (found["voucher_id"],))
        row = tx.rows.get(key) or dict(found)
        tx.rows[key] = row
        if row["state"] != "issued":
            continue
        tx.change("voucher", (row["voucher_id"],), row, state="expired")
        legs.append((f"vouchers:{row['user_id']}", -row["value_fen"]))
        count += 1
        total += row["value_fen"]
    return count, total, legs


def _sweep_unclaimed(tx: Tx, cfg: CampaignConfig) -> list[tuple[str, int]]:
    """After the campaign's end: unclaimed drop money and unallocated budget expire."""
    cid = cfg.campaign_id
    legs: list[tuple[str, int]] = []
    b = s.drop_bucket
    stmt = (
        select(b).where(b.c.campaign_id == cid).order_by(b.c.drop_id, b.c.bucket).with_for_update()
    )
    for found in tx.conn.execute(stmt).mappings():
        key = (cid, found["drop_id"], found["bucket"])
        row = tx.rows.get(("drop_bucket", key)) or dict(found)
        tx.rows[("drop_bucket", key)] = row
        if row["fen_left"] > 0:
            legs.append((f"drop:{row['drop_id']}#{row['bucket']}", -row["fen_left"]))
            tx.change("drop_bucket", key, row, count_left=0, fen_left=0)
    for account in ["budget", *(f"pool:{p}" for p in cfg.pool_kind)]:
        balance = tx.balance(cid, account)
        assert balance >= 0, (account, balance)
        if balance:
            legs.append((account, -balance))
    return legs


def op_expire(tx: Tx, cfg: CampaignConfig, p: dict[str, Any]) -> tuple[ExpiryResult, str]:
    cid = cfg.campaign_id
    at = datetime.fromisoformat(p["now"])
    now_us = to_us(at)
    count, voucher_fen, legs = _expire_vouchers(tx, cid, now_us)
    unclaimed: list[tuple[str, int]] = []
    if now_us >= cfg.closes_us:
        unclaimed = _sweep_unclaimed(tx, cfg)
    unclaimed_fen = -sum(amount for _, amount in unclaimed)
    moved = legs + unclaimed
    if moved:
        ref = new_id("x")
        tx.post(cid, ref, "expire", ref, [*moved, ("expired", voucher_fen + unclaimed_fen)])
    result = ExpiryResult(cid, at, count, voucher_fen, unclaimed_fen)
    return result, encode(result)
