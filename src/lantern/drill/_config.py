"""Drill parameters: the scale presets and one run's validated configuration."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal

from lantern.clock import SHANGHAI
from lantern.drill.errors import DrillInputError

if TYPE_CHECKING:
    from lantern.assistant import OpenAIConfig

__all__ = [
    "CAMPAIGN_END",
    "CAMPAIGN_START",
    "NEW_YEARS_EVE",
    "SCALES",
    "DrillConfig",
    "Scale",
    "Window",
]

Window = Literal["launch", "campaign"]

CAMPAIGN_START = date(2026, 2, 6)
CAMPAIGN_END = date(2026, 2, 23)  # last day of the holiday, inclusive
NEW_YEARS_EVE = date(2026, 2, 16)  # Chuxi: the eve of the Year of the Horse (17 Feb 2026)


@dataclass(frozen=True, slots=True)
class Scale:
    """A size preset: how many users, vans and accelerators one drill day simulates.

    ``order_share`` is the share of user sessions that place an order (about 10% gives the
    issue's 10k orders from 100k users). ``rps_per_chat``: inference requests per second on
    the modelled cluster that one simulated chat per second stands for (the simulated users
    are a slice of the app's audience, the cluster a whole region), sized so that the launch
    peak needs a sizeable part of the cluster. ``metrics_bucket_min``: the resolution of
    every time series.
    """

    name: str
    users: int
    vans: int
    accelerators: int
    order_share: float
    rps_per_chat: float
    return_share_per_day: float = 0.35
    metrics_bucket_min: int = 5

    def __post_init__(self) -> None:
        assert self.users > 0
        assert self.vans > 0
        assert self.accelerators > 0
        assert 0.0 < self.order_share <= 1.0
        assert self.rps_per_chat > 0


SCALES: dict[str, Scale] = {
    "tiny": Scale(
        "tiny", users=1_000, vans=8, accelerators=48, order_share=0.10, rps_per_chat=6_000.0
    ),
    "small": Scale(
        "small",
        users=100_000,
        vans=100,
        accelerators=500,
        order_share=0.10,
        rps_per_chat=600.0,
    ),
    "city": Scale(
        "city",
        users=1_000_000,
        vans=1_000,
        accelerators=5_000,
        order_share=0.10,
        rps_per_chat=60.0,
    ),
}


@dataclass(frozen=True, slots=True)
class DrillConfig:
    """One drill run: scenario (and budget variant), scale, seed, window and overrides.

    ``vans`` and ``accelerators`` override the scale's fleet and cluster size;
    ``h200_share`` is the share of H200 accelerators in the cluster (the rest are
    Zhenwu 810E), the sweep's chip-mix axis. ``llm``: an OpenAI-compatible endpoint the
    assistant talks to instead of the embedded semantic router (the CLI builds it from the
    settings with ``--llm``).
    """

    scenario: str = "spring-festival-2026"
    variant: str | None = None
    scale: Scale = field(default_factory=lambda: SCALES["tiny"])
    seed: int = 42
    window: Window = "launch"
    vans: int | None = None
    accelerators: int | None = None
    h200_share: float = 0.25
    llm: OpenAIConfig | None = None

    def __post_init__(self) -> None:
        if self.window not in ("launch", "campaign"):
            raise DrillInputError(f"unknown window {self.window!r}: use launch or campaign")
        if self.vans is not None and not 1 <= self.vans <= 10_000:
            raise DrillInputError(f"vans must be between 1 and 10000, got {self.vans}")
        if self.accelerators is not None and not 8 <= self.accelerators <= 100_000:
            raise DrillInputError(
                f"accelerators must be between 8 and 100000, got {self.accelerators}"
            )
        if not 0.0 <= self.h200_share <= 1.0:
            raise DrillInputError(f"h200_share must be within [0, 1], got {self.h200_share}")
        if self.seed < 0:
            raise DrillInputError(f"seed must be >= 0, got {self.seed}")

    @classmethod
    def build(cls, *, scale: str = "tiny", **overrides: object) -> DrillConfig:
        """A config for a named scale (tiny, small, city) with keyword overrides."""
        if scale not in SCALES:
            raise DrillInputError(f"unknown scale {scale!r}: use one of {', '.join(SCALES)}")
        return cls(scale=SCALES[scale], **overrides)  # type: ignore[arg-type]  # keyword overrides; __post_init__ validates them

    def with_(self, **changes: object) -> DrillConfig:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]  # keyword changes; __post_init__ validates them

    @property
    def van_count(self) -> int:
        return self.vans if self.vans is not None else self.scale.vans

    @property
    def accelerator_count(self) -> int:
        return self.accelerators if self.accelerators is not None else self.scale.accelerators

    @property
    def days(self) -> int:
        if self.window == "launch":
            return 1
        return (CAMPAIGN_END - CAMPAIGN_START).days + 1

    @property
    def start(self) -> datetime:
        """Midnight (Asia/Shanghai) of the window's first day."""
        return datetime.combine(CAMPAIGN_START, time(0), tzinfo=SHANGHAI)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)

    @property
    def horizon_min(self) -> int:
        return self.days * 24 * 60
