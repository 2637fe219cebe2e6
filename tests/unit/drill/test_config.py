"""Drill configuration: scales, windows and bad parameters."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.drill import SCALES, DrillConfig, DrillInputError


def test_scales_match_the_issue() -> None:
    """small is one day of 100k users, 100 vans and 500 accelerators; tiny is smaller."""
    small = SCALES["small"]
    assert (small.users, small.vans, small.accelerators) == (100_000, 100, 500)
    assert SCALES["tiny"].users < small.users < SCALES["city"].users


def test_windows_and_overrides() -> None:
    """launch is one day from 6 Feb; campaign runs 6-23 Feb; overrides replace the scale's."""
    launch = DrillConfig.build(scale="tiny")
    assert launch.days == 1
    assert launch.start.isoformat() == "2026-02-06T00:00:00+08:00"
    campaign = launch.with_(window="campaign", vans=3, accelerators=16)
    assert campaign.days == 18
    assert (campaign.van_count, campaign.accelerator_count) == (3, 16)
    assert campaign.horizon_min == 18 * 1440


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"scale": "huge"}, "unknown scale 'huge'"),
        ({"window": "week"}, "unknown window 'week'"),
        ({"vans": 0}, "vans must be"),
        ({"accelerators": 4}, "accelerators must be"),
        ({"h200_share": 1.5}, "h200_share"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_parameters_are_named(changes: dict[str, Any], named: str) -> None:
    """Each bad parameter raises DrillInputError naming it."""
    with pytest.raises(DrillInputError, match=named):
        DrillConfig.build(**changes)
