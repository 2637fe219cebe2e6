"""The types every chat backend speaks: messages, tool calls, replies, stream events.

The agent loop (:mod:`lantern.assistant._agent`) and every backend (the embedded semantic
router, any OpenAI-compatible endpoint) exchange only these.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

__all__ = [
    "BackendReply",
    "ChatBackend",
    "Message",
    "Role",
    "StreamEvent",
    "ToolCall",
    "ToolSpec",
]

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One call of a tool by the model: its id, the tool's name and JSON arguments."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a conversation, in the OpenAI chat-completions shape.

    ``tool`` messages carry a tool's JSON result in ``content`` and the ``tool_call_id``
    they answer; ``assistant`` messages may carry ``tool_calls``.
    """

    role: Role
    content: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """A tool offered to the model: name, description and JSON-schema parameters."""

    name: str
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)

    def to_openai(self) -> dict[str, Any]:
        """The tool in the chat-completions ``tools`` format."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters or {"type": "object", "properties": {}},
            },
        }


@dataclass(frozen=True, slots=True)
class BackendReply:
    """What a backend answers for one turn: text, tool calls, or both."""

    content: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    language: str | None = None


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """A streamed piece of a reply: a text delta, a complete tool call, or the end."""

    kind: Literal["text", "tool_call", "done"]
    text: str = ""
    tool_call: ToolCall | None = None


class ChatBackend(Protocol):
    """A chat model that may call tools (the embedded router or an LLM endpoint)."""

    name: str

    def complete(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> BackendReply:
        """Answer the conversation so far with text and/or tool calls."""
        ...

    def stream(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec]
    ) -> Iterator[StreamEvent]:
        """The same answer as a stream of events, ending with a ``done`` event."""
        ...
