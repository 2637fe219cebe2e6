"""Parameters of the delivery simulator, validated once (engines never read the environment)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lantern.fleet._congestion import CongestionProfile
from lantern.fleet.errors import InvalidSimulation

__all__ = ["SimParams"]


@dataclass(frozen=True)
class SimParams:
    """How the simulated service runs; all times in seconds, rates per km.

    - ``epoch_s``: the dispatcher re-plans every epoch (assigns waiting orders to vans).
    - ``max_lateness_s``: an order is only assigned if its drop can happen by ``due_s`` plus
      this; an order that no van can deliver by then is reported undeliverable.
    - ``disengagements_per_km``: rate at which a van stops and waits for a remote operator
      (a pool of ``remote_operators``); help takes ``remote_help_mean_s`` on average
      (exponential, at least ``remote_help_min_s``).
    - ``battery_reserve_frac``: plans never use the last fraction of the battery, and
      ``swap_below_frac``: an idle van under this charge goes to its depot to swap/charge.
    - ``late_weight`` and ``delay_weight``: insertion cost per second of lateness of the new
      order and per second of delay pushed onto later drops (on top of added travel time).
    - ``candidate_vans``: how many nearby vans each order's insertion considers.
    - ``max_plan_stops``: a van commits to at most this many stops ahead (it takes no new
      order while its plan is full); bounds both the work per insertion and how far ahead
      an overloaded van promises.
    - ``reoptimize_every_s``: if > 0, every so often all open plans are re-solved with
      PyVRP, in groups of at most ``reoptimize_group_vans`` nearby vans, for
      ``reoptimize_time_s`` seconds per group, and adopted when they drive less
      (:mod:`lantern.fleet._reopt`); 0 turns this off.
    - ``time_of_day_at_zero_s``: the time of day (for congestion) when the SimPy clock is 0.
    """

    epoch_s: float = 300.0
    service_pickup_s: float = 120.0
    service_drop_s: float = 90.0
    max_lateness_s: float = 3600.0
    disengagements_per_km: float = 0.01
    remote_operators: int = 5
    remote_help_mean_s: float = 180.0
    remote_help_min_s: float = 30.0
    battery_reserve_frac: float = 0.1
    swap_below_frac: float = 0.35
    late_weight: float = 4.0
    delay_weight: float = 0.5
    candidate_vans: int = 8
    max_plan_stops: int = 60
    reoptimize_every_s: float = 0.0
    reoptimize_time_s: float = 1.0
    reoptimize_group_vans: int = 12
    time_of_day_at_zero_s: float = 0.0
    congestion: CongestionProfile = field(default_factory=CongestionProfile)
    seed: int = 0

    def __post_init__(self) -> None:
        non_negative = {
            "service_pickup_s": self.service_pickup_s,
            "service_drop_s": self.service_drop_s,
            "max_lateness_s": self.max_lateness_s,
            "disengagements_per_km": self.disengagements_per_km,
            "remote_help_mean_s": self.remote_help_mean_s,
            "remote_help_min_s": self.remote_help_min_s,
            "late_weight": self.late_weight,
            "reoptimize_every_s": self.reoptimize_every_s,
            "delay_weight": self.delay_weight,
        }
        for name, value in non_negative.items():
            if not value >= 0:
                raise InvalidSimulation(f"simulation parameter {name} must be >= 0, got {value}")
        finite = {
            **non_negative,
            "epoch_s": self.epoch_s,
            "reoptimize_time_s": self.reoptimize_time_s,
            "time_of_day_at_zero_s": self.time_of_day_at_zero_s,
        }
        del finite["max_lateness_s"]  # may be infinite: never refuse an order for lateness
        for name, value in finite.items():
            if not math.isfinite(value):
                raise InvalidSimulation(f"simulation parameter {name} must be finite, got {value}")
        if not self.epoch_s > 0:
            raise InvalidSimulation(f"epoch_s must be > 0, got {self.epoch_s}")
        if self.remote_operators <= 0:
            raise InvalidSimulation(f"remote_operators must be > 0, got {self.remote_operators}")
        if not self.reoptimize_time_s > 0:
            raise InvalidSimulation(f"reoptimize_time_s must be > 0, got {self.reoptimize_time_s}")
        if self.reoptimize_group_vans <= 0:
            raise InvalidSimulation("reoptimize_group_vans must be > 0")
        if self.max_plan_stops < 2:
            raise InvalidSimulation(f"max_plan_stops must be >= 2, got {self.max_plan_stops}")
        if self.candidate_vans <= 0:
            raise InvalidSimulation(f"candidate_vans must be > 0, got {self.candidate_vans}")
        if not 0 <= self.battery_reserve_frac < self.swap_below_frac <= 1:
            raise InvalidSimulation(
                "need 0 <= battery_reserve_frac < swap_below_frac <= 1, got "
                f"{self.battery_reserve_frac} and {self.swap_below_frac}"
            )
