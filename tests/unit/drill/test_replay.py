"""Replaying a drill in wall time, and bad replay files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lantern.drill import DrillReplay, DrillResult, ReplayFileError


class _Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_replay_maps_wall_time_to_the_window_and_loops(fake_run: DrillResult) -> None:
    """At 6 minutes per second, 100 s in is 10:00; the window loops after a day."""
    assert fake_run.replay_path is not None
    clock = _Clock()
    replay = DrillReplay(json.loads(fake_run.replay_path.read_text()), speed=6.0, clock=clock)
    clock.t += 100.0
    assert replay.minute() == pytest.approx(600.0)
    state = replay.state()
    assert state["time"] == "2026-02-06T10:00+08:00"
    assert len(state["vans"]) == fake_run.summary["vans"]
    assert state["totals"]["users"] <= fake_run.summary["users"]
    clock.t += 240.0  # 1440 minutes later: the same minute again
    assert replay.minute() == pytest.approx(600.0)


def test_totals_only_grow_over_the_day(fake_run: DrillResult) -> None:
    """Running totals are monotone through the window and end at the summary's figures."""
    assert fake_run.replay_path is not None
    replay = DrillReplay.load(fake_run.replay_path.parent)
    previous = replay.totals(0.0)
    for minute in range(0, 1440, 30):
        now = replay.totals(float(minute))
        assert all(now[k] >= previous[k] for k in now)
        previous = now
    assert replay.totals(1440.0)["users"] == fake_run.summary["users"]


def test_bad_replay_files_are_named(tmp_path: Path) -> None:
    """A missing file, broken JSON and a document without frames each say what is wrong."""
    with pytest.raises(ReplayFileError, match="no such replay file"):
        DrillReplay.load(tmp_path / "nope.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": 1,\n "frames": [', encoding="utf-8")
    with pytest.raises(ReplayFileError, match="line 2"):
        DrillReplay.load(broken)
    partial = tmp_path / "partial.json"
    partial.write_text('{"version": 1}', encoding="utf-8")
    with pytest.raises(ReplayFileError, match="lacks start"):
        DrillReplay.load(partial)
