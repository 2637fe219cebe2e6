"""The drill's own bookkeeping, on fake engine sides (the e2e tests use the real engines)."""

from __future__ import annotations

import dataclasses

from lantern.drill import SCALES, DrillConfig, DrillResult, Engines, run_drill
from lantern.drill._model import FRAME_S
from tests.unit.drill.fakes import FakeFleet, FakeShop, fake_engines

TIMING = {"wall_s", "chat_latency_ms_p50", "chat_latency_ms_p95"}


def test_summary_figures_add_up(fake_run: DrillResult) -> None:
    """Every summary figure agrees with the series it was counted from."""
    s, series = fake_run.summary, fake_run.series
    assert s["users"] == s["sessions"] == SCALES["tiny"].users  # launch: one session each
    assert s["chats"] == sum(series.chats)
    assert s["orders"] == sum(sum(v) for v in series.orders.values())
    assert s["orders"] == sum(s["orders_by_category"].values())
    assert s["deliveries"] == sum(series.deliveries) == len(series.lateness_min)
    assert s["deliveries"] <= s["deliveries_requested"] <= s["orders"]
    assert s["budget_spent_fen"] == sum(s["spent_by_pool_fen"].values()) <= s["budget_fen"]
    assert s["envelopes_granted"] == sum(series.claims_granted)
    assert len(series.cluster) == len(series.van_busy_share) == series.buckets
    assert all(len(v) == series.buckets for v in series.spent_by_pool_fen.values())
    assert s["audit_ok"] is True


def test_outputs_written(fake_run: DrillResult) -> None:
    """The run writes its report, replay and summary; the report embeds six plots."""
    assert fake_run.report_path is not None
    assert fake_run.replay_path is not None
    html = fake_run.report_path.read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 6
    assert str(fake_run.summary["orders"]) in html
    assert fake_run.summary_path is not None
    assert fake_run.summary_path.exists()


def test_same_seed_same_run_other_seed_other_run() -> None:
    """A seed fixes every draw: the same seed repeats the run, another one changes it."""
    config = DrillConfig.build(scale="tiny", seed=4)
    a = run_drill(config, engines=fake_engines).summary
    b = run_drill(config, engines=fake_engines).summary
    c = run_drill(config.with_(seed=5), engines=fake_engines).summary

    def strip(d: dict[str, object]) -> dict[str, object]:
        return {k: v for k, v in d.items() if k not in TIMING}

    assert strip(a) == strip(b)
    assert strip(a) != strip(c)


def test_campaign_window_brings_users_back() -> None:
    """Over the 18-day campaign users come back: more sessions than users, frames all along."""
    scale = dataclasses.replace(SCALES["tiny"], users=60)
    config = DrillConfig(scale=scale, seed=2, window="campaign")
    result = run_drill(config, engines=fake_engines)
    s = result.summary
    assert s["days"] == 18
    assert s["users"] == 60
    assert s["sessions"] > 3 * s["users"]
    assert result.series.buckets == 18 * 24 * 60 // scale.metrics_bucket_min
    assert FRAME_S > 0


def test_undeliverable_orders_go_back_to_the_shop() -> None:
    """Each delivery the fleet gives up on is counted once and handed back to the shop side
    (which cancels and refunds it); the others are reported delivered."""
    made: list[Engines] = []

    def engines(config: DrillConfig) -> Engines:
        e = fake_engines(config)
        assert isinstance(e.fleet, FakeFleet)
        e.fleet.fail_every = 3
        made.append(e)
        return e

    result = run_drill(DrillConfig.build(scale="tiny", seed=4), engines=engines)
    shop, fleet = made[0].shop, made[0].fleet
    assert isinstance(shop, FakeShop)
    assert isinstance(fleet, FakeFleet)
    s = result.summary
    assert s["undeliverable"] == len(shop.undeliverable_ids) == len(fleet.done_ids) // 3 > 0
    assert set(shop.undeliverable_ids).isdisjoint(shop.delivered_ids)
    assert len(shop.delivered_ids) + len(shop.undeliverable_ids) == len(fleet.done_ids)
