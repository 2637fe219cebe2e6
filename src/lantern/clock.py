"""Time behind a Protocol: the system clock in production, a fake one in tests and drills.

All datetimes are timezone-aware; the campaign calendar is Asia/Shanghai.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

__all__ = ["SHANGHAI", "Clock", "FakeClock", "SystemClock"]

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    """Something that tells the current time (timezone-aware)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FakeClock:
    """A clock that only moves when told to; never backwards."""

    current: datetime = field(default_factory=lambda: datetime(2026, 2, 6, tzinfo=SHANGHAI))

    def __post_init__(self) -> None:
        assert self.current.tzinfo is not None, "FakeClock needs a timezone-aware datetime"

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        assert delta >= timedelta(0), "time never moves backwards"
        self.current += delta

    def set(self, when: datetime) -> None:
        assert when.tzinfo is not None, "FakeClock needs a timezone-aware datetime"
        assert when >= self.current, "time never moves backwards"
        self.current = when
