"""Assistant plus commerce as the drill's :class:`ShopSide`: users talk, the tools act.

Each session is a real conversation with the assistant's agent loop (the embedded semantic
router by default) as the session's user: "claim my red envelope" runs the
``claim_red_envelope`` tool on the campaign engine; an order is search, choose and an
explicit yes, after which commerce pays with the user's voucher and wallet through the
campaign engine and hands food to the fleet. The outcome is read from the tool results.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np

from lantern.drill._ports import OrderPlaced, SessionOutcome, SessionPlan
from lantern.drill._utterances import UTTERANCES

if TYPE_CHECKING:
    from lantern.assistant import Agent
    from lantern.commerce import Commerce
    from lantern.drill._fleet_side import FleetGateway

__all__ = ["ShopAdapter"]


class ShopAdapter:
    """Runs each session's conversation through the assistant and reads what it did."""

    def __init__(self, agent: Agent, commerce: Commerce, gateway: FleetGateway, seed: int) -> None:
        self.agent = agent
        self.commerce = commerce
        self.gateway = gateway
        self.seed = seed
        self.orders_failed = 0

    def _say(self, rng: np.random.Generator, intent: str, lang: str) -> str:
        options = UTTERANCES[intent][lang]
        return options[int(rng.integers(len(options)))]

    def session(self, plan: SessionPlan) -> SessionOutcome:
        from lantern.assistant import Session

        rng = np.random.default_rng([self.seed, int(plan.user_id[1:]), int(plan.at.timestamp())])
        chat = Session(plan.user_id, lang=plan.lang)
        latencies: list[float] = []
        tools: list[str] = []

        def say(intent: str) -> Any:
            started = time.perf_counter()
            result = self.agent.turn(chat, self._say(rng, intent, plan.lang))
            latencies.append((time.perf_counter() - started) * 1000.0)
            tools.extend(name for name, _, _ in result.tool_calls)
            return result

        envelope_fen, denied = 0, None
        if plan.claim:
            for name, _, out in say("claim").tool_calls:
                if name == "claim_red_envelope":
                    envelope_fen, denied = _claim_outcome(out)
        order = None
        if plan.order_category is not None:
            self.gateway.drop_address = plan.deliver_to
            order = self._order(plan, say)
            self.gateway.drop_address = None
        return SessionOutcome(
            chats=len(latencies),
            chat_latency_ms=tuple(latencies),
            envelope_fen=envelope_fen,
            claim_denied=denied,
            order=order,
            tools=tuple(tools),
        )

    def _order(self, plan: SessionPlan, say: Any) -> OrderPlaced | None:
        assert plan.order_category is not None
        found = say(plan.order_category)
        if not any(n == "search_offers" and out.get("offers") for n, _, out in found.tool_calls):
            self.orders_failed += 1
            return None
        if say("choose").pending is None:
            self.orders_failed += 1
            return None
        for name, _, out in say("confirm").tool_calls:
            if name == "place_order" and "order_id" in out:
                return self._placed(plan.user_id, str(out["order_id"]))
        self.orders_failed += 1
        return None

    def _placed(self, user_id: str, order_id: str) -> OrderPlaced:
        order = self.commerce.order(user_id, order_id)
        pickup = None
        if order.kind == "delivery":
            merchant = self.commerce.catalogue.merchants[order.merchant_id]
            pickup = (merchant.lon, merchant.lat)
        return OrderPlaced(
            order.order_id, order.category, order.total_fen, order.voucher_fen, pickup
        )

    def delivered(self, order_id: str) -> None:
        self.commerce.mark_delivered(order_id)

    def undeliverable(self, order_id: str) -> None:
        self.commerce.delivery_failed(order_id, "the fleet could not deliver it")


def _claim_outcome(result: dict[str, Any]) -> tuple[int, str | None]:
    if "error" in result:
        return 0, str(result["error"].get("code", "ERROR"))
    return round(float(result.get("amount_yuan", 0.0)) * 100), None
