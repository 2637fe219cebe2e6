"""Granting one envelope: quota checks, bucket choice, the double-mean amount, pacing."""

from __future__ import annotations

from lantern.campaign import _schema as s
from lantern.campaign._config import CampaignConfig, from_us
from lantern.campaign._envelopes import envelope_amount
from lantern.campaign._scenario import Drop
from lantern.campaign._types import Grant, GrantRole, Voucher
from lantern.campaign._unit import History, Row, Tx, new_id
from lantern.campaign.errors import (
    BudgetExhausted,
    CampaignFrozen,
    CampaignNotActive,
    DropNotOpen,
    PacingLimit,
    QuotaExceeded,
)

__all__ = ["grant_envelope", "require_active", "require_open", "require_unfrozen"]

DAY_US = 86_400_000_000


def require_unfrozen(tx: Tx, cfg: CampaignConfig) -> None:
    row = tx.campaigns[cfg.campaign_id]
    if row["frozen"]:
        reason = f": {row['frozen_reason']}" if row["frozen_reason"] else ""
        raise CampaignFrozen(f"campaign {cfg.campaign_id!r} is frozen by an operator{reason}")


def require_active(tx: Tx, cfg: CampaignConfig) -> None:
    require_unfrozen(tx, cfg)
    if not cfg.opens_us <= tx.now_us < cfg.closes_us:
        cal = cfg.scenario.calendar
        raise CampaignNotActive(
            f"campaign {cfg.campaign_id!r} runs {cal.start} to {cal.end} ({cal.timezone}); "
            f"it is now {tx.now.astimezone(cfg.zone):%Y-%m-%d %H:%M}"
        )


def require_open(tx: Tx, cfg: CampaignConfig, drop: Drop) -> None:
    start, end = cfg.windows[drop.id]
    if not start <= tx.now_us < end:
        raise DropNotOpen(
            f"drop {drop.id!r} is open {drop.starts_at.astimezone(cfg.zone):%Y-%m-%d %H:%M} to "
            f"{drop.ends_at.astimezone(cfg.zone):%Y-%m-%d %H:%M}, not now"
        )


def _check_quotas(
    cfg: CampaignConfig, drop: Drop, history: History, day: str, amount: int, user: str
) -> None:
    for quota in cfg.quotas_of[drop.id]:
        members = cfg.quota_drops[quota.id]
        hits = [
            h
            for h in history
            if (not members or h[0] in members) and (quota.period == "campaign" or h[1] == day)
        ]
        if quota.max_count is not None and len(hits) + 1 > quota.max_count:
            raise QuotaExceeded(
                f"user {user!r} reached quota {quota.id!r}: {quota.max_count} grants per {quota.period}"
            )
        if (
            quota.max_amount_fen is not None
            and sum(h[2] for h in hits) + amount > quota.max_amount_fen
        ):
            raise QuotaExceeded(
                f"user {user!r} would exceed quota {quota.id!r}: {quota.max_amount_fen} fen per {quota.period}"
            )


def _drop_bucket(tx: Tx, cid: str, drop_id: str, bucket: int) -> Row:
    key = (cid, drop_id, bucket)
    row = tx.rows.get(("drop_bucket", key))
    if row is None:
        row = tx.fetch_one(s.drop_bucket, campaign_id=cid, drop_id=drop_id, bucket=bucket)
        assert row is not None, f"drop bucket {key} missing"
        tx.rows[("drop_bucket", key)] = row
    return row


def _pacing_bucket(tx: Tx, cid: str, pool: str, bucket: int) -> Row:
    key = (cid, pool, bucket)
    row = tx.rows.get(("pacing_bucket", key))
    if row is None:
        row = tx.fetch_one(s.pacing_bucket, campaign_id=cid, pool=pool, bucket=bucket)
        assert row is not None, f"pacing bucket {key} missing"
        tx.rows[("pacing_bucket", key)] = row
    return row


def _take(tx: Tx, cfg: CampaignConfig, drop: Drop, day: str) -> tuple[int, int, Row, Row]:
    """Pick a bucket with an envelope left and pacing room: (amount, bucket, rows)."""
    cid, buckets = cfg.campaign_id, cfg.buckets
    exhausted = True
    for i in range(buckets):
        b = (tx.home_bucket + i) % buckets
        brow = _drop_bucket(tx, cid, drop.id, b)
        left = brow["count_left"]
        if left == 0:
            continue
        exhausted = False
        if drop.template is not None:
            amount = cfg.templates[drop.template].value_fen
        else:
            cap = drop.cap_fen or drop.total_fen
            index = brow["count_total"] - left
            amount = envelope_amount(cfg.seed(drop.id, b), index, brow["fen_left"], left, cap)
        prow = _pacing_bucket(tx, cid, drop.pool, b)
        day_spent = prow["day_spent_fen"] if prow["day"] == day else 0
        if cfg.pacing_allowance(drop.pool, day, prow["spent_fen"], day_spent, b) >= amount:
            return amount, b, brow, prow
    if exhausted:
        raise BudgetExhausted(f"drop {drop.id!r} has no envelopes left")
    raise PacingLimit(
        f"pool {drop.pool!r} reached its spend plan for {day}; more is planned for later days"
    )


def grant_envelope(
    tx: Tx, cfg: CampaignConfig, drop: Drop, user: str, role: GrantRole, peer: str | None
) -> Grant:
    """Grant one envelope of ``drop`` to ``user`` (all checks first, then the writes)."""
    cid = cfg.campaign_id
    history = tx.user_history(cid, user)
    seq = sum(1 for h in history if h[0] == drop.id)
    if seq >= drop.per_user:
        raise QuotaExceeded(
            f"user {user!r} already has {seq} envelope(s) of drop {drop.id!r} (limit {drop.per_user})"
        )
    day = tx.day(cfg)
    amount, bucket, brow, prow = _take(tx, cfg, drop, day)
    _check_quotas(cfg, drop, history, day, amount, user)
    tx.change(
        "drop_bucket",
        (cid, drop.id, bucket),
        brow,
        count_left=brow["count_left"] - 1,
        fen_left=brow["fen_left"] - amount,
    )
    day_spent = prow["day_spent_fen"] if prow["day"] == day else 0
    tx.change(
        "pacing_bucket",
        (cid, drop.pool, bucket),
        prow,
        spent_fen=prow["spent_fen"] + amount,
        day=day,
        day_spent_fen=day_spent + amount,
    )
    tx.add_history(cid, user, (drop.id, day, amount, role))
    grant_id = new_id("g")
    kind = "voucher" if drop.template is not None else "cash"
    tx.add_row(
        "grant",
        (grant_id, cid, drop.id, user, seq + 1, bucket, drop.pool, kind, role, peer, amount, day,
         tx.now_us),
    )
    voucher = None
    if drop.template is not None:
        voucher = _issue_voucher(tx, cfg, drop, user, grant_id)
        target = f"vouchers:{user}"
    else:
        target = f"wallet:{user}"
    tx.post(
        cid, grant_id, "grant", grant_id, [(f"drop:{drop.id}#{bucket}", -amount), (target, amount)]
    )
    return Grant(grant_id, cid, drop.id, user, kind, drop.pool, amount, tx.now, role, voucher)


def _issue_voucher(tx: Tx, cfg: CampaignConfig, drop: Drop, user: str, grant_id: str) -> Voucher:
    assert drop.template is not None
    template = cfg.templates[drop.template]
    expires_us = cfg.closes_us
    if template.valid_days is not None:
        expires_us = min(expires_us, tx.now_us + template.valid_days * DAY_US)
    voucher_id = "v" + grant_id[1:]
    tx.add_row(
        "voucher",
        {
            "voucher_id": voucher_id,
            "campaign_id": cfg.campaign_id,
            "user_id": user,
            "grant_id": grant_id,
            "pool": drop.pool,
            "template_id": template.id,
            "category": template.category,
            "value_fen": template.value_fen,
            "threshold_fen": template.threshold_fen,
            "merchant_ids": ",".join(template.merchant_ids),
            "expires_us": expires_us,
            "state": "issued",
        },
    )
    return Voucher(
        voucher_id,
        cfg.campaign_id,
        user,
        template.id,
        template.category,
        template.value_fen,
        template.threshold_fen,
        template.merchant_ids,
        from_us(expires_us),
        "issued",
    )
