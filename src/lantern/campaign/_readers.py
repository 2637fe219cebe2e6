"""Read paths: grants (for idempotent replays), campaign status and wallets."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from lantern.campaign import _schema as s
from lantern.campaign._config import from_us
from lantern.campaign._pacing import cumulative
from lantern.campaign._scenario import Scenario
from lantern.campaign._types import (
    CampaignStatus,
    DayPoolSpend,
    Grant,
    PoolStatus,
    Voucher,
    VoucherState,
    Wallet,
)
from lantern.campaign.errors import NotFoundError

__all__ = ["campaign_status", "load_grants", "wallet"]


def _voucher(row: Mapping[str, Any], state: VoucherState | None = None) -> Voucher:
    merchants = str(row["merchant_ids"])
    return Voucher(
        row["voucher_id"],
        row["campaign_id"],
        row["user_id"],
        row["template_id"],
        row["category"],
        int(row["value_fen"]),
        int(row["threshold_fen"]),
        tuple(merchants.split(",")) if merchants else (),
        from_us(int(row["expires_us"])),
        state or row["state"],
    )


def load_grants(conn: Connection, grant_ids: list[str]) -> list[Grant]:
    """Grants by id, as they were returned when granted (vouchers in state ``issued``)."""
    g, v = s.grant, s.voucher
    rows = {
        r["grant_id"]: dict(r)
        for r in conn.execute(select(g).where(g.c.grant_id.in_(grant_ids))).mappings()
    }
    vouchers = {
        r["grant_id"]: _voucher(dict(r), "issued")
        for r in conn.execute(select(v).where(v.c.grant_id.in_(grant_ids))).mappings()
    }
    out = []
    for gid in grant_ids:
        r = rows[gid]
        out.append(
            Grant(
                gid,
                r["campaign_id"],
                r["drop_id"],
                r["user_id"],
                r["kind"],
                r["pool"],
                r["amount_fen"],
                from_us(r["at_us"]),
                r["role"],
                vouchers.get(gid),
            )
        )
    return out


def _campaign(conn: Connection, campaign_id: str) -> dict[str, object]:
    row = (
        conn.execute(select(s.campaign).where(s.campaign.c.campaign_id == campaign_id))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFoundError(
            f"no campaign {campaign_id!r} is loaded; load it first (lantern campaign load)"
        )
    return dict(row)


def _state(scenario: Scenario, now: datetime) -> Literal["scheduled", "active", "ended"]:
    if now < scenario.calendar.opens_at():
        return "scheduled"
    return "active" if now < scenario.calendar.closes_at() else "ended"


def _days(
    conn: Connection, cid: str, scenario: Scenario
) -> tuple[list[DayPoolSpend], dict[str, int]]:
    p, g = s.pacing_plan, s.grant
    plan: dict[str, dict[str, int]] = {pool.id: {} for pool in scenario.pools}
    for pool, day, fen in conn.execute(
        select(p.c.pool, p.c.day, p.c.plan_fen).where(p.c.campaign_id == cid)
    ):
        plan[pool][day] = fen
    spent: dict[tuple[str, str], int] = {}
    stmt = (
        select(g.c.pool, g.c.day, func.sum(g.c.amount_fen))
        .where(g.c.campaign_id == cid)
        .group_by(g.c.pool, g.c.day)
    )
    for pool, day, total in conn.execute(stmt):
        spent[(pool, day)] = int(total)
    out, granted = [], {}
    for pool in scenario.pools:
        cum = cumulative(plan[pool.id])
        rollover = scenario.pacing_for(pool.id).rollover
        before = 0
        for day in sorted(plan[pool.id]):
            day_spent = spent.get((pool.id, day), 0)
            effective = cum[day] - before if rollover else plan[pool.id][day]
            out.append(
                DayPoolSpend(
                    date.fromisoformat(day), pool.id, plan[pool.id][day], effective, day_spent
                )
            )
            before += day_spent
        granted[pool.id] = sum(v for (pl, _), v in spent.items() if pl == pool.id)
    return out, granted


def campaign_status(conn: Connection, campaign_id: str, now: datetime) -> CampaignStatus:
    row = _campaign(conn, campaign_id)
    scenario = Scenario.model_validate_json(str(row["scenario_json"]))
    a = s.account
    by_kind: dict[str, int] = {}
    for kind, total in conn.execute(
        select(a.c.kind, func.sum(a.c.balance_fen))
        .where(a.c.campaign_id == campaign_id)
        .group_by(a.c.kind)
    ):
        by_kind[kind] = int(total)
    drop_pool = {d.id: d.pool for d in scenario.drops}
    remaining: dict[str, int] = {p.id: 0 for p in scenario.pools}
    for account, balance in conn.execute(
        select(a.c.account, a.c.balance_fen).where(
            a.c.campaign_id == campaign_id, a.c.kind.in_(["pool", "drop"])
        )
    ):
        name = account.split(":", 1)[1]
        pool = name if account.startswith("pool:") else drop_pool[name.rsplit("#", 1)[0]]
        remaining[pool] += balance
    days, granted = _days(conn, campaign_id, scenario)
    today = now.astimezone(scenario.calendar.zone).date()
    pools = tuple(
        PoolStatus(
            p.id,
            p.budget_fen,
            remaining[p.id],
            granted[p.id],
            sum(d.plan_fen for d in days if d.pool == p.id and d.day <= today),
        )
        for p in scenario.pools
    )
    grants = conn.execute(
        select(func.count()).select_from(s.grant).where(s.grant.c.campaign_id == campaign_id)
    ).scalar()
    return CampaignStatus(
        campaign_id,
        scenario.title,
        _state(scenario, now),
        bool(row["frozen"]),
        scenario.budget_fen,
        by_kind.get("budget", 0) + by_kind.get("pool", 0) + by_kind.get("drop", 0),
        by_kind.get("wallet", 0) + by_kind.get("vouchers", 0),
        by_kind.get("merchant", 0),
        by_kind.get("expired", 0),
        int(grants or 0),
        pools,
        tuple(days),
    )


def wallet(conn: Connection, campaign_id: str, user_id: str) -> Wallet:
    _campaign(conn, campaign_id)
    a, v, g = s.account, s.voucher, s.grant
    cash = conn.execute(
        select(a.c.balance_fen).where(
            a.c.campaign_id == campaign_id, a.c.account == f"wallet:{user_id}"
        )
    ).scalar()
    vouchers = tuple(
        _voucher(dict(r))
        for r in conn.execute(
            select(v)
            .where(v.c.campaign_id == campaign_id, v.c.user_id == user_id)
            .order_by(v.c.expires_us, v.c.voucher_id)
        ).mappings()
    )
    granted = conn.execute(
        select(func.coalesce(func.sum(g.c.amount_fen), 0)).where(
            g.c.campaign_id == campaign_id, g.c.user_id == user_id
        )
    ).scalar()
    return Wallet(campaign_id, user_id, int(cash or 0), vouchers, int(granted or 0))
