"""Conversations: one per user and session id, with the action waiting for confirmation.

Sessions are keyed by (user id, session id), so a session id alone never opens another
user's conversation. The in-memory store is bounded (least recently used first out) and
forgets idle sessions after ``ttl_s``.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lantern.assistant._lang import Language
from lantern.assistant._types import Message

__all__ = ["PendingAction", "Session", "SessionStore"]


@dataclass(frozen=True, slots=True)
class PendingAction:
    """A money-moving tool call proposed to the user and waiting for "yes".

    ``arguments`` are exactly what the user is asked to confirm (offer and quantity, or
    the order to cancel); ``action_id`` makes the execution idempotent.
    """

    tool: str
    arguments: dict[str, Any]
    action_id: str
    summary: str


@dataclass
class Session:
    """One conversation of one signed-in user."""

    user_id: str
    session_id: str = field(default_factory=lambda: secrets.token_hex(8))
    lang: Language | None = None
    messages: list[Message] = field(default_factory=list)
    pending: PendingAction | None = None
    turns: int = 0
    max_messages: int = 60
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, message: Message) -> None:
        """Append a message, dropping the oldest whole exchanges beyond ``max_messages``."""
        self.messages.append(message)
        while len(self.messages) > self.max_messages:
            del self.messages[0]
            while self.messages and self.messages[0].role != "user":
                del self.messages[0]


class SessionStore:
    """Bounded, thread-safe in-memory sessions."""

    def __init__(
        self,
        *,
        max_sessions: int = 10_000,
        ttl_s: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        assert max_sessions > 0
        assert ttl_s > 0
        self._sessions: OrderedDict[tuple[str, str], tuple[float, Session]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_sessions = max_sessions
        self.ttl_s = ttl_s
        self._clock = clock

    def get(self, user_id: str, session_id: str | None, lang: Language | None = None) -> Session:
        """The user's session ``session_id`` (a new one if unknown, idle or None)."""
        now = self._clock()
        with self._lock:
            if session_id is not None:
                found = self._sessions.pop((user_id, session_id), None)
                if found is not None and now - found[0] <= self.ttl_s:
                    self._sessions[(user_id, session_id)] = (now, found[1])
                    return found[1]
            session = Session(user_id, lang=lang)
            if session_id:
                session.session_id = session_id
            self._sessions[(user_id, session.session_id)] = (now, session)
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
            return session

    def __len__(self) -> int:
        return len(self._sessions)
