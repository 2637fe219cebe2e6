"""Replaying a drill run in wall time: what the dashboard and the fleet/compute routes show.

A :class:`DrillReplay` holds a replay document (``replay.json``, written by every
``lantern drill run``) and maps wall-clock time to a minute of the drill's window at
``speed`` simulated minutes per second, looping at the end. Van positions are interpolated
linearly between the recorded frames.
"""

from __future__ import annotations

import bisect
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from lantern.drill.errors import ReplayFileError

__all__ = ["DEFAULT_SPEED", "DrillReplay"]

DEFAULT_SPEED = 6.0  # simulated minutes per wall second: a day in four minutes
_REQUIRED = ("version", "start", "horizon_min", "frames", "series", "summary", "deliveries")


@dataclass
class DrillReplay:
    """A drill run replayed against a monotonic clock."""

    doc: dict[str, Any]
    speed: float = DEFAULT_SPEED
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=0.0)

    def __post_init__(self) -> None:
        missing = [key for key in _REQUIRED if key not in self.doc]
        if missing:
            raise ReplayFileError(f"replay document lacks {', '.join(missing)}")
        if not self.doc["frames"]:
            raise ReplayFileError("replay document has no frames")
        if self.speed <= 0:
            raise ReplayFileError(f"replay speed must be positive, got {self.speed}")
        self.started = self.clock()
        self._times = [float(f["t"]) for f in self.doc["frames"]]
        self.start = datetime.fromisoformat(self.doc["start"])

    @classmethod
    def load(cls, path: Path, *, speed: float = DEFAULT_SPEED) -> DrillReplay:
        """Load ``replay.json`` (or a drill output directory that holds one)."""
        file = path / "replay.json" if path.is_dir() else path
        try:
            doc = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ReplayFileError(
                f"{file}: no such replay file; write one with `lantern drill run --out DIR`"
            ) from exc
        except json.JSONDecodeError as exc:
            raise ReplayFileError(f"{file} line {exc.lineno}: not JSON ({exc.msg})") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ReplayFileError(f"{file}: cannot read the replay file ({exc})") from exc
        if not isinstance(doc, dict):
            raise ReplayFileError(f"{file}: a replay document is a JSON object")
        return cls(doc, speed=speed)

    @property
    def horizon_min(self) -> float:
        return float(self.doc["horizon_min"])

    def minute(self) -> float:
        """The drill minute now shown (loops over the window)."""
        return ((self.clock() - self.started) * self.speed) % self.horizon_min

    def vans(self, minute: float) -> list[dict[str, Any]]:
        """Every van's position at ``minute``, interpolated between frames."""
        frames = self.doc["frames"]
        i = bisect.bisect_right(self._times, minute)
        before = frames[max(0, i - 1)]
        after = frames[min(len(frames) - 1, i)]
        span = after["t"] - before["t"]
        w = 0.0 if span <= 0 else min(1.0, max(0.0, (minute - before["t"]) / span))
        return [
            {
                "id": f"van-{k:03d}",
                "lng": round(a[0] + w * (b[0] - a[0]), 6),
                "lat": round(a[1] + w * (b[1] - a[1]), 6),
                "busy": bool(a[2]),
            }
            for k, (a, b) in enumerate(zip(before["v"], after["v"], strict=True))
        ]

    def trails(self, minute: float, last_frames: int = 15) -> dict[str, list[list[float]]]:
        """Each van's path over the last frames up to ``minute`` (the route it drove)."""
        i = bisect.bisect_right(self._times, minute)
        window = self.doc["frames"][max(0, i - last_frames) : i]
        trails: dict[str, list[list[float]]] = {}
        for frame in window:
            for k, (lng, lat, _) in enumerate(frame["v"]):
                trails.setdefault(f"van-{k:03d}", []).append([lng, lat])
        return trails

    def totals(self, minute: float) -> dict[str, int]:
        """Running totals (funnel) as of the last frame at or before ``minute``."""
        i = bisect.bisect_right(self._times, minute)
        if i == 0:
            return {key: 0 for key in self.doc["frames"][0]["totals"]}
        return dict(self.doc["frames"][i - 1]["totals"])

    def bucket(self, minute: float) -> int:
        """Index of the last completed metrics bucket at ``minute`` (-1: none yet)."""
        return int(minute // self.doc["series"]["bucket_min"]) - 1

    def cluster(self, minute: float) -> dict[str, Any] | None:
        """The cluster's snapshot of the last completed bucket."""
        snaps = self.doc["series"]["cluster"]
        b = self.bucket(minute)
        return dict(snaps[min(b, len(snaps) - 1)]) if b >= 0 and snaps else None

    def spent_by_pool_fen(self, minute: float) -> dict[str, int]:
        b = self.bucket(minute)
        spent = self.doc["series"]["spent_by_pool_fen"]
        return {
            pool: (int(v[min(b, len(v) - 1)]) if b >= 0 and v else 0) for pool, v in spent.items()
        }

    def clock_time(self, minute: float) -> datetime:
        return self.start + timedelta(minutes=minute)

    def state(self) -> dict[str, Any]:
        """What the dashboard polls: the minute, vans, totals, spend and cluster now."""
        minute = self.minute()
        return {
            "minute": round(minute, 2),
            "time": self.clock_time(minute).isoformat(timespec="minutes"),
            "vans": self.vans(minute),
            "totals": self.totals(minute),
            "spent_by_pool_fen": self.spent_by_pool_fen(minute),
            "cluster": self.cluster(minute),
        }

    def meta(self) -> dict[str, Any]:
        """What the dashboard loads once: window, series, plan, deliveries, summary."""
        keys = ("start", "horizon_min", "frame_min", "accelerators", "summary", "series",
                "plan_by_pool_fen", "deliveries", "pickups")  # fmt: skip
        return {key: self.doc.get(key) for key in keys} | {"speed": self.speed}
