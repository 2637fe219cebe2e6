"""The tools the agent runs, over commerce and the campaign, as the signed-in user only.

The user id comes from the session (the signed-in user), never from tool arguments: the
contract's schemas have no user argument and any unknown argument is refused. Money moves
only in :meth:`ToolBox.run_confirmed`, which the agent calls after an explicit "yes";
``place_order`` and ``cancel_order`` calls from a model only *propose*. Results are plain
JSON data with a ``summary`` in the user's language.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from lantern.assistant._lang import Language
from lantern.assistant._replies import reply, yuan
from lantern.assistant._session import PendingAction, Session
from lantern.assistant._tools import normalize_arguments, when_window
from lantern.assistant._types import ToolCall
from lantern.clock import SHANGHAI, Clock
from lantern.errors import LanternError

if TYPE_CHECKING:
    from lantern.campaign import CampaignStatus, Grant, Wallet
    from lantern.commerce import Commerce, Order, SearchHit

__all__ = ["CampaignDesk", "ToolBox"]


class CampaignDesk(Protocol):
    """The campaign operations the assistant uses (:class:`lantern.campaign.CampaignEngine`)."""

    def claim(
        self, campaign_id: str, user_id: str, *, drop_id: str | None = None, idempotency_key: str
    ) -> Grant: ...

    def wallet(self, campaign_id: str, user_id: str) -> Wallet: ...

    def status(self, campaign_id: str) -> CampaignStatus: ...


def _last_day(expires_at: datetime) -> str:
    """The last Shanghai calendar day a voucher expiring at ``expires_at`` is good for."""
    return (expires_at.astimezone(SHANGHAI) - timedelta(microseconds=1)).date().isoformat()


def _title(desc: str) -> str:
    return desc.split(", near ")[0].split(", nahe ")[0]


_RED_ENVELOPE_OK = {"en": " · red envelope ok", "de": " · Umschlag einlösbar", "zh": " · 可用红包"}


def _offer_json(hit: SearchHit, lang: Language) -> dict[str, Any]:
    offer, merchant = hit.offer, hit.merchant
    tag = {k: v if merchant.red_envelope else "" for k, v in _RED_ENVELOPE_OK.items()}
    hours = (
        f"{merchant.open_min // 60:02d}:{merchant.open_min % 60:02d}-"
        f"{merchant.close_min // 60 % 24:02d}:{merchant.close_min % 60:02d}"
    )
    return {
        "offer_id": offer.offer_id,
        "name_zh": f"{offer.name_zh} · {merchant.name_zh}{tag['zh']}",
        "name_en": f"{_title(offer.desc_en)} · {merchant.name_zh}{tag['en']}",
        "name_de": f"{_title(offer.desc_de)} · {merchant.name_zh}{tag['de']}",
        "price_yuan": offer.price_fen / 100,
        "category": merchant.category,
        "party_size": [offer.party_min, offer.party_max],
        "open_hours": hours,
        "red_envelope": merchant.red_envelope,
        "distance_km": None if hit.distance_km is None else round(hit.distance_km, 2),
        "description": offer.desc_de if lang == "de" else offer.desc_en,
    }


class ToolBox:
    """Runs contract tools for one campaign over commerce and the campaign engine."""

    def __init__(
        self,
        commerce: Commerce,
        campaign: CampaignDesk,
        campaign_id: str,
        *,
        clock: Clock | None = None,
        result_limit: int = 5,
    ) -> None:
        self.commerce = commerce
        self.campaign = campaign
        self.campaign_id = campaign_id
        self.clock = clock or commerce.clock
        self.result_limit = result_limit

    def run(self, call: ToolCall, session: Session, lang: Language) -> dict[str, Any]:
        """Run one model tool call as the session's user; errors become data, not raises."""
        try:
            args = normalize_arguments(call.name, call.arguments)
            handler = getattr(self, f"_tool_{call.name}")
            result: dict[str, Any] = handler(args, session, lang, call.id)
            return result
        except LanternError as exc:
            return {
                "error": {"code": exc.code, "message": exc.message},
                "summary": reply("error", lang, message=exc.message),
            }

    def run_confirmed(
        self, action: PendingAction, session: Session, lang: Language
    ) -> dict[str, Any]:
        """Execute a proposal the user just confirmed (the only path that spends money)."""
        try:
            if action.tool == "place_order":
                order = self.commerce.place_order(
                    session.user_id,
                    action.arguments["offer_id"],
                    action.arguments.get("quantity", 1),
                    idempotency_key=f"assistant:{action.action_id}",
                )
                return self._order_json(order, lang, ordered=True)
            assert action.tool == "cancel_order", f"unknown money tool {action.tool}"
            order = self.commerce.cancel(session.user_id, action.arguments["order_id"])
            refund = order.cash_fen
            return {
                **self._order_json(order, lang),
                "summary": reply("cancelled", lang, order_id=order.order_id, refund=yuan(refund)),
            }
        except LanternError as exc:
            return {
                "error": {"code": exc.code, "message": exc.message},
                "summary": reply("error", lang, message=exc.message),
            }

    # -- tools -------------------------------------------------------------------------------
    def _tool_search_offers(
        self, args: Mapping[str, Any], session: Session, lang: Language, call_id: str
    ) -> dict[str, Any]:
        from lantern.commerce import SearchQuery, best_voucher

        start = end = None
        if "when" in args:
            start, end = when_window(args["when"], self.clock.now().astimezone(SHANGHAI))
        price = args.get("max_price_yuan")
        query = SearchQuery(
            text=args.get("query"),
            category=args.get("category"),
            max_price_fen=None if price is None else round(price * 100),
            party_size=args.get("party_size"),
            with_red_envelope=args.get("with_red_envelope"),
            open_from=start,
            open_until=end,
            near=args.get("near"),
            limit=self.result_limit * 10 if args.get("with_red_envelope") else self.result_limit,
        )
        hits = self.commerce.search(query)
        vouchers = self.commerce.payments.usable_vouchers(session.user_id)
        now = self.clock.now()
        offers = []
        for hit in hits:
            offer = _offer_json(hit, lang)
            best = hit.merchant.red_envelope and best_voucher(
                vouchers, hit.merchant.category, hit.merchant.merchant_id,
                hit.offer.price_fen, now)  # fmt: skip
            if best:
                offer["your_voucher_pays_yuan"] = min(best.value_fen, hit.offer.price_fen) / 100
            elif args.get("with_red_envelope") and vouchers:
                continue  # the user's own vouchers do not fit this one
            offers.append(offer)
        result: dict[str, Any] = {"offers": offers[: self.result_limit]}
        if "near" in args and self.commerce.index.resolve_near(args["near"]) is None:
            result["note"] = f"unknown place {args['near']!r}: searched all of Hangzhou"
        return result

    def _propose(
        self, session: Session, tool: str, args: dict[str, Any], summary: str
    ) -> dict[str, Any]:
        session.pending = PendingAction(tool, dict(args), secrets.token_hex(8), summary)
        return {"status": "confirmation_required", "tool": tool, **args, "summary": summary}

    def _tool_place_order(
        self, args: Mapping[str, Any], session: Session, lang: Language, call_id: str
    ) -> dict[str, Any]:
        quantity = args.get("quantity", 1)
        quote = self.commerce.quote(session.user_id, args["offer_id"], quantity)
        name = f"{quote.offer.name_zh} · {quote.merchant.name_zh}"
        summary = reply(
            "confirm_order",
            lang,
            quantity=quantity,
            name=name,
            offer_id=quote.offer.offer_id,
            total=yuan(quote.total_fen),
            voucher=yuan(quote.voucher_fen),
            wallet=yuan(quote.cash_fen),
            rest=yuan(quote.external_fen),
        )
        return self._propose(
            session,
            "place_order",
            {"offer_id": quote.offer.offer_id, "quantity": quantity},
            summary,
        )

    def _tool_cancel_order(
        self, args: Mapping[str, Any], session: Session, lang: Language, call_id: str
    ) -> dict[str, Any]:
        order = self.commerce.order(session.user_id, args["order_id"])
        name = self.commerce.offer(order.offer_id).name_zh
        summary = reply("confirm_cancel", lang, order_id=order.order_id, name=name)
        return self._propose(session, "cancel_order", {"order_id": order.order_id}, summary)

    def _tool_track_order(
        self, args: Mapping[str, Any], session: Session, lang: Language, call_id: str
    ) -> dict[str, Any]:
        return self._order_json(self.commerce.order(session.user_id, args["order_id"]), lang)

    def _tool_claim_red_envelope(
        self, args: Mapping[str, Any], session: Session, lang: Language, call_id: str
    ) -> dict[str, Any]:
        key = f"assistant:{session.session_id}:{session.turns}:{call_id}"
        grant = self.campaign.claim(self.campaign_id, session.user_id, idempotency_key=key)
        out: dict[str, Any] = {"kind": grant.kind, "amount_yuan": grant.amount_fen / 100}
        if grant.voucher is not None:
            voucher = grant.voucher
            out |= {
                "voucher_id": voucher.voucher_id,
                "category": voucher.category,
                "expires": _last_day(voucher.expires_at),
            }
            out["summary"] = reply(
                "claimed_voucher",
                lang,
                amount=yuan(grant.amount_fen),
                category=voucher.category,
                expires=out["expires"],
            )
        else:
            out["summary"] = reply("claimed_cash", lang, amount=yuan(grant.amount_fen))
        return out

    def _tool_list_my_envelopes(
        self, args: Mapping[str, Any], session: Session, lang: Language, call_id: str
    ) -> dict[str, Any]:
        wallet = self.campaign.wallet(self.campaign_id, session.user_id)
        vouchers = [
            {
                "voucher_id": v.voucher_id,
                "category": v.category,
                "value_yuan": v.value_fen / 100,
                "state": v.state,
                "expires": _last_day(v.expires_at),
            }
            for v in wallet.vouchers
        ]
        listed = ", ".join(
            f"¥{yuan(v.value_fen)} {v.category} ({v.state})" for v in wallet.vouchers
        )
        summary = reply(
            "envelopes", lang, cash=yuan(wallet.cash_fen), vouchers=listed or reply_none(lang)
        )
        return {"cash_yuan": wallet.cash_fen / 100, "vouchers": vouchers, "summary": summary}

    def _tool_campaign_status(
        self, args: Mapping[str, Any], session: Session, lang: Language, call_id: str
    ) -> dict[str, Any]:
        status = self.campaign.status(self.campaign_id)
        wallet = self.campaign.wallet(self.campaign_id, session.user_id)
        unused = sum(1 for v in wallet.vouchers if v.state == "issued")
        summary = reply(
            "campaign",
            lang,
            title=status.title,
            state=status.state,
            remaining=yuan(status.remaining_fen),
            budget=yuan(status.budget_fen),
            cash=yuan(wallet.cash_fen),
            vouchers=unused,
        )
        return {
            "campaign_id": status.campaign_id,
            "state": status.state,
            "budget_yuan": status.budget_fen / 100,
            "remaining_yuan": status.remaining_fen / 100,
            "my_cash_yuan": wallet.cash_fen / 100,
            "my_unused_vouchers": unused,
            "summary": summary,
        }

    # -- helpers -----------------------------------------------------------------------------
    def _order_json(self, order: Order, lang: Language, *, ordered: bool = False) -> dict[str, Any]:
        offer = self.commerce.offer(order.offer_id)
        merchant = self.commerce.catalogue.merchant_of(offer)
        values = {
            "order_id": order.order_id,
            "quantity": order.quantity,
            "name": f"{offer.name_zh} · {merchant.name_zh}",
            "state": order.state,
            "total": yuan(order.total_fen),
            "voucher": yuan(order.voucher_fen),
            "wallet": yuan(order.cash_fen),
            "rest": yuan(order.external_fen),
            "ticket_code": order.ticket_code or "",
        }
        if ordered:
            key = "ordered_ticket" if order.kind == "ticket" else "ordered_delivery"
        else:
            key = "tracked"
        return {
            "order_id": order.order_id,
            "offer_id": order.offer_id,
            "state": order.state,
            "quantity": order.quantity,
            "total_yuan": order.total_fen / 100,
            "voucher_yuan": order.voucher_fen / 100,
            "wallet_yuan": order.cash_fen / 100,
            "you_pay_yuan": order.external_fen / 100,
            "ticket_code": order.ticket_code,
            "summary": reply(key, lang, **values),
        }


def reply_none(lang: Language) -> str:
    return reply("no_vouchers", lang)
