"""Granting one envelope: quota checks, bucket choice, the double-mean amount, pacing."""

from __future__ import annotations

from functools import partial
from typing import Any

from lantern.campaign import _schema as s
from lantern.campaign._config import CampaignConfig, from_us
from lantern.campaign._envelopes import envelope_amount
from lantern.campaign._scenario import Drop
from lantern.campaign._types import Grant, GrantKind, GrantRole, Voucher
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
                f"user {user!r} reached quota {quota.id!r}: "
                f"{quota.max_count} grants per {quota.period}"
            )
        if (
            quota.max_amount_fen is not None
            and sum(h[2] for h in hits) + amount > quota.max_amount_fen
        ):
            raise QuotaExceeded(
                f"user {user!r} would exceed quota {quota.id!r}: "
                f"{quota.max_amount_fen} fen per {quota.period}"
            )


def _bucket_row(
    tx: Tx, name: str, table: Any, key: tuple[Any, ...], wait: bool, **where: Any
) -> Row | None:
    """A drop or pacing bucket row, locked. Without ``wait`` a row another transaction holds
    is skipped (PostgreSQL ``SKIP LOCKED``) so that batches spread over the buckets instead
    of queueing (and deadlocking) on one."""
    cached = tx.rows.get((name, key))
    if cached is not None:
        return cached
    if not wait and (name, key) in tx.busy:
        return None
    row = tx.fetch_one(table, skip_locked=not wait, **where)
    if row is None:
        assert not wait, f"{name} {key} missing"
        tx.busy.add((name, key))
        return None
    tx.rows[(name, key)] = row
    return row


def _pacing_room(
    tx: Tx, cfg: CampaignConfig, pool: str, day: str, first: int, amount: int, wait: bool
) -> list[tuple[int, Row, int]] | None:
    """Pacing room for ``amount`` today: parts (bucket, row, fen) taken from the pool's
    pacing buckets, its own first; None when the buckets it can lock hold too little."""
    cid, buckets = cfg.campaign_id, cfg.buckets
    parts: list[tuple[int, Row, int]] = []
    need = amount
    for j in range(buckets):
        b = (first + j) % buckets
        prow = tx.rows.get(("pacing_bucket", (cid, pool, b))) or _bucket_row(
            tx,
            "pacing_bucket",
            s.pacing_bucket,
            (cid, pool, b),
            wait,
            campaign_id=cid,
            pool=pool,
            bucket=b,
        )
        if prow is None:
            continue
        day_spent = prow["day_spent_fen"] if prow["day"] == day else 0
        room = cfg.pacing_allowance(pool, day, prow["spent_fen"], day_spent, b)
        if room > 0:
            part = min(room, need)
            parts.append((b, prow, part))
            need -= part
            if need == 0:
                return parts
    return None


def _amount(cfg: CampaignConfig, drop: Drop, bucket: int, brow: Row) -> int:
    if drop.template is not None:
        return cfg.templates[drop.template].value_fen
    left = brow["count_left"]
    cap = drop.cap_fen or drop.total_fen
    return envelope_amount(
        cfg.seed(drop.id, bucket), brow["count_total"] - left, brow["fen_left"], left, cap
    )


def _take(
    tx: Tx, cfg: CampaignConfig, drop: Drop, day: str
) -> tuple[int, int, Row, list[tuple[int, Row, int]]]:
    """Pick a drop bucket with an envelope left and pacing room for its amount:
    (amount, drop bucket, its row, pacing parts)."""
    cid, buckets = cfg.campaign_id, cfg.buckets
    empty: set[int] = set()
    if buckets > 1:  # several committers share the drop (PostgreSQL): skip drained buckets
        empty |= {
            b
            for b in tx.drained_buckets(cid, drop.id)
            if ("drop_bucket", (cid, drop.id, b)) not in tx.rows
        }
    for wait in (False, True):
        for i in range(buckets):
            b = (tx.home_bucket + i) % buckets
            if b in empty:
                continue
            brow = tx.rows.get(("drop_bucket", (cid, drop.id, b))) or _bucket_row(
                tx,
                "drop_bucket",
                s.drop_bucket,
                (cid, drop.id, b),
                wait,
                campaign_id=cid,
                drop_id=drop.id,
                bucket=b,
            )
            if brow is None:
                continue
            if brow["count_left"] == 0:
                empty.add(b)
                continue
            amount = _amount(cfg, drop, b, brow)
            room = _pacing_room(tx, cfg, drop.pool, day, b, amount, wait)
            if room is not None:
                return amount, b, brow, room
        if not tx.busy:
            break
    if len(empty) == buckets:
        raise BudgetExhausted(f"drop {drop.id!r} has no envelopes left")
    raise PacingLimit(
        f"pool {drop.pool!r} reached its spend plan for {day}; more is planned for later days"
    )


def _apply(
    tx: Tx,
    cfg: CampaignConfig,
    drop: Drop,
    bucket: int,
    brow: Row,
    pacing: list[tuple[int, Row, int]],
    history: History,
    entry: tuple[str, str, int, str],
) -> None:
    """Take the envelope from its bucket, the pacing room and record the grant in the
    user's history, with one undo entry for all of it."""
    cid, day, amount = cfg.campaign_id, entry[1], entry[2]
    old_bucket = (brow["count_left"], brow["fen_left"])
    brow["count_left"] = old_bucket[0] - 1
    brow["fen_left"] = old_bucket[1] - amount
    tx.dirty["drop_bucket"][(cid, drop.id, bucket)] = brow
    old_pacing = []
    for pbucket, prow, part in pacing:
        old_pacing.append((prow, prow["spent_fen"], prow["day"], prow["day_spent_fen"]))
        day_spent = prow["day_spent_fen"] if prow["day"] == day else 0
        prow["spent_fen"] += part
        prow["day"] = day
        prow["day_spent_fen"] = day_spent + part
        tx.dirty["pacing_bucket"][(cid, drop.pool, pbucket)] = prow
    history.append(entry)

    def undo() -> None:
        brow["count_left"], brow["fen_left"] = old_bucket
        for prow, spent, pday, day_spent in old_pacing:
            prow["spent_fen"], prow["day"], prow["day_spent_fen"] = spent, pday, day_spent
        history.pop()

    tx.undo.append(undo)


def grant_envelope(
    tx: Tx, cfg: CampaignConfig, drop: Drop, user: str, role: GrantRole, peer: str | None
) -> Grant:
    """Grant one envelope of ``drop`` to ``user`` (all checks first, then the writes)."""
    cid = cfg.campaign_id
    history = tx.history.get((cid, user))
    if history is None:
        history = tx.user_history(cid, user)
    seq = sum(1 for h in history if h[0] == drop.id) if history else 0
    if seq >= drop.per_user:
        raise QuotaExceeded(
            f"user {user!r} already has {seq} envelope(s) of drop {drop.id!r} "
            f"(limit {drop.per_user})"
        )
    day = tx.day(cfg)
    amount, bucket, brow, pacing = _take(tx, cfg, drop, day)
    if cfg.quotas_of[drop.id]:
        _check_quotas(cfg, drop, history, day, amount, user)
    _apply(tx, cfg, drop, bucket, brow, pacing, history, (drop.id, day, amount, role))
    grant_id = new_id("g")
    kind: GrantKind = "voucher" if drop.template is not None else "cash"
    grants = tx.inserts["grant"]
    grants.append(
        (
            grant_id,
            cid,
            drop.id,
            user,
            seq + 1,
            bucket,
            drop.pool,
            kind,
            role,
            peer,
            amount,
            day,
            tx.now_us,
        ),
    )
    tx.undo.append(grants.pop)
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
    row = {
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
    }
    tx.add_row("voucher", row)
    key = ("voucher", (voucher_id,))
    tx.rows[key] = row  # cached: a later request (or the next pipelined batch) may use it
    tx.undo.append(partial(tx.rows.pop, key))
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
