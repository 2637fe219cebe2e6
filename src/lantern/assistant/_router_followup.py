"""Follow-ups and multi-request messages for the embedded router.

"明天的呢" / "und für vier?" / "any cheaper?" right after a search refine that search
(:func:`refine_search`); "claim my envelope and find milk tea" splits at the conjunction
(:data:`CONJUNCTION`, :func:`substantial`) when each part is its own request.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from lantern.assistant._extract import search_arguments
from lantern.assistant._router_context import cheapest_shown_yuan, last_search_arguments
from lantern.assistant._tools import NO_TOOL
from lantern.assistant._types import Message

__all__ = ["CONJUNCTION", "is_follow_up_search", "refine_search", "substantial"]

_CHEAPER: Final = re.compile(
    r"cheaper|less expensive|lower price|billiger|günstiger|guenstiger|preiswerter"
    r"|便宜点|便宜一点|便宜些|更便宜|再便宜",
    re.IGNORECASE,
)


def refine_search(text: str, history: Sequence[Message]) -> dict[str, Any]:
    """search_offers arguments for ``text``, refining the previous search if it names no item.

    "and for tomorrow?" after a hotpot search keeps the hotpot and adds ``when``;
    "cheaper?" caps the price just below the cheapest offer shown.
    """
    args = search_arguments(text)
    previous = last_search_arguments(history) if history else None
    if previous is None or "query" in args or "category" in args:
        return args
    refined = previous | args
    if _CHEAPER.search(text) and "max_price_yuan" not in args:
        cheapest = cheapest_shown_yuan(history)
        if cheapest is not None and cheapest > 0.01:
            refined["max_price_yuan"] = round(cheapest - 0.01, 2)
    return refined


def is_follow_up_search(text: str, history: Sequence[Message], cues: dict[str, float]) -> bool:
    """Whether ``text`` only adds search filters right after a search ("明天的呢")."""
    if not history or last_search_arguments(history) is None or cues.get(NO_TOOL, 0.0) > 0:
        return False
    return bool(search_arguments(text)) or _CHEAPER.search(text) is not None


CONJUNCTION: Final = re.compile(
    r"\s*(?:,\s*)?\b(?:and then|and also|and|then|also|plus|und dann|und|dann|außerdem)\b\s*"
    r"|\s*(?:[，,]\s*)?(?:然后|并且|顺便|再帮我|再|还要|另外)\s*",
    re.IGNORECASE,
)


def substantial(part: str) -> bool:
    """Whether a split-off part can be a request of its own (2+ words or 3+ characters)."""
    stripped = part.strip(" ,.!?，。！？")
    if any("\u4e00" <= ch <= "\u9fff" for ch in stripped):
        return len(stripped) >= 3
    return len(stripped.split()) >= 2
