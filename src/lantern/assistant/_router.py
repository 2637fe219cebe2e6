"""The embedded offline backend: a multilingual semantic router over the tool contract.

For each user message it scores every tool (and "none") by the cosine similarity of the
message's sentence embedding to example phrases per tool and language (mean of the two
nearest), adds keyword bonuses (:mod:`._router_rules`), and picks the best; below
``threshold`` it calls no tool. Hard rules come first: injections, money grabs and acting
for another user never reach a tool; an order id routes to track or cancel, an offer id
to place_order. Arguments come from rule-based extraction (:mod:`._extract`), references
such as "the second one" from the conversation (:mod:`._router_context`). After a tool
result it summarises the result in the user's language.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Final

import numpy as np

from lantern.assistant._embed import Embedder, Vectors, default_embedder
from lantern.assistant._extract import (
    extract_offer_ids,
    extract_order_ids,
    extract_ordinal,
    extract_quantity,
    prepare,
)
from lantern.assistant._lang import Language, detect_language
from lantern.assistant._router_context import (
    last_order_id,
    last_user_text,
    resolve_ordinal,
    tool_name_of,
)
from lantern.assistant._router_followup import (
    CONJUNCTION,
    is_follow_up_search,
    refine_search,
    substantial,
)
from lantern.assistant._router_reply import say, summarize_result
from lantern.assistant._router_rules import cue_scores, is_no, is_yes, unsafe_reason
from lantern.assistant._tools import NO_TOOL, TOOL_NAMES
from lantern.assistant._types import BackendReply, Message, StreamEvent, ToolCall, ToolSpec

__all__ = ["MAX_MESSAGE_CHARS", "Route", "SemanticRouter", "load_examples", "refine_search"]

CLASSES: Final = (*TOOL_NAMES, NO_TOOL)
MAX_MESSAGE_CHARS: Final = 600
"""The router reads at most this much of a message; requests are far shorter."""
MAX_EMBED_CHARS: Final = 160
"""Only the start of a message is embedded: encoder time grows with its length."""
_GREETING: Final = ("hello", "hi", "hey", "hallo", "servus", "moin", "你好", "您好", "嗨", "在吗")
_THANKS: Final = ("thank", "thx", "danke", "谢谢", "多谢", "感谢")
_HELP: Final = re.compile(
    r"\bhelp\b|what can you do|who are you|\bhilfe\b|was kannst du|wer bist du"
    r"|你能做什么|你会什么|你是谁|帮助"
)
_STREAM_PIECE: Final = re.compile(r"[\u3400-\u9fff]{1,4}\s*|[^\s\u3400-\u9fff]+\s*|\s+")
"""Stream pieces: a word with its trailing space, or up to four Chinese characters."""
_ORDINAL_ONE: Final = re.compile(
    r"\b(?:first|second|third|fourth|fifth|last)\s+one\b", re.IGNORECASE
)


def load_examples() -> list[tuple[str, str, str]]:
    """The shipped example phrases as (tool, language, text) rows."""
    raw = resources.files("lantern.assistant").joinpath("data/examples.json").read_text("utf-8")
    data: dict[str, dict[str, list[str]]] = json.loads(raw)
    rows: list[tuple[str, str, str]] = []
    for tool, by_lang in data.items():
        assert tool in CLASSES, f"examples.json names unknown tool {tool!r}"
        rows.extend((tool, lang, text) for lang, texts in by_lang.items() for text in texts)
    return rows


Labels = np.ndarray[Any, np.dtype[np.int64]]


def _embed_rows(embedder: Embedder, rows: Sequence[tuple[str, str, str]]) -> tuple[Vectors, Labels]:
    matrix = embedder.encode([text for _, _, text in rows])
    labels = np.array([CLASSES.index(tool) for tool, _, _ in rows], dtype=np.int64)
    return matrix, labels


@lru_cache(maxsize=1)
def _default_index() -> tuple[Vectors, Labels]:
    """The shipped examples under the default embedder, embedded once per process."""
    return _embed_rows(default_embedder(), load_examples())


@dataclass(frozen=True, slots=True)
class Route:
    """The router's decision for one message: a tool (or "none"), arguments, why."""

    tool: str
    arguments: dict[str, Any] = field(default_factory=dict)
    reply: str = ""
    scores: dict[str, float] = field(default_factory=dict)


class SemanticRouter:
    """The embedded :class:`~lantern.assistant._types.ChatBackend` (no network, no LLM)."""

    name = "embedded"

    def __init__(
        self,
        embedder: Embedder | None = None,
        examples: Sequence[tuple[str, str, str]] | None = None,
        *,
        threshold: float = 0.45,
        cues: bool = True,
    ) -> None:
        self._embedder = embedder
        self.cues = cues
        self._examples = list(examples) if examples is not None else None
        self.threshold = threshold
        self._matrix: Vectors | None = None
        self._labels: Labels | None = None
        self._ids = itertools.count(1)

    def warm_up(self) -> None:
        """Load the embedding model and embed the examples now rather than on first use."""
        self._index()

    def _index(self) -> tuple[Embedder, Vectors, Labels]:
        if self._embedder is None:
            self._embedder = default_embedder()
        if self._matrix is None or self._labels is None:
            if self._examples is None and self._embedder is default_embedder():
                self._matrix, self._labels = _default_index()
            else:
                rows = self._examples if self._examples is not None else load_examples()
                self._matrix, self._labels = _embed_rows(self._embedder, rows)
        return self._embedder, self._matrix, self._labels

    def similarities(self, text: str) -> dict[str, float]:
        """Per class, the mean cosine similarity of ``text`` to its two nearest examples."""
        embedder, matrix, labels = self._index()
        sims = matrix @ embedder.encode([text[:MAX_EMBED_CHARS]])[0]
        out = {}
        for index, name in enumerate(CLASSES):
            mine = np.sort(sims[labels == index])[-2:]
            out[name] = float(mine.mean()) if mine.size else 0.0
        return out

    def route(self, text: str, history: Sequence[Message] = ()) -> Route:
        """Decide the tool and arguments for user ``text`` after the conversation ``history``.

        Only the first :data:`MAX_MESSAGE_CHARS` characters count (a bound on latency).
        """
        text = text[:MAX_MESSAGE_CHARS]
        lang = detect_language(text)
        if (reason := unsafe_reason(text)) is not None:
            key = "refuse_other_user" if reason == "other_user" else "refuse_money"
            return Route(NO_TOOL, reply=say(key, lang))
        if order_ids := extract_order_ids(text):
            cancel = cue_scores(text)["cancel_order"] > 0
            return Route("cancel_order" if cancel else "track_order", {"order_id": order_ids[0]})
        if offer_ids := extract_offer_ids(text):
            return Route("place_order", _order_arguments(offer_ids[0], text))
        scores = self.similarities(text)
        cues = cue_scores(text) if self.cues else {}
        for tool, bonus in cues.items():
            scores[tool] += bonus
        best = max(CLASSES, key=lambda name: scores[name])
        if best == NO_TOOL or scores[best] < self.threshold:
            if is_follow_up_search(text, history, cues):
                return Route("search_offers", refine_search(text, history), scores=scores)
            return Route(NO_TOOL, reply=_chat_reply(text, lang), scores=scores)
        return self._with_arguments(best, text, history, lang, scores)

    def _with_arguments(
        self, tool: str, text: str, history: Sequence[Message], lang: Language,
        scores: dict[str, float],
    ) -> Route:  # fmt: skip
        if tool == "search_offers":
            return Route(tool, refine_search(text, history), scores=scores)
        if tool == "place_order":
            ordinal = extract_ordinal(text)
            offer_id = resolve_ordinal(history, ordinal or 1) if history else None
            if offer_id is None:
                return Route(NO_TOOL, reply=say("ask_offer", lang), scores=scores)
            rest = _ORDINAL_ONE.sub(" ", text)  # "the second one" orders one, not "one"
            return Route(tool, _order_arguments(offer_id, rest), scores=scores)
        if tool in ("track_order", "cancel_order"):
            order_id = last_order_id(history)
            if order_id is None:
                return Route(NO_TOOL, reply=say("ask_order", lang), scores=scores)
            return Route(tool, {"order_id": order_id}, scores=scores)
        return Route(tool, {}, scores=scores)

    def complete(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> BackendReply:
        """Answer the conversation: a tool call for a new user message, else a summary."""
        text = last_user_text(messages)
        lang = _conversation_language(messages)
        last = messages[-1] if messages else None
        if last is not None and last.role == "tool":
            results = _trailing_tool_messages(messages)
            summary = "\n".join(
                summarize_result(tool_name_of(messages, m), m.content, lang) for m in results
            )
            return BackendReply(content=summary, language=lang)
        if last is None or last.role != "user":
            return BackendReply(content=say("greeting", lang), language=lang)
        routes = self.route_all(text, messages[:-1])
        offered = {spec.name for spec in tools}
        route = routes[0]
        if route.tool == NO_TOOL or (offered and route.tool not in offered):
            if is_no(text) and len(messages) > 1:
                return BackendReply(content=say("declined", lang), language=lang)
            return BackendReply(content=route.reply or say("out_of_scope", lang), language=lang)
        calls = tuple(
            ToolCall(id=f"call_{next(self._ids)}", name=r.tool, arguments=r.arguments)
            for r in routes
            if not offered or r.tool in offered
        )
        return BackendReply(tool_calls=calls, language=lang)

    def route_all(self, text: str, history: Sequence[Message] = ()) -> list[Route]:
        """One route per request in ``text``: "claim my envelope and find milk tea" is two.

        A message splits at "and" / "und" / "然后" ... only when every part is confidently a
        different tool; otherwise it is one request, routed whole.
        """
        whole = self.route(text, history)
        if whole.tool == NO_TOOL or unsafe_reason(text) is not None:
            return [whole]
        if _ENVELOPE_PAIR.search(text.lower()):  # "red envelopes and vouchers": one thing
            return [whole]
        parts = [part for part in CONJUNCTION.split(text) if substantial(part)]
        if len(parts) < 2 or len(parts) > 3:
            return [whole]
        routes = [self.route(part, history) for part in parts]
        tools = [r.tool for r in routes]
        confident = all(
            r.tool != NO_TOOL and (not r.scores or r.scores[r.tool] >= self.threshold + 0.15)
            for r in routes
        )
        if not confident or len(set(tools)) < len(tools):
            return [whole]
        return routes

    def stream(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec]
    ) -> Iterator[StreamEvent]:
        """The reply of :meth:`complete` as events: text pieces, the tool calls, then done."""
        reply = self.complete(messages, tools)
        for piece in _STREAM_PIECE.findall(reply.content):
            yield StreamEvent(kind="text", text=piece)
        for call in reply.tool_calls:
            yield StreamEvent(kind="tool_call", tool_call=call)
        yield StreamEvent(kind="done")


_ENVELOPE_NOUN: Final = (
    r"(?:red )?(?:envelopes?|packets?|vouchers?|coupons?|hongbaos?|cards?|gutscheine?|umschläge"
    r"|umschlag|kuverts?|红包|优惠券|券)"
)
_ENVELOPE_PAIR: Final = re.compile(
    _ENVELOPE_NOUN + r"\s*(?:and|und|&|,|和|跟|或|及)\s*(?:meine |my |die |the )?" + _ENVELOPE_NOUN
)
"""Two kinds of envelope joined by "and" name one thing to ask about, not two requests."""


def _order_arguments(offer_id: str, text: str) -> dict[str, Any]:
    quantity = extract_quantity(prepare(text))
    return {"offer_id": offer_id} | ({"quantity": quantity} if quantity else {})


def _chat_reply(text: str, lang: Language) -> str:
    lower = text.lower()
    if any(word in lower for word in _THANKS):
        return say("thanks", lang)
    if any(lower.strip(" !.?,。！").startswith(word) for word in _GREETING) or _HELP.search(lower):
        return say("greeting", lang)
    if is_yes(text) and len(lower.split()) <= 3:
        return say("ack", lang)
    return say("out_of_scope", lang)


def _conversation_language(messages: Sequence[Message]) -> Language:
    """The language of the latest user message that says enough to tell."""
    lang: Language = "en"
    for message in messages:
        if message.role == "user" and message.content.strip():
            lang = detect_language(message.content, default=lang)
    return lang


def _trailing_tool_messages(messages: Sequence[Message]) -> list[Message]:
    out: list[Message] = []
    for message in reversed(messages):
        if message.role != "tool":
            break
        out.append(message)
    return out[::-1]
