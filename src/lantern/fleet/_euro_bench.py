"""Dynamic benchmark: several dispatch policies on the same seeded days, cost vs greedy."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lantern.fleet._euro_agent import run_episode
from lantern.fleet._euro_env import EuroEnvironment, EuroInstance
from lantern.fleet._euro_policies import make_policy
from lantern.fleet._instances import read_instance
from lantern.fleet.errors import InstanceFormatError

__all__ = ["dynamic_bench", "instance_seeds"]


def instance_seeds(data: Path) -> dict[str, int]:
    """Dynamic seeds per instance file from the folder's configs.json (qualification round)."""
    configs = data / "configs.json"
    if not configs.is_file():
        return {}
    try:
        entries = json.loads(configs.read_text(encoding="utf-8"))
        return {e["instance"]: int(e["instance_seed"]) for e in entries if not e.get("static")}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InstanceFormatError(configs, None, f"not a readable JSON file ({exc})") from exc
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        problem = (
            'expected a list of {"instance": FILE, "instance_seed": N, "static": BOOL} '
            f"objects ({type(exc).__name__}: {exc})"
        )
        raise InstanceFormatError(configs, None, problem) from exc


def dynamic_bench(
    files: list[Path],
    strategies: list[str],
    *,
    epoch_tlim_s: float,
    default_seed: int = 1,
    solver_seed: int = 1,
    on_done: Callable[[str, str, int], None] | None = None,
) -> dict[str, Any]:
    """Run each strategy on each instance's dynamic day; totals and % against greedy."""
    for name in strategies:
        make_policy(name)  # unknown names fail before any work
    days = [  # every file and configs.json read first: a malformed one fails before any day
        (
            path,
            instance_seeds(path.parent).get(path.name, default_seed),
            EuroInstance.from_instance(read_instance(path)),
        )
        for path in files
    ]
    rows = []
    for path, seed, instance in days:
        costs: dict[str, int] = {}
        failures: dict[str, list[str]] = {}
        for name in strategies:
            env = EuroEnvironment(instance, seed=seed, epoch_tlim_s=epoch_tlim_s)
            result = run_episode(env, make_policy(name, solver_seed), epoch_tlim_s)
            costs[name] = result.total_cost
            if result.errors:
                failures[name] = result.errors
            if on_done:
                on_done(path.name, name, result.total_cost)
        row: dict[str, Any] = {
            "instance": path.name,
            "instance_seed": seed,
            "costs": costs,
            "failures": failures,
        }
        if "greedy" in costs:
            row["vs_greedy_pct"] = {
                name: round(100.0 * (cost - costs["greedy"]) / costs["greedy"], 2)
                for name, cost in costs.items()
            }
        rows.append(row)
    summary: dict[str, Any] = {
        "epoch_time_limit_s": epoch_tlim_s,
        "strategies": strategies,
        "instances": rows,
    }
    if rows and "greedy" in strategies:
        summary["mean_vs_greedy_pct"] = {
            name: round(statistics.fmean(r["vs_greedy_pct"][name] for r in rows), 2)
            for name in strategies
        }
        summary["total_cost"] = {name: sum(r["costs"][name] for r in rows) for name in strategies}
    return summary
