"""Built-in scenarios: ``spring-festival-2026`` (Qwen, 3 billion yuan) and its variants.

Public facts (see docs/campaign.md): 3 billion yuan from 6 Feb 2026 over the holiday of
15-23 Feb; wave 1 (6-12 Feb) a 25-yuan no-threshold free-order card per user plus one card
per invited friend for both sides (at most 21 cards, 525 yuan); wave 2 (from 13 Feb) cash
envelopes of up to 2,888 yuan per user; vouchers at restaurants, tea and coffee shops,
entertainment and leisure. The split of the budget over pools and drops is our assumption,
documented in docs/campaign.md. Variants keep the structure and scale the budget: Tencent
(1 billion yuan) and Baidu (0.5 billion yuan).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from lantern.campaign._scenario import Scenario, scenario_from_data, scenario_from_file
from lantern.campaign.errors import InvalidScenario
from lantern.clock import SHANGHAI

__all__ = ["BUILTIN_SCENARIOS", "VARIANTS", "load_scenario", "scale_scenario"]

YUAN = 100
BILLION_YUAN_FEN = 1_000_000_000 * YUAN
BUILTIN_SCENARIOS = ("spring-festival-2026", "example")
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "campaign" / "example.toml"
VARIANTS: dict[str, tuple[str, int]] = {
    "qwen": ("Qwen", 3 * BILLION_YUAN_FEN),
    "tencent": ("Tencent", 1 * BILLION_YUAN_FEN),
    "baidu": ("Baidu", BILLION_YUAN_FEN // 2),
}
WAVE2_DAYS = [date(2026, 2, 13) + timedelta(days=i) for i in range(11)]  # 13..23 Feb


def _at(day: date, hour: int = 0) -> str:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI).isoformat()


def _drop(
    drop_id: str, pool: str, start: str, end: str, count: int, total_yuan: int, **kw: Any
) -> dict[str, Any]:
    return {
        "id": drop_id,
        "pool": pool,
        "starts_at": start,
        "ends_at": end,
        "count": count,
        "total_fen": total_yuan * YUAN,
        **kw,
    }


def _wave2_drops() -> list[dict[str, Any]]:
    drops = []
    for day in WAVE2_DAYS:
        tag = day.strftime("%m%d")
        drops.append(
            _drop(
                f"cash-{tag}",
                "cash",
                _at(day, 20),
                _at(day + timedelta(days=1)),
                20_000_000,
                80_000_000,
                cap_fen=2_888 * YUAN,
            )
        )
        drops.append(
            _drop(
                f"food-{tag}",
                "gastronomy",
                _at(day, 10),
                _at(day + timedelta(days=1)),
                1_800_000,
                18_000_000,
                template="food-10-over-20",
            )
        )
        drops.append(
            _drop(
                f"fun-{tag}",
                "entertainment",
                _at(day, 10),
                _at(day + timedelta(days=1)),
                900_000,
                18_000_000,
                template="fun-20-over-50",
            )
        )
        drops.append(
            _drop(
                f"leisure-{tag}",
                "leisure",
                _at(day, 10),
                _at(day + timedelta(days=1)),
                1_200_000,
                18_000_000,
                template="leisure-15-over-40",
            )
        )
    eve = date(2026, 2, 16)  # Chinese New Year's Eve (除夕) 2026
    drops.append(
        _drop(
            "cash-eve-midnight",
            "cash",
            _at(eve, 0),
            _at(eve, 2),
            30_000_000,
            300_000_000,
            cap_fen=2_888 * YUAN,
        )
    )
    return drops


def _cash_plan(drops: list[dict[str, Any]], budget_fen: int) -> dict[str, int]:
    """Operator plan of the cash pool: each day plans what its drops hold; the rest of the
    pool is spread evenly over the wave-2 days."""
    plan = {d.isoformat(): 0 for d in WAVE2_DAYS}
    for drop in drops:
        if drop["pool"] == "cash":
            plan[drop["starts_at"][:10]] += drop["total_fen"]
    spare = budget_fen - sum(plan.values())
    for i, day in enumerate(plan):
        plan[day] += spare // len(plan) + (1 if i < spare % len(plan) else 0)
    return plan


def _pools(cash_budget: int) -> list[dict[str, Any]]:
    def voucher_pool(category: str, yuan: int) -> dict[str, Any]:
        return {"id": category, "kind": "voucher", "category": category, "budget_fen": yuan * YUAN}

    return [
        {"id": "cash", "kind": "cash", "budget_fen": cash_budget},
        voucher_pool("gastronomy", 1_400_000_000),
        voucher_pool("entertainment", 200_000_000),
        voucher_pool("leisure", 200_000_000),
    ]


def _templates() -> list[dict[str, Any]]:
    def over(template_id: str, category: str, off_yuan: int, over_yuan: int) -> dict[str, Any]:
        return {
            "id": template_id,
            "category": category,
            "value_fen": off_yuan * YUAN,
            "threshold_fen": over_yuan * YUAN,
            "valid_days": 3,
        }

    return [
        {"id": "free-order-25", "category": "gastronomy", "value_fen": 25 * YUAN},
        over("food-10-over-20", "gastronomy", 10, 20),
        over("fun-20-over-50", "entertainment", 20, 50),
        over("leisure-15-over-40", "leisure", 15, 40),
    ]


def _quotas(drops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cash = [d["id"] for d in drops if d["pool"] == "cash"]
    vouchers = [d["id"] for d in drops if d["id"].startswith(("food-", "fun-", "leisure-"))]
    return [
        {
            "id": "free-order-cards",
            "drops": ["welcome-card", "referral-card"],
            "max_count": 21,
            "max_amount_fen": 525 * YUAN,
        },
        {"id": "cash-per-user", "drops": cash, "max_amount_fen": 2_888 * YUAN},
        {"id": "cash-per-day", "drops": cash, "period": "day", "max_count": 2},
        {"id": "vouchers-per-day", "drops": vouchers, "period": "day", "max_count": 3},
    ]


def _spring_festival_data() -> dict[str, Any]:
    w1_start, w1_end = _at(date(2026, 2, 6)), _at(date(2026, 2, 13))
    drops = [
        _drop(
            "welcome-card",
            "gastronomy",
            w1_start,
            w1_end,
            36_000_000,
            900_000_000,
            template="free-order-25",
        ),
        _drop(
            "referral-card",
            "gastronomy",
            w1_start,
            w1_end,
            12_000_000,
            300_000_000,
            template="free-order-25",
            per_user=21,
            referral=True,
        ),
        *_wave2_drops(),
    ]
    cash_budget = 1_200_000_000 * YUAN
    return {
        "id": "spring-festival-2026",
        "title": "Qwen Spring Festival 2026 red envelopes",
        "budget_fen": 3 * BILLION_YUAN_FEN,
        "audience_users": 40_000_000,
        "calendar": {
            "start": "2026-02-06",
            "end": "2026-02-23",
            "holiday_start": "2026-02-15",
            "holiday_end": "2026-02-23",
        },
        "pools": _pools(cash_budget),
        "templates": _templates(),
        "drops": drops,
        "referral": {"drop": "referral-card", "max_referrals_per_inviter": 20},
        "quotas": _quotas(drops),
        "pacing": {
            "cash": {"mode": "operator", "plan": _cash_plan(drops, cash_budget)},
            "gastronomy": {"mode": "front-loaded", "front_decay": 0.8},
            "*": {"mode": "holiday-weighted", "holiday_weight": 2.0},
        },
    }


def _scale_int(value: int, factor: float) -> int:
    return round(value * factor)


def _scale_drop(drop: dict[str, Any], factor: float, value_of: dict[str, int]) -> dict[str, Any]:
    count = max(1, _scale_int(drop["count"], factor))
    if drop.get("template"):
        total = count * value_of[drop["template"]]
    else:
        cap = drop.get("cap_fen") or drop["total_fen"]
        total = min(max(count, _scale_int(drop["total_fen"], factor)), cap * count)
    return {**drop, "count": count, "total_fen": total}


def _split_like(plan: dict[str, int], target: int) -> dict[str, int]:
    """Scale a day plan to add up to exactly ``target`` (largest remainder)."""
    total = sum(plan.values())
    if not total:
        return dict(plan)
    exact = {k: v * target / total for k, v in plan.items()}
    out = {k: int(x) for k, x in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - out[k], reverse=True)[
        : target - sum(out.values())
    ]:
        out[k] += 1
    return out


def scale_scenario(scenario: Scenario, factor: float) -> Scenario:
    """The same campaign with budgets, pools, drop sizes and plans scaled by ``factor``
    (per-user quotas, caps and voucher values stay): for replays, drills and tests."""
    if not 0 < factor <= 1000:
        raise InvalidScenario(f"scale must be in (0, 1000], got {factor}")
    if factor == 1:
        return scenario
    data = scenario.model_dump(mode="json")
    value_of = {t["id"]: t["value_fen"] for t in data["templates"]}
    data["drops"] = [_scale_drop(d, factor, value_of) for d in data["drops"]]
    for pool in data["pools"]:
        allocated = sum(d["total_fen"] for d in data["drops"] if d["pool"] == pool["id"])
        pool["budget_fen"] = max(allocated, _scale_int(pool["budget_fen"], factor), 1)
    data["budget_fen"] = max(
        sum(p["budget_fen"] for p in data["pools"]), _scale_int(data["budget_fen"], factor)
    )
    budgets = {p.id: p.budget_fen for p in scenario.pools}
    new_budgets = {p["id"]: p["budget_fen"] for p in data["pools"]}
    for pool, pacing in data["pacing"].items():
        plan = pacing["plan"]
        full = pool in budgets and sum(plan.values()) == budgets[pool]
        target = new_budgets[pool] if full else _scale_int(sum(plan.values()), factor)
        pacing["plan"] = _split_like(plan, target)
    data["audience_users"] = max(1, _scale_int(data["audience_users"], factor))
    return scenario_from_data(data, f"{scenario.id} scaled by {factor}")


def _trim_to(data: dict[str, Any], budget_fen: int) -> None:
    """Make the budget exactly ``budget_fen``: rounding may have given the pools a few fen
    too many; take them from the pools' unallocated spare (never from their drops)."""
    excess = sum(p["budget_fen"] for p in data["pools"]) - budget_fen
    for pool in data["pools"]:
        allocated = sum(d["total_fen"] for d in data["drops"] if d["pool"] == pool["id"])
        take = max(0, min(excess, pool["budget_fen"] - allocated))
        pool["budget_fen"] -= take
        excess -= take
        plan = data["pacing"].get(pool["id"], {}).get("plan")
        if take and plan:
            data["pacing"][pool["id"]]["plan"] = _split_like(plan, pool["budget_fen"])
    if excess <= 0:
        data["budget_fen"] = budget_fen


def load_scenario(name: str, variant: str | None = None, *, scale: float = 1.0) -> Scenario:
    """A built-in scenario by name (``spring-festival-2026``, variants ``tencent`` and
    ``baidu``), or a scenario file (``.toml`` / ``.json``) by path; scaled by ``scale``."""
    if name == "example":
        return scale_scenario(scenario_from_file(EXAMPLE), scale)
    if name in BUILTIN_SCENARIOS:
        base = scenario_from_data(_spring_festival_data(), name)
        if variant not in (None, "qwen"):
            if variant not in VARIANTS:
                known = ", ".join(sorted(VARIANTS))
                raise InvalidScenario(f"unknown variant {variant!r} of {name}; known: {known}")
            company, budget_fen = VARIANTS[variant]
            base = scale_scenario(base, budget_fen / base.budget_fen)
            data = base.model_dump(mode="json")
            data.update(
                id=f"{name}-{variant}", title=f"{company} Spring Festival 2026 red envelopes"
            )
            _trim_to(data, budget_fen)
            base = scenario_from_data(data, f"{name} ({variant})")
        return scale_scenario(base, scale)
    path = Path(name)
    if path.suffix in (".toml", ".json") and path.exists():
        if variant is not None:
            raise InvalidScenario("variants apply to built-in scenarios only")
        return scale_scenario(scenario_from_file(path), scale)
    known = ", ".join(BUILTIN_SCENARIOS)
    raise InvalidScenario(
        f"unknown scenario {name!r}: give a built-in ({known}) or a .toml/.json file"
    )
