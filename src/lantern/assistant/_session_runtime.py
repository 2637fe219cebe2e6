"""Wire the assistant from settings: campaign engine, commerce, tool box, backend, sessions.

Used by ``lantern chat`` and the HTTP chat endpoint. The campaign and commerce share the
settings' database URL (each with its own tables); paid food orders are queued for the
fleet in the database outbox. When the campaign is not loaded yet, the built-in scenario
is loaded at ``scale``. When the campaign is not running at the chosen time, the runtime
says so in ``notice`` and chats as of the campaign's first lunchtime instead (a clock that
starts there and runs on), so the offline demo works any day of the year.
"""

from __future__ import annotations

import time as time_module
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from lantern.assistant._agent import Agent
from lantern.assistant._agent_tools import ToolBox
from lantern.assistant._backends import BackendName, backend_from_settings
from lantern.assistant._session import SessionStore
from lantern.assistant._types import ChatBackend
from lantern.clock import SHANGHAI, Clock, SystemClock
from lantern.settings import Settings

__all__ = ["DEFAULT_CAMPAIGN", "Runtime", "ShiftedClock", "open_runtime"]

DEFAULT_CAMPAIGN = "spring-festival-2026"


class ShiftedClock:
    """A clock that starts at ``start`` and then runs at the speed of the real one."""

    def __init__(self, start: datetime) -> None:
        assert start.tzinfo is not None, "ShiftedClock needs a timezone-aware start"
        self._start = start
        self._origin_s = time_module.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time_module.monotonic() - self._origin_s)


@dataclass
class Runtime:
    """Everything a chat front end needs; ``close`` releases the campaign engine."""

    agent: Agent
    sessions: SessionStore
    clock: Clock
    notice: str | None
    campaign_id: str
    _closers: tuple[object, ...] = ()

    def close(self) -> None:
        for closer in self._closers:
            close = getattr(closer, "close", None) or getattr(closer, "dispose", None)
            if close is not None:
                close()


def _choose_clock(campaign_id: str, at: datetime | None, scale: float) -> tuple[Clock, str | None]:
    from lantern.campaign import load_scenario

    calendar = load_scenario(campaign_id, scale=scale).calendar
    if at is not None:
        return ShiftedClock(at if at.tzinfo else at.replace(tzinfo=SHANGHAI)), None
    today = datetime.now(SHANGHAI).date()
    if calendar.start <= today <= calendar.end:
        return SystemClock(), None
    lunch = datetime.combine(calendar.start, time(12, 0), tzinfo=SHANGHAI)
    notice = (
        f"{campaign_id} runs {calendar.start} to {calendar.end}, not today ({today}); "
        f"chatting as of {lunch:%Y-%m-%d %H:%M} Asia/Shanghai (choose with --at)"
    )
    return ShiftedClock(lunch), notice


def open_runtime(
    settings: Settings,
    *,
    campaign_id: str = DEFAULT_CAMPAIGN,
    backend: ChatBackend | BackendName | None = None,
    at: datetime | None = None,
    scale: float = 1e-3,
) -> Runtime:
    """Open the campaign engine and commerce on the settings' database and build the agent."""
    from lantern.campaign import CampaignEngine, load_scenario
    from lantern.commerce import (
        CampaignPayments,
        Commerce,
        DeliveryOutbox,
        OrderStore,
        make_engine,
    )  # fmt: skip

    clock, notice = _choose_clock(campaign_id, at, scale)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = CampaignEngine.open(settings.database_url, clock=clock)
    try:
        if campaign_id not in engine.campaigns():
            engine.load(load_scenario(campaign_id, scale=scale))
        db = make_engine(settings.database_url)
        commerce = Commerce(
            OrderStore(db),
            CampaignPayments(engine, campaign_id),
            delivery=DeliveryOutbox(db),
            clock=clock,
        )
        chat_backend = (
            backend
            if backend is not None and not isinstance(backend, str)
            else backend_from_settings(settings, backend)
        )
        agent = Agent(chat_backend, ToolBox(commerce, engine, campaign_id))
    except BaseException:
        engine.close()
        raise
    return Runtime(agent, SessionStore(), clock, notice, campaign_id, (engine, db))
