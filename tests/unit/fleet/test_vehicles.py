"""Robovan types and fleets: ranges, recharge times, validation."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from lantern.fleet._vehicles import ROBOVAN_1T5, ROBOVAN_5M3, VanType, make_fleet
from lantern.fleet.errors import InvalidSimulation


def test_presets_match_the_issue() -> None:
    """The 5 m3-class van: 5.5 m3, 1,000 kg, 180 km; the large van carries 1.5 t."""
    assert (ROBOVAN_5M3.capacity_m3, ROBOVAN_5M3.capacity_kg) == (5.5, 1000.0)
    assert ROBOVAN_5M3.range_km == pytest.approx(180.0)
    assert ROBOVAN_1T5.capacity_kg == 1500.0
    assert 170.0 < ROBOVAN_1T5.range_km < 190.0


def test_swap_is_fixed_time_and_charging_is_proportional() -> None:
    """A swap takes its fixed time; charging takes energy / power."""
    assert ROBOVAN_5M3.recharge_s(30.0) == ROBOVAN_5M3.swap_s
    plug = VanType("plug", 100, 1, 20, 0.2, 40, 10, 100, energy_mode="charge", charge_kw=10.0)
    assert plug.recharge_s(5.0) == pytest.approx(1800.0)


def test_fleet_shares_and_validation() -> None:
    """make_fleet splits vans by share over depots; zero vans or bad types are refused."""
    fleet = make_fleet(10, 3)
    assert len(fleet) == 10
    assert sum(v.van_type is ROBOVAN_1T5 for v in fleet) == 2
    assert {v.depot for v in fleet} == {0, 1, 2}
    with pytest.raises(InvalidSimulation, match="at least one van"):
        make_fleet(0, 1)
    with pytest.raises(InvalidSimulation, match="battery_kwh"):
        VanType("bad", 100, 1, 0, 0.2, 40, 10, 100)


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"swap_s": float("nan")}, "swap time"),
        ({"swap_s": float("inf")}, "swap time"),
        ({"energy_mode": "magic"}, "choose 'swap' or 'charge'"),
    ],
)
def test_van_type_refuses_nan_swaps_and_unknown_energy_modes(
    changes: dict[str, Any], text: str
) -> None:
    """A NaN or infinite swap time, or an energy mode that is neither swap nor charge."""
    with pytest.raises(InvalidSimulation, match=text):
        replace(ROBOVAN_5M3, **changes)
