"""The chat endpoint: ``POST /v1/chat`` with the user's bearer token, JSON or SSE.

The assistant acts for the token's user only. ``session_id`` continues a conversation (a
session id belongs to its user: another user's id starts a fresh conversation). With
``"stream": true`` the answer is ``text/event-stream``::

    event: session      data: {"session_id": "..."}
    event: tool_call    data: {"name": "search_offers", "arguments": {...}}
    event: tool_result  data: {...}
    event: text         data: {"text": "..."}
    event: done         data: {"reply": "...", "lang": "zh"}

Money moves only after the user's explicit "yes" in the next message (see
:mod:`lantern.assistant._agent`). The agent is built on first use from the app's campaign
engine, commerce and the settings' backend (or set ready-made on ``app.state.chat``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from lantern.api.commerce import campaign_of, commerce_of
from lantern.api.deps import CurrentUser
from lantern.assistant import Agent, Session, SessionStore

__all__ = ["ChatService", "chat_of", "router"]

router = APIRouter(tags=["assistant"])
_LOCK = threading.Lock()


@dataclass
class ChatService:
    """The agent and the conversations of one app."""

    agent: Agent
    sessions: SessionStore


def chat_of(request: Request) -> ChatService:
    """The app's chat service (built once, on first use: loading the router takes seconds)."""
    state = request.app.state
    service: ChatService | None = getattr(state, "chat", None)
    if service is None:
        with _LOCK:
            service = getattr(state, "chat", None)
            if service is None:
                from lantern.assistant import ToolBox, backend_from_settings

                commerce = commerce_of(request)
                tools = ToolBox(commerce, state.campaign_engine, campaign_of(request))
                service = state.chat = ChatService(
                    Agent(backend_from_settings(state.settings), tools), SessionStore()
                )
    return service


class ChatBody(BaseModel):
    """One user message."""

    message: str = Field(min_length=1, max_length=2000)
    session_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    lang: Literal["de", "en", "zh"] | None = None
    stream: bool = False


def _sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def _stream(service: ChatService, session: Session, text: str) -> Iterator[bytes]:
    with session.lock:
        yield _sse("session", {"session_id": session.session_id})
        for event in service.agent.events(session, text, stream=True):
            yield _sse(event.type, event.data)


def _turn(service: ChatService, session: Session, text: str) -> dict[str, Any]:
    with session.lock:
        result = service.agent.turn(session, text)
    return {
        "session_id": session.session_id,
        "reply": result.reply,
        "lang": result.lang,
        "tool_calls": [{"name": n, "arguments": a, "result": r} for n, a, r in result.tool_calls],
        "pending": result.pending,
    }


@router.post("/v1/chat", response_model=None)
async def chat(
    body: ChatBody, user: CurrentUser, service: Annotated[ChatService, Depends(chat_of)]
) -> dict[str, Any] | StreamingResponse:
    """Send a message to the assistant as the signed-in user."""
    session = service.sessions.get(user, body.session_id, body.lang)
    if body.stream:
        return StreamingResponse(
            _stream(service, session, body.message),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )
    return await run_in_threadpool(_turn, service, session, body.message)
