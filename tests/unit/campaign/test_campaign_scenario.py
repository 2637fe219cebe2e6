"""The scenario model, the built-in Spring Festival scenario, files and scaling."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.campaign import InvalidScenario, load_scenario
from lantern.campaign._pacing import base_plan, share

YUAN = 100


def test_spring_festival_matches_public_facts() -> None:
    """3 billion yuan, 6-23 Feb, 25-yuan cards capped at 21 / 525 yuan, cash capped at 2,888."""
    s = load_scenario("spring-festival-2026")
    assert s.budget_fen == 3_000_000_000 * YUAN
    assert (str(s.calendar.start), str(s.calendar.holiday_start), str(s.calendar.end)) == (
        "2026-02-06",
        "2026-02-15",
        "2026-02-23",
    )
    assert s.template("free-order-25").value_fen == 25 * YUAN
    assert s.template("free-order-25").threshold_fen == 0
    cards = next(q for q in s.quotas if q.id == "free-order-cards")
    assert (cards.max_count, cards.max_amount_fen) == (21, 525 * YUAN)
    assert s.referral is not None
    assert s.referral.max_referrals_per_inviter == 20
    eve = s.drop("cash-eve-midnight")
    assert eve.starts_at.isoformat() == "2026-02-16T00:00:00+08:00"
    assert eve.cap_fen == 2_888 * YUAN
    assert {p.id for p in s.pools} == {"cash", "gastronomy", "entertainment", "leisure"}


@pytest.mark.parametrize(("variant", "yuan"), [("tencent", 1_000_000_000), ("baidu", 500_000_000)])
def test_variants_scale_the_budget(variant: str, yuan: int) -> None:
    """Rival variants keep the structure with exactly their own budget."""
    s = load_scenario("spring-festival-2026", variant)
    assert s.id == f"spring-festival-2026-{variant}"
    assert s.budget_fen == yuan * YUAN
    assert sum(p.budget_fen for p in s.pools) <= s.budget_fen
    assert len(s.drops) == len(load_scenario("spring-festival-2026").drops)


def test_unknown_variant_and_scenario_are_refused() -> None:
    """Unknown names raise InvalidScenario naming what exists."""
    with pytest.raises(InvalidScenario, match="tencent"):
        load_scenario("spring-festival-2026", "alibaba")
    with pytest.raises(InvalidScenario, match="spring-festival-2026"):
        load_scenario("no-such-campaign")


def test_scale_keeps_the_scenario_valid() -> None:
    """A tiny scale still gives valid drops: whole fen, >= 1 fen per envelope, within pools."""
    s = load_scenario("spring-festival-2026", scale=1e-6)
    for drop in s.drops:
        assert drop.count >= 1
        assert drop.total_fen >= drop.count
    assert sum(p.budget_fen for p in s.pools) <= s.budget_fen


def test_file_errors_name_the_file_and_field(tmp_path: Path) -> None:
    """A bad scenario file is refused with its path and the offending field."""
    bad = tmp_path / "bad.toml"
    bad.write_text(
        Path(load_scenario.__code__.co_filename)
        .parent.joinpath("../data/campaign/example.toml")
        .read_text()
        .replace("budget_fen = 200_000", "budget_fen = -5")
    )
    with pytest.raises(InvalidScenario, match=r"bad.toml.*budget_fen"):
        load_scenario(str(bad))
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": ')
    with pytest.raises(InvalidScenario, match=r"broken.json:1"):
        load_scenario(str(broken))


def test_drops_must_fit_their_pool(tmp_path: Path) -> None:
    """A drop larger than its pool's budget is refused."""
    text = (
        Path(load_scenario.__code__.co_filename)
        .parent.joinpath("../data/campaign/example.toml")
        .read_text()
    )
    path = tmp_path / "big.toml"
    path.write_text(
        text.replace("total_fen = 10_000\ncap_fen", "total_fen = 1_000_000\ncap_fen").replace(
            "cap_fen = 2_000", "cap_fen = 200_000"
        )
    )
    with pytest.raises(InvalidScenario, match="over its budget"):
        load_scenario(str(path))


def _example_text() -> str:
    return (
        Path(load_scenario.__code__.co_filename)
        .parent.joinpath("../data/campaign/example.toml")
        .read_text()
    )


def test_an_operator_plan_over_the_pool_budget_is_refused(tmp_path: Path) -> None:
    """The example's operator plan for gastronomy (30,000 + 30,000 = the pool's 60,000 fen)
    loads; raised to 60,000 + 30,000 it promises more than the pool holds and is refused
    with both figures."""
    plan = "plan = { 2026-02-06 = 30_000, 2026-02-13 = 30_000 }"
    assert plan in _example_text()
    assert load_scenario(str(_write(tmp_path, _example_text()))).pacing["gastronomy"].plan
    over = _example_text().replace(plan, plan.replace("= 30_000,", "= 60_000,"))
    with pytest.raises(InvalidScenario, match=r"adds up to 90000 fen, over the pool's budget"):
        load_scenario(str(_write(tmp_path, over)))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / f"s{len(list(tmp_path.iterdir()))}.toml"
    path.write_text(text)
    return path


def test_a_holiday_outside_the_calendar_is_refused(tmp_path: Path) -> None:
    """Holiday weighting needs the holiday inside the campaign: a holiday ending after the
    calendar's last day is refused, naming both ranges."""
    path = tmp_path / "holiday.toml"
    path.write_text(_example_text().replace("holiday_end = 2026-02-23", "holiday_end = 2026-03-01"))
    with pytest.raises(InvalidScenario, match=r"must lie within the calendar"):
        load_scenario(str(path))


@pytest.mark.parametrize("pool", ["cash", "gastronomy", "entertainment", "leisure"])
def test_plans_add_up_to_the_pool_budget(pool: str) -> None:
    """Every pacing mode plans exactly the pool's budget, on active days only."""
    s = load_scenario("spring-festival-2026", scale=1e-3)
    plan = base_plan(s, pool)
    assert sum(plan.values()) == s.pool(pool).budget_fen
    assert all(v >= 0 for v in plan.values())


def test_holiday_days_weigh_more_and_front_loading_decays() -> None:
    """Holiday-weighted plans give holiday days twice as much; front-loaded plans decrease."""
    s = load_scenario("spring-festival-2026", scale=1e-3)
    fun = base_plan(s, "entertainment")
    d = sorted(k for k, v in fun.items() if v)
    assert fun[d[-1]] == pytest.approx(2 * fun[d[0]], abs=2)
    food = [v for _, v in sorted(base_plan(s, "gastronomy").items()) if v]
    assert food == sorted(food, reverse=True)


@pytest.mark.parametrize("buckets", [1, 3, 16])
def test_shares_add_up_and_grow(buckets: int) -> None:
    """Bucket shares of a plan add up to it and never shrink as the plan grows."""
    for total in range(0, 200, 7):
        assert sum(share(total, b, buckets) for b in range(buckets)) == total
        assert all(share(total + 1, b, buckets) >= share(total, b, buckets) for b in range(buckets))
