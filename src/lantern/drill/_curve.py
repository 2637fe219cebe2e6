"""When users come: a daily curve with the launch and New Year's Eve peaks, sampled by seed.

The intensity is a per-minute weight over the window: an hour-of-day profile of a Chinese
food-delivery app (quiet nights, lunch and dinner peaks, a busy evening), multiplied by a
launch surge on the campaign's first day (sharp at 10:00, decaying over about two hours)
and on New Year's Eve (the gala evening and the midnight envelope drop). Session times are
drawn from it with numpy's seeded generator, so a seed gives the same users every run.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from numpy.typing import NDArray

from lantern.drill._config import CAMPAIGN_START, NEW_YEARS_EVE

__all__ = ["HOURLY_PROFILE", "intensity_per_minute", "sample_session_minutes"]

# Relative app traffic by hour of day (Asia/Shanghai), 0:00 .. 23:00.
HOURLY_PROFILE: tuple[float, ...] = (
    1.2, 0.6, 0.3, 0.2, 0.2, 0.3, 0.8, 1.8, 2.8, 3.2, 4.0, 6.5,
    6.0, 3.5, 2.8, 2.8, 3.5, 5.5, 6.5, 5.0, 4.2, 3.6, 2.6, 1.8,
)  # fmt: skip

LAUNCH_HOUR = 10
LAUNCH_SURGE = 3.0  # extra traffic at the launch moment, as a multiple of the base
LAUNCH_DECAY_MIN = 120.0
EVE_GALA_SURGE = 1.5  # the Spring Festival Gala evening (20:00-24:00)
EVE_MIDNIGHT_SURGE = 6.0  # the midnight drop, decaying over 30 minutes
EVE_MIDNIGHT_DECAY_MIN = 30.0


def _day_weights(day: date) -> NDArray[np.float64]:
    minutes = np.arange(24 * 60, dtype=np.float64)
    base = np.repeat(np.asarray(HOURLY_PROFILE, dtype=np.float64), 60)
    factor = np.ones_like(base)
    if day == CAMPAIGN_START:
        since = minutes - LAUNCH_HOUR * 60
        factor += np.where(since >= 0, LAUNCH_SURGE * np.exp(-since / LAUNCH_DECAY_MIN), 0.0)
    if day == NEW_YEARS_EVE:
        factor += np.where(minutes >= 20 * 60, EVE_GALA_SURGE, 0.0)
    if (day - NEW_YEARS_EVE).days == 1:  # the minutes after the midnight drop
        factor += EVE_MIDNIGHT_SURGE * np.exp(-minutes / EVE_MIDNIGHT_DECAY_MIN)
    weights: NDArray[np.float64] = base * factor
    return weights


def intensity_per_minute(first_day: date, days: int) -> NDArray[np.float64]:
    """Relative arrival weight of every minute of the window (not normalised)."""
    assert days >= 1
    from datetime import timedelta

    return np.concatenate([_day_weights(first_day + timedelta(days=d)) for d in range(days)])


def sample_session_minutes(
    rng: np.random.Generator, weights: NDArray[np.float64], count: int
) -> NDArray[np.float64]:
    """``count`` session start times (minutes since the window start), sorted, by weight."""
    assert count >= 0
    p = weights / weights.sum()
    minute = rng.choice(len(weights), size=count, p=p)
    times: NDArray[np.float64] = np.sort(minute + rng.random(count))
    return times
