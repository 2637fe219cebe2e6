"""The arrival curve: launch and New Year's Eve peaks, seeded sampling."""

from __future__ import annotations

from datetime import date

import numpy as np

from lantern.drill._curve import HOURLY_PROFILE, intensity_per_minute, sample_session_minutes


def _hour(weights: np.ndarray, day: int, hour: int) -> float:
    start = day * 1440 + hour * 60
    return float(weights[start : start + 60].sum())


def test_launch_day_peaks_at_ten_and_decays() -> None:
    """The launch surge at 10:00 on 6 Feb lifts traffic above the same hour two days later."""
    weights = intensity_per_minute(date(2026, 2, 6), 3)
    assert _hour(weights, 0, 10) > 2.5 * _hour(weights, 2, 10)
    assert _hour(weights, 0, 10) > _hour(weights, 0, 13)  # decays after the launch
    assert _hour(weights, 0, 3) == _hour(weights, 2, 3)  # the night before is untouched


def test_new_years_eve_gala_and_midnight_drop() -> None:
    """The eve's evening and the minutes after midnight carry extra traffic."""
    weights = intensity_per_minute(date(2026, 2, 15), 3)  # 15, 16 (eve), 17 Feb
    assert _hour(weights, 1, 21) > _hour(weights, 0, 21)
    assert _hour(weights, 2, 0) > 3 * _hour(weights, 0, 0)


def test_sampling_is_seeded_sorted_and_follows_the_curve() -> None:
    """Same seed, same sessions; times sorted inside the window; busy hours get more."""
    weights = intensity_per_minute(date(2026, 2, 8), 1)
    a = sample_session_minutes(np.random.default_rng(5), weights, 20_000)
    b = sample_session_minutes(np.random.default_rng(5), weights, 20_000)
    assert np.array_equal(a, b)
    assert np.all(np.diff(a) >= 0)
    assert a.min() >= 0
    assert a.max() < 1440
    lunch = np.count_nonzero((a >= 11 * 60) & (a < 12 * 60))
    night = np.count_nonzero((a >= 3 * 60) & (a < 4 * 60))
    expected = HOURLY_PROFILE[11] / HOURLY_PROFILE[3]
    assert lunch / night > 0.7 * expected
