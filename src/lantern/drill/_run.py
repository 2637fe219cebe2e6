"""One drill run: build the engines, simulate, audit, summarise, write the outputs."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from lantern.drill._config import DrillConfig
from lantern.drill._model import FRAME_S, DrillModel, Engines, Frame
from lantern.drill._series import Series
from lantern.drill._summary import summarise

__all__ = ["DrillResult", "replay_document", "run_drill"]

EngineFactory = Callable[[DrillConfig], Engines]


@dataclass(frozen=True, slots=True)
class DrillResult:
    """What a run produced: the summary and where its files went."""

    summary: dict[str, Any]
    series: Series
    report_path: Path | None
    replay_path: Path | None
    summary_path: Path | None


def replay_document(
    config: DrillConfig,
    model: DrillModel,
    frames: list[Frame],
    summary: dict[str, Any],
    plan: dict[str, dict[date, int]],
) -> dict[str, Any]:
    """Everything the dashboard replays: frames of van positions, deliveries, the series."""
    deliveries = [
        [
            round(log.drop[0], 5),
            round(log.drop[1], 5),
            round(log.placed_s / 60.0, 2),
            round(log.done_s / 60.0, 2) if log.done_s is not None else None,
            log.on_time,
        ]
        for log in model.deliveries.values()
    ]
    return {
        "version": 1,
        "start": config.start.isoformat(),
        "horizon_min": config.horizon_min,
        "frame_min": FRAME_S / 60.0,
        "accelerators": config.accelerator_count,
        "cluster_by_model": dict(model.series.cluster[-1].by_model) if model.series.cluster else {},
        "summary": summary,
        "plan_by_pool_fen": {
            pool: {day.isoformat(): int(fen) for day, fen in sorted(days.items())}
            for pool, days in plan.items()
        },
        "series": model.series.to_json(),
        "deliveries": deliveries,
        "pickups": [[round(x, 5), round(y, 5)] for x, y in model.series.pickups],
        "frames": [{"t": f.at_min, "v": f.vans, "totals": f.totals} for f in frames],
    }


def _default_engines(config: DrillConfig) -> Engines:
    from lantern.drill._engines import build_engines

    return build_engines(config)


def run_drill(
    config: DrillConfig,
    *,
    out_dir: Path | None = None,
    engines: EngineFactory = _default_engines,
    progress: Callable[[float], None] | None = None,
) -> DrillResult:
    """Run one drill; with ``out_dir``, write summary.json, report.html and replay.json."""
    started = time.perf_counter()
    joined = engines(config)
    try:
        model = DrillModel(config, joined, progress)
        frames = model.run()
        audit = joined.campaign.audit()
        summary = summarise(config, model, audit, time.perf_counter() - started)
        plan: dict[str, dict[date, int]] = {
            pool: dict(days) for pool, days in joined.campaign.plan_by_pool_fen().items()
        }
    finally:
        joined.close()
    if out_dir is None:
        return DrillResult(summary, model.series, None, None, None)
    from lantern.drill._report import render_report, write_text_atomic
    from lantern.drill._roads import road_polylines

    report = render_report(summary, model.series, plan, config.start.date(), road_polylines())
    report_path = write_text_atomic(out_dir / "report.html", report)
    replay = replay_document(config, model, frames, summary, plan)
    replay_path = write_text_atomic(
        out_dir / "replay.json", json.dumps(replay, separators=(",", ":"))
    )
    summary_path = write_text_atomic(out_dir / "summary.json", json.dumps(summary, indent=2))
    return DrillResult(summary, model.series, report_path, replay_path, summary_path)
