"""Hour-of-day congestion: a multiplier on free-flow travel times.

A :class:`CongestionProfile` holds 24 factors (one per hour of the local day, >= 1.0 means
slower than free flow). A leg's travel time is its free-flow time times the factor of the
hour in which it starts. The factor is uniform over the network, so the fastest path does
not change with the hour: a travel-time matrix for hour h is the free-flow matrix times
``factor(h)``, which lets the simulator compute shortest paths once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lantern.errors import InvalidInput

__all__ = ["HANGZHOU_WEEKDAY", "CongestionProfile"]

SECONDS_PER_HOUR = 3600.0

# Shape of a typical Chinese city weekday (morning peak 8:00, evening peak 18:00), as a
# travel-time multiplier over free flow; peak values around 1.6 follow published TomTom
# congestion levels for Hangzhou (roughly +50-70% travel time in the peaks).
HANGZHOU_WEEKDAY: tuple[float, ...] = (
    1.00, 1.00, 1.00, 1.00, 1.00, 1.05,  # 00-05
    1.15, 1.45, 1.65, 1.45, 1.25, 1.25,  # 06-11
    1.30, 1.25, 1.25, 1.30, 1.40, 1.60,  # 12-17
    1.65, 1.40, 1.25, 1.15, 1.10, 1.05,  # 18-23
)  # fmt: skip


@dataclass(frozen=True)
class CongestionProfile:
    """Travel-time multipliers per hour of day (index 0 = 00:00-00:59)."""

    factors: tuple[float, ...] = field(default=HANGZHOU_WEEKDAY)

    def __post_init__(self) -> None:
        if len(self.factors) != 24:
            msg = f"a congestion profile needs 24 hourly factors, got {len(self.factors)}"
            raise InvalidInput(msg)
        bad = [(h, f) for h, f in enumerate(self.factors) if not 0.1 <= f <= 10.0]
        if bad:
            msg = f"congestion factors must lie in [0.1, 10]; hour {bad[0][0]} has {bad[0][1]}"
            raise InvalidInput(msg)

    @classmethod
    def free_flow(cls) -> CongestionProfile:
        """No congestion: every factor 1.0."""
        return cls(factors=(1.0,) * 24)

    @classmethod
    def from_sequence(cls, factors: Sequence[float]) -> CongestionProfile:
        """A profile from any sequence of 24 numbers."""
        return cls(factors=tuple(float(f) for f in factors))

    def factor_at(self, t_s: float) -> float:
        """The multiplier for a leg starting ``t_s`` seconds after midnight (wraps daily)."""
        hour = int(t_s // SECONDS_PER_HOUR) % 24
        return self.factors[hour]
