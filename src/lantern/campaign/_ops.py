"""Request handlers run inside a batch transaction: claim, referral and the redemption flow.

Each handler checks everything first and raises a CampaignError before writing; the batch
undoes a refused request's in-memory changes anyway (see :mod:`._unit`). A handler returns
the result object and the text stored with its idempotency key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lantern.campaign import _schema as s
from lantern.campaign._codec import encode
from lantern.campaign._config import CampaignConfig
from lantern.campaign._grants import grant_envelope, require_active, require_open, require_unfrozen
from lantern.campaign._types import CashPayment, Grant, ReferralGrant, Refund, Reservation
from lantern.campaign._unit import Row, Tx, new_id
from lantern.campaign.errors import (
    BudgetExhausted,
    CampaignError,
    DropNotOpen,
    InsufficientFunds,
    InvalidRequest,
    NotFoundError,
    PacingLimit,
    QuotaExceeded,
    ReferralNotAllowed,
    ReservationResolved,
    VoucherNotUsable,
)

__all__ = ["HANDLERS", "Handler"]

Handler = Callable[[Tx, CampaignConfig, dict[str, Any]], tuple[Any, str]]


def op_claim(tx: Tx, cfg: CampaignConfig, p: dict[str, Any]) -> tuple[Grant, str]:
    require_active(tx, cfg)
    user, drop_id = p["user_id"], p["drop_id"]
    if drop_id is not None:
        drop = cfg.drops.get(drop_id)
        if drop is None:
            raise NotFoundError(f"campaign {cfg.campaign_id!r} has no drop {drop_id!r}")
        if drop.referral:
            raise InvalidRequest(f"drop {drop_id!r} is granted through referrals only")
        require_open(tx, cfg, drop)
        grant = grant_envelope(tx, cfg, drop, user, "claim", None)
        return grant, grant.grant_id
    drops = cfg.open_drops(tx.now_us)
    if not drops:
        raise DropNotOpen(f"no drop of campaign {cfg.campaign_id!r} is open now")
    first_error: CampaignError | None = None
    for drop in drops:
        try:
            grant = grant_envelope(tx, cfg, drop, user, "claim", None)
        except (QuotaExceeded, BudgetExhausted, PacingLimit) as exc:
            first_error = first_error or exc
            continue
        return grant, grant.grant_id
    assert first_error is not None
    raise first_error


def op_referral(tx: Tx, cfg: CampaignConfig, p: dict[str, Any]) -> tuple[ReferralGrant, str]:
    require_active(tx, cfg)
    inviter, invitee = p["inviter_id"], p["invitee_id"]
    rule = cfg.scenario.referral
    if rule is None:
        raise InvalidRequest(f"campaign {cfg.campaign_id!r} has no referral programme")
    if inviter == invitee:
        raise ReferralNotAllowed("a user cannot invite themselves")
    drop = cfg.drops[rule.drop]
    require_open(tx, cfg, drop)
    tx.preload_history(cfg.campaign_id, {inviter, invitee})
    made = sum(1 for h in tx.user_history(cfg.campaign_id, inviter) if h[3] == "inviter")
    if made >= rule.max_referrals_per_inviter:
        raise QuotaExceeded(
            f"user {inviter!r} already referred {made} friends "
            f"(limit {rule.max_referrals_per_inviter})"
        )
    if any(h[3] == "invitee" for h in tx.user_history(cfg.campaign_id, invitee)):
        raise ReferralNotAllowed(f"user {invitee!r} was already invited by someone")
    first = grant_envelope(tx, cfg, drop, inviter, "inviter", invitee)
    second = grant_envelope(tx, cfg, drop, invitee, "invitee", inviter)
    return ReferralGrant(first, second), f"{first.grant_id},{second.grant_id}"


def _voucher(tx: Tx, cid: str, voucher_id: str) -> Row:
    row = tx.row("voucher", (voucher_id,), lambda: tx.fetch_one(s.voucher, voucher_id=voucher_id))
    if row is None or row["campaign_id"] != cid:
        raise NotFoundError(f"campaign {cid!r} has no voucher {voucher_id!r}")
    return row


def _reservation(tx: Tx, cid: str, reservation_id: str) -> Row:
    row = tx.row(
        "reservation",
        (reservation_id,),
        lambda: tx.fetch_one(s.reservation, reservation_id=reservation_id),
    )
    if row is None or row["campaign_id"] != cid:
        raise NotFoundError(f"campaign {cid!r} has no reservation {reservation_id!r}")
    return row


def _check_usable(tx: Tx, v: Row, p: dict[str, Any]) -> None:
    vid = v["voucher_id"]
    if v["user_id"] != p["user_id"]:
        raise VoucherNotUsable(f"voucher {vid!r} belongs to another user")
    if v["state"] != "issued":
        raise VoucherNotUsable(f"voucher {vid!r} is {v['state']}, not available")
    if v["expires_us"] <= tx.now_us:
        raise VoucherNotUsable(f"voucher {vid!r} has expired")
    if p["category"] != v["category"]:
        raise VoucherNotUsable(f"voucher {vid!r} is for {v['category']}, not {p['category']}")
    merchants = v["merchant_ids"].split(",") if v["merchant_ids"] else []
    if merchants and p["merchant_id"] not in merchants:
        raise VoucherNotUsable(f"voucher {vid!r} is not valid at merchant {p['merchant_id']!r}")
    if p["order_total_fen"] < v["threshold_fen"]:
        raise VoucherNotUsable(
            f"voucher {vid!r} needs an order of at least {v['threshold_fen']} fen, "
            f"got {p['order_total_fen']}"
        )


def _reservation_result(r: Row, tx: Tx) -> Reservation:
    from lantern.campaign._config import from_us

    return Reservation(
        r["reservation_id"],
        r["campaign_id"],
        r["voucher_id"],
        r["user_id"],
        r["order_id"],
        r["merchant_id"],
        r["category"],
        r["order_total_fen"],
        r["discount_fen"],
        r["state"],
        from_us(r["created_us"]),
    )


def op_reserve(tx: Tx, cfg: CampaignConfig, p: dict[str, Any]) -> tuple[Reservation, str]:
    cid = cfg.campaign_id
    require_unfrozen(tx, cfg)
    v = _voucher(tx, cid, p["voucher_id"])
    _check_usable(tx, v, p)
    rid = new_id("r")
    row = {
        "reservation_id": rid,
        "campaign_id": cid,
        "voucher_id": v["voucher_id"],
        "user_id": p["user_id"],
        "order_id": p["order_id"],
        "merchant_id": p["merchant_id"],
        "category": p["category"],
        "order_total_fen": p["order_total_fen"],
        "discount_fen": min(v["value_fen"], p["order_total_fen"]),
        "state": "reserved",
        "created_us": tx.now_us,
    }
    tx.add_row("reservation", row)
    tx.rows[("reservation", (rid,))] = row
    tx.undo.append(lambda: tx.rows.pop(("reservation", (rid,))))
    tx.change("voucher", (v["voucher_id"],), v, state="reserved")
    result = _reservation_result(row, tx)
    return result, encode(result)


def _resolve(tx: Tx, cfg: CampaignConfig, p: dict[str, Any], want: str) -> tuple[Row, Row]:
    r = _reservation(tx, cfg.campaign_id, p["reservation_id"])
    if r["state"] != want:
        raise ReservationResolved(
            f"reservation {r['reservation_id']!r} is {r['state']}, not {want}"
        )
    return r, _voucher(tx, cfg.campaign_id, r["voucher_id"])


def op_capture(tx: Tx, cfg: CampaignConfig, p: dict[str, Any]) -> tuple[Reservation, str]:
    r, v = _resolve(tx, cfg, p, "reserved")
    discount, value = r["discount_fen"], v["value_fen"]
    assert 0 < discount <= min(value, r["order_total_fen"])
    legs = [(f"vouchers:{v['user_id']}", -value), (f"merchant:{r['merchant_id']}", discount)]
    if value > discount:
        legs.append(("expired", value - discount))  # unused rest of a single-use voucher
    tx.post(cfg.campaign_id, "cap" + r["reservation_id"], "capture", r["reservation_id"], legs)
    tx.change("reservation", (r["reservation_id"],), r, state="captured")
    tx.change("voucher", (v["voucher_id"],), v, state="redeemed")
    result = _reservation_result(r, tx)
    return result, encode(result)


def op_release(tx: Tx, cfg: CampaignConfig, p: dict[str, Any]) -> tuple[Reservation, str]:
    r, v = _resolve(tx, cfg, p, "reserved")
    tx.change("reservation", (r["reservation_id"],), r, state="released")
    tx.change("voucher", (v["voucher_id"],), v, state="issued")
    result = _reservation_result(r, tx)
    return result, encode(result)


def op_spend_cash(tx: Tx, cfg: CampaignConfig, p: dict[str, Any]) -> tuple[CashPayment, str]:
    cid = cfg.campaign_id
    require_unfrozen(tx, cfg)
    wallet = f"wallet:{p['user_id']}"
    balance = tx.balance(cid, wallet)
    if balance < p["amount_fen"]:
        raise InsufficientFunds(
            f"wallet of {p['user_id']!r} holds {balance} fen, asked {p['amount_fen']}"
        )
    pid = new_id("p")
    row = {
        "payment_id": pid,
        "campaign_id": cid,
        "user_id": p["user_id"],
        "order_id": p["order_id"],
        "merchant_id": p["merchant_id"],
        "amount_fen": p["amount_fen"],
        "state": "paid",
        "paid_us": tx.now_us,
    }
    tx.add_row("payment", row)
    tx.rows[("payment", (pid,))] = row
    tx.undo.append(lambda: tx.rows.pop(("payment", (pid,))))
    tx.post(
        cid,
        pid,
        "spend",
        pid,
        [(wallet, -p["amount_fen"]), (f"merchant:{p['merchant_id']}", p["amount_fen"])],
    )
    result = CashPayment(
        pid, cid, p["user_id"], p["order_id"], p["merchant_id"], p["amount_fen"], "paid", tx.now
    )
    return result, encode(result)


def op_refund(tx: Tx, cfg: CampaignConfig, p: dict[str, Any]) -> tuple[Refund, str]:
    cid = cfg.campaign_id
    if p["reservation_id"] is not None:
        r, v = _resolve(tx, cfg, p, "captured")
        legs = [
            (f"merchant:{r['merchant_id']}", -r["discount_fen"]),
            (f"pool:{v['pool']}", r["discount_fen"]),
        ]
        tx.post(cid, "ref" + r["reservation_id"], "refund", r["reservation_id"], legs)
        tx.change("reservation", (r["reservation_id"],), r, state="refunded")
        tx.change("voucher", (v["voucher_id"],), v, state="refunded")
        result = Refund(
            new_id("f"), cid, "reservation", r["reservation_id"], r["discount_fen"], tx.now
        )
        return result, encode(result)
    pid = p["payment_id"]
    pay = tx.row("payment", (pid,), lambda: tx.fetch_one(s.payment, payment_id=pid))
    if pay is None or pay["campaign_id"] != cid:
        raise NotFoundError(f"campaign {cid!r} has no payment {pid!r}")
    if pay["state"] != "paid":
        raise ReservationResolved(f"payment {pid!r} is already {pay['state']}")
    legs = [
        (f"merchant:{pay['merchant_id']}", -pay["amount_fen"]),
        (f"wallet:{pay['user_id']}", pay["amount_fen"]),
    ]
    tx.post(cid, "ref" + pid, "refund", pid, legs)
    tx.change("payment", (pid,), pay, state="refunded")
    result = Refund(new_id("f"), cid, "payment", pid, pay["amount_fen"], tx.now)
    return result, encode(result)


def _handlers() -> dict[str, Handler]:
    from lantern.campaign._operator import (
        op_add_drop,
        op_expire,
        op_freeze,
        op_set_pacing,
        op_unfreeze,
    )

    return {
        "claim": op_claim,
        "referral": op_referral,
        "reserve": op_reserve,
        "capture": op_capture,
        "release": op_release,
        "spend_cash": op_spend_cash,
        "refund": op_refund,
        "expire": op_expire,
        "freeze": op_freeze,
        "unfreeze": op_unfreeze,
        "set_pacing": op_set_pacing,
        "add_drop": op_add_drop,
    }


HANDLERS = _handlers()
