"""The replay runs any scenario on its own calendar and drops, and says when nothing worked."""

from __future__ import annotations

from pathlib import Path

from lantern.campaign._replay import replay

LUNAR = """
id = "lunar-test"
title = "A campaign with other dates, pools and drop ids"
budget_fen = 300_000
audience_users = 200

[calendar]
timezone = "Asia/Shanghai"
start = 2027-01-30
end = 2027-02-03
holiday_start = 2027-02-01
holiday_end = 2027-02-03

[[pools]]
id = "money"
kind = "cash"
budget_fen = 150_000

[[pools]]
id = "eat"
kind = "voucher"
category = "gastronomy"
budget_fen = 100_000

[[templates]]
id = "eat-5"
category = "gastronomy"
value_fen = 500

[[drops]]
id = "morning-cash"
pool = "money"
starts_at = 2027-01-30T08:00:00+08:00
ends_at = 2027-02-04T00:00:00+08:00
count = 300
total_fen = 60_000
cap_fen = 1_000
per_user = 2

[[drops]]
id = "eat-cards"
pool = "eat"
starts_at = 2027-01-31T00:00:00+08:00
ends_at = 2027-02-02T00:00:00+08:00
count = 100
total_fen = 50_000
template = "eat-5"
"""


def _scenario(tmp_path: Path, extra: str = "") -> str:
    path = tmp_path / "lunar.toml"
    path.write_text(LUNAR + extra, encoding="utf-8")
    return str(path)


def test_a_scenario_file_is_replayed_on_its_own_drops(tmp_path: Path) -> None:
    """A file with its own dates and drop ids: users claim its open drops (cash and voucher
    pools both granted), never an unknown drop, over its 5 days, and the audit passes."""
    result = replay(f"sqlite:///{tmp_path / 'r.db'}", _scenario(tmp_path), users=200, seed=3)
    granted = {pool.pool: pool.granted_fen for pool in result.status.pools}
    assert granted["money"] > 0
    assert granted["eat"] > 0
    assert result.ops["claim"] > 0
    assert "NOT_FOUND" not in result.refusals
    assert result.days == 5
    assert result.warnings == []
    assert result.audit.passed


def test_a_replay_in_which_no_claim_succeeds_says_so(tmp_path: Path) -> None:
    """A scenario whose only drop is open for half an hour at night, when no synthetic user
    claims, makes a replay with zero grants: it still audits clean, but the result carries a
    warning saying so instead of looking like a normal run."""
    night_only = """
id = "night-only"
title = "One drop nobody is awake for"
budget_fen = 10_000
audience_users = 10

[calendar]
timezone = "Asia/Shanghai"
start = 2027-01-30
end = 2027-01-31
holiday_start = 2027-01-30
holiday_end = 2027-01-31

[[pools]]
id = "money"
kind = "cash"
budget_fen = 10_000

[[drops]]
id = "three-am"
pool = "money"
starts_at = 2027-01-30T03:00:00+08:00
ends_at = 2027-01-30T03:30:00+08:00
count = 10
total_fen = 10_000
"""
    path = tmp_path / "night.toml"
    path.write_text(night_only, encoding="utf-8")
    result = replay(f"sqlite:///{tmp_path / 'r.db'}", str(path), users=20, seed=1)
    assert result.ops["claim"] + result.ops["referral"] == 0
    assert len(result.warnings) == 1
    assert "no claim succeeded" in result.warnings[0]
    assert result.audit.passed
