"""Robovan types, depots and fleets.

A :class:`VanType` is a Level-4 delivery van: no driver and no shift, so its limits are
capacity (kg and m3), battery (kWh, consumption per km, hence range), max speed, and the
time to recharge or swap its battery at a depot. Costs are integer fen per km and per hour.

The two presets follow the vans named in issue 3: a 5 m3-class van (5.5 m3, 1,000 kg,
180 km range, like Zelos' Z5) and a larger 1.5 t / 3-pallet van. Battery sizes,
consumption and costs are Lantern's assumptions, stated in docs/fleet-sim.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from lantern.fleet.errors import InvalidSimulation

__all__ = ["ROBOVAN_1T5", "ROBOVAN_5M3", "VAN_TYPES", "DepotSite", "Van", "VanType", "make_fleet"]


@dataclass(frozen=True)
class VanType:
    """A robovan model; energy is charged by battery swap or by plugging in at a depot."""

    name: str
    capacity_kg: float
    capacity_m3: float
    battery_kwh: float
    consumption_kwh_per_km: float
    max_speed_kmh: float
    cost_fen_per_km: int
    cost_fen_per_hour: int
    energy_mode: Literal["swap", "charge"] = "swap"
    swap_s: float = 300.0
    charge_kw: float = 60.0

    def __post_init__(self) -> None:
        positive = {
            "capacity_kg": self.capacity_kg,
            "capacity_m3": self.capacity_m3,
            "battery_kwh": self.battery_kwh,
            "consumption_kwh_per_km": self.consumption_kwh_per_km,
            "max_speed_kmh": self.max_speed_kmh,
            "charge_kw": self.charge_kw,
        }
        for field_name, value in positive.items():
            if not value > 0:
                raise InvalidSimulation(f"van type {self.name!r}: {field_name} must be > 0")
        swap_ok = 0 <= self.swap_s < float("inf")  # NaN fails too
        if not swap_ok or min(self.cost_fen_per_km, self.cost_fen_per_hour) < 0:
            raise InvalidSimulation(
                f"van type {self.name!r}: swap time (finite) and costs must be >= 0"
            )
        if self.energy_mode not in ("swap", "charge"):
            raise InvalidSimulation(
                f"van type {self.name!r}: energy_mode is {self.energy_mode!r}; "
                f"choose 'swap' or 'charge'"
            )

    @property
    def range_km(self) -> float:
        """Distance on a full battery."""
        return self.battery_kwh / self.consumption_kwh_per_km

    def recharge_s(self, energy_kwh: float) -> float:
        """Seconds at the depot to put ``energy_kwh`` back (a swap takes fixed time)."""
        if self.energy_mode == "swap":
            return self.swap_s
        return max(0.0, energy_kwh) / self.charge_kw * 3600.0


ROBOVAN_5M3 = VanType(
    name="robovan-5m3",
    capacity_kg=1000.0,
    capacity_m3=5.5,
    battery_kwh=36.0,
    consumption_kwh_per_km=0.2,
    max_speed_kmh=50.0,
    cost_fen_per_km=30,
    cost_fen_per_hour=1200,
)
"""5 m3-class van (Zelos Z5-like): 5.5 m3, 1,000 kg, 180 km range, battery swap in 5 min."""

ROBOVAN_1T5 = VanType(
    name="robovan-1.5t",
    capacity_kg=1500.0,
    capacity_m3=8.0,
    battery_kwh=50.0,
    consumption_kwh_per_km=0.28,
    max_speed_kmh=50.0,
    cost_fen_per_km=40,
    cost_fen_per_hour=1500,
)
"""Larger van: 1.5 t or 3 pallets (8 m3), about 178 km range, battery swap in 5 min."""

VAN_TYPES: dict[str, VanType] = {t.name: t for t in (ROBOVAN_5M3, ROBOVAN_1T5)}


@dataclass(frozen=True)
class DepotSite:
    """A depot (hub) where vans start, end, and swap or charge batteries."""

    depot_id: str
    lon: float
    lat: float
    swap_stations: int = 4

    def __post_init__(self) -> None:
        if self.swap_stations <= 0:
            raise InvalidSimulation(f"depot {self.depot_id!r}: swap_stations must be > 0")


@dataclass(frozen=True)
class Van:
    """One van of the fleet: its type and home depot (index into the depot list)."""

    van_id: int
    van_type: VanType
    depot: int


def make_fleet(
    n_vans: int,
    n_depots: int,
    *,
    mix: Sequence[tuple[VanType, float]] = ((ROBOVAN_5M3, 0.8), (ROBOVAN_1T5, 0.2)),
) -> tuple[Van, ...]:
    """``n_vans`` vans spread round-robin over the depots, types in the given shares."""
    if n_vans <= 0:
        raise InvalidSimulation(f"a fleet needs at least one van, got {n_vans}")
    if n_depots <= 0:
        raise InvalidSimulation(f"a fleet needs at least one depot, got {n_depots}")
    total = sum(share for _, share in mix)
    if not mix or total <= 0 or any(share < 0 for _, share in mix):
        raise InvalidSimulation("the van type mix needs non-negative shares summing to > 0")
    counts = [int(n_vans * share / total) for _, share in mix]
    counts[0] += n_vans - sum(counts)
    types = [t for (t, _), c in zip(mix, counts, strict=True) for _ in range(c)]
    return tuple(Van(van_id=i, van_type=t, depot=i % n_depots) for i, t in enumerate(types))
