"""What the router reads from the conversation so far: shown offers, known orders.

Tool results arrive as JSON in ``tool`` messages. These small functions find the offers
the last ``search_offers`` call showed (so "the second one", "das zweite", "第二个"
become an offer id) and the last order id mentioned (so "cancel it" knows which order).
The agent loop may call them too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from lantern.assistant._tools import OFFER_ID_RE, ORDER_ID_RE
from lantern.assistant._types import Message

__all__ = [
    "cheapest_shown_yuan",
    "last_order_id",
    "last_search_arguments",
    "last_search_offers",
    "last_user_text",
    "offer_id_of",
    "resolve_ordinal",
    "tool_name_of",
]

_LIST_KEYS: Final = ("offers", "results", "items", "data")


def tool_name_of(messages: Sequence[Message], tool_message: Message) -> str | None:
    """The name of the tool whose result ``tool_message`` carries."""
    if tool_message.name:
        return tool_message.name
    for message in messages:
        for call in message.tool_calls:
            if call.id == tool_message.tool_call_id:
                return call.name
    return None


def _json(content: str) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return None


def _offer_list(payload: Any) -> list[Any] | None:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in _LIST_KEYS:
            if isinstance(payload.get(key), list):
                return list(payload[key])
    return None


def last_search_offers(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """The offers of the most recent ``search_offers`` result, in the order shown."""
    for message in reversed(messages):
        if message.role != "tool" or tool_name_of(messages, message) != "search_offers":
            continue
        offers = _offer_list(_json(message.content))
        if offers is not None:
            return [offer for offer in offers if isinstance(offer, dict)]
    return []


def offer_id_of(offer: dict[str, Any]) -> str | None:
    """The offer id of one search result (under "offer_id" or "id"), upper-case."""
    for key in ("offer_id", "id"):
        value = offer.get(key)
        if isinstance(value, str) and OFFER_ID_RE.fullmatch(value.strip()):
            return value.strip().upper()
    return None


def resolve_ordinal(messages: Sequence[Message], ordinal: int) -> str | None:
    """The offer id of the ``ordinal``-th (1-based, -1 = last) offer shown last."""
    offers = last_search_offers(messages)
    if not offers or ordinal == 0 or ordinal > len(offers) or ordinal < -len(offers):
        return None
    return offer_id_of(offers[ordinal - 1 if ordinal > 0 else ordinal])


def last_search_arguments(messages: Sequence[Message]) -> dict[str, Any] | None:
    """The arguments of the most recent ``search_offers`` call, if there was one."""
    for message in reversed(messages):
        for call in reversed(message.tool_calls):
            if call.name == "search_offers":
                return dict(call.arguments)
    return None


def cheapest_shown_yuan(messages: Sequence[Message]) -> float | None:
    """The lowest price among the offers the last search showed."""
    prices = [
        float(offer["price_yuan"])
        for offer in last_search_offers(messages)
        if isinstance(offer.get("price_yuan"), int | float)
    ]
    return min(prices) if prices else None


def last_order_id(messages: Sequence[Message]) -> str | None:
    """The most recent order id in the conversation (tool results or user text).

    Assistant text is skipped: its examples ("like OD-00012345") are no orders.
    """
    for message in reversed(messages):
        if message.role not in ("tool", "user"):
            continue
        found = ORDER_ID_RE.findall(message.content)
        if found:
            return str(found[-1]).upper()
    return None


def last_user_text(messages: Sequence[Message]) -> str:
    """The content of the last user message ("" when there is none)."""
    for message in reversed(messages):
        if message.role == "user":
            return message.content
    return ""
