"""Any OpenAI-compatible chat-completions endpoint with tool calling, through ``openai``.

Works with Qwen on Alibaba Model Studio (compatible mode), Kimi (Moonshot), vLLM, Ollama and
llama.cpp's server. Retries 429, 5xx, connection errors and timeouts with exponential
backoff (honouring ``Retry-After``), up to ``max_retries`` times, before the first streamed
byte only; a stream that breaks later fails rather than repeat text already shown.
Streaming assembles tool calls whose arguments arrive split across chunks, parallel calls
(by ``index``), and servers that send a whole call in one chunk or reuse index 0.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lantern.assistant._openai_errors import LLMRejected, LLMUnavailable
from lantern.assistant._types import BackendReply, Message, StreamEvent, ToolCall, ToolSpec

if TYPE_CHECKING:
    import openai

__all__ = ["OpenAIBackend", "OpenAIConfig", "ToolCallAssembler", "to_openai_messages"]


@dataclass(frozen=True, slots=True)
class OpenAIConfig:
    """Where and how to call the endpoint; times in seconds."""

    base_url: str
    model: str
    api_key: str = "not-needed"
    timeout_s: float = 60.0
    max_retries: int = 4
    backoff_s: float = 0.5
    backoff_max_s: float = 8.0
    temperature: float = 0.0
    max_tokens: int | None = None

    def __post_init__(self) -> None:
        assert self.timeout_s > 0
        assert self.max_retries >= 0
        assert 0 <= self.backoff_s <= self.backoff_max_s


def to_openai_messages(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """Our messages in the chat-completions wire format."""
    out: list[dict[str, Any]] = []
    for m in messages:
        if m.role == "tool":
            out.append({"role": "tool", "tool_call_id": m.tool_call_id or "", "content": m.content})
        elif m.role == "assistant" and m.tool_calls:
            calls = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {
                        "name": c.name,
                        "arguments": json.dumps(c.arguments, ensure_ascii=False),
                    },
                }
                for c in m.tool_calls
            ]
            out.append({"role": "assistant", "content": m.content or None, "tool_calls": calls})
        else:
            out.append({"role": m.role, "content": m.content})
    return out


def _arguments(raw: Any) -> dict[str, Any]:
    """Tool arguments from a JSON string (or an already-decoded object); never raises.

    Unparseable arguments come back as ``{"__invalid_json__": raw}``, which the tool
    contract refuses as an unknown argument, so the model is told and nothing runs."""
    if isinstance(raw, dict):
        return raw
    text = (raw or "").strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"__invalid_json__": text[:500]}
    return value if isinstance(value, dict) else {"__invalid_json__": text[:500]}


class ToolCallAssembler:
    """Collects streamed tool-call fragments into whole calls, in order of appearance."""

    def __init__(self) -> None:
        self._calls: list[dict[str, Any]] = []
        self._slot_of: dict[int, int] = {}

    def add(self, fragment: Any) -> None:
        """One ``delta.tool_calls[i]`` fragment (object or dict)."""
        index, call_id, function = (_field(fragment, k) for k in ("index", "id", "function"))
        name = _field(function, "name") if function is not None else None
        args = _field(function, "arguments") if function is not None else None
        key = index if isinstance(index, int) else len(self._calls)
        slot = self._slot_of.get(key)
        if (
            slot is not None
            and call_id
            and self._calls[slot]["id"]
            and (call_id != self._calls[slot]["id"])
        ):
            slot = None  # a server that reuses index 0 for a second, complete call
        if slot is None:
            self._calls.append({"id": call_id or "", "name": "", "args": []})
            slot = self._slot_of[key] = len(self._calls) - 1
        call = self._calls[slot]
        if call_id and not call["id"]:
            call["id"] = call_id
        if name and name != call["name"]:
            call["name"] = name if not call["name"] else call["name"] + name
        if args:
            call["args"].append(args if isinstance(args, str) else json.dumps(args))

    def calls(self) -> list[ToolCall]:
        """The assembled calls (ids made up where the server sent none)."""
        return [
            ToolCall(
                id=c["id"] or f"call_{i}", name=c["name"], arguments=_arguments("".join(c["args"]))
            )
            for i, c in enumerate(self._calls, start=1)
            if c["name"]
        ]


class OpenAIBackend:
    """A :class:`~lantern.assistant._types.ChatBackend` over the ``openai`` client."""

    name = "openai"

    def __init__(
        self,
        config: OpenAIConfig,
        *,
        client: openai.OpenAI | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import openai  # here, not at module level: the client takes a second to import

        self.config = config
        self.client = client or openai.OpenAI(
            base_url=config.base_url,
            api_key=config.api_key,
            timeout=config.timeout_s,
            max_retries=0,
        )
        self._sleep = sleep
        self.retries = 0

    def _request(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], stream: bool
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": to_openai_messages(messages),
            "temperature": self.config.temperature,
            "stream": stream,
        }
        if tools:
            body["tools"] = [spec.to_openai() for spec in tools]
        if self.config.max_tokens is not None:
            body["max_tokens"] = self.config.max_tokens
        return body

    def _delay_s(self, attempt: int, exc: Exception) -> float:
        response = getattr(exc, "response", None)
        header = response.headers.get("retry-after") if response is not None else None
        try:
            if header is not None:
                return min(float(header), self.config.backoff_max_s)
        except ValueError:
            pass
        base = min(self.config.backoff_max_s, self.config.backoff_s * 2.0**attempt)
        return base * (0.5 + random.random() / 2)  # jitter, not crypto

    def _with_retries(self, call: Callable[[], Any]) -> Any:
        import openai

        retryable = (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError)
        for attempt in range(self.config.max_retries + 1):
            try:
                return call()
            except retryable as exc:
                if attempt == self.config.max_retries:
                    raise LLMUnavailable(
                        f"{self.config.base_url} failed {attempt + 1} times, last: "
                        f"{type(exc).__name__}: {exc}"
                    ) from exc
                self.retries += 1
                self._sleep(self._delay_s(attempt, exc))
            except openai.APIStatusError as exc:
                raise LLMRejected(
                    f"{self.config.base_url} refused the request ({exc.status_code}): {exc.message}"
                ) from exc
        raise AssertionError("unreachable")

    def complete(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> BackendReply:
        """One non-streamed completion: text and/or tool calls."""
        body = self._request(messages, tools, stream=False)
        response = self._with_retries(lambda: self.client.chat.completions.create(**body))
        if not response.choices:
            return BackendReply()
        message = response.choices[0].message
        assembler = ToolCallAssembler()
        for i, call in enumerate(message.tool_calls or []):
            assembler.add(
                {
                    "index": i,
                    "id": call.id,
                    "function": {"name": call.function.name, "arguments": call.function.arguments},
                }
            )
        return BackendReply(content=message.content or "", tool_calls=tuple(assembler.calls()))

    def stream(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec]
    ) -> Iterator[StreamEvent]:
        """Text deltas as they come, then every assembled tool call, then ``done``."""
        body = self._request(messages, tools, stream=True)

        def first() -> tuple[Any, Iterator[Any]]:
            chunks = iter(self.client.chat.completions.create(**body))
            return next(chunks, None), chunks

        import openai

        head, rest = self._with_retries(first)
        assembler = ToolCallAssembler()
        try:
            for chunk in _chain(head, rest):
                for choice in getattr(chunk, "choices", None) or []:
                    delta = choice.delta
                    if delta is None:
                        continue
                    if delta.content:
                        yield StreamEvent(kind="text", text=delta.content)
                    for fragment in delta.tool_calls or []:
                        assembler.add(fragment)
        except (openai.APIError, openai.APIConnectionError) as exc:
            raise LLMUnavailable(f"the stream from {self.config.base_url} broke: {exc}") from exc
        for call in assembler.calls():
            yield StreamEvent(kind="tool_call", tool_call=call)
        yield StreamEvent(kind="done")


def _field(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def _chain(head: Any, rest: Iterable[Any]) -> Iterator[Any]:
    if head is not None:
        yield head
        yield from rest
