"""Fleet dispatch commands: solve, bench, dynamic-bench, euro-neurips-agent.

Top-level imports stay light (typer, rich); the engine is imported inside each command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from lantern.fleet._instances import Convention

__all__ = ["register"]

_err = Console(stderr=True)
_SEED_MAX = 2**32 - 1  # PyVRP's random number generator takes an unsigned 32-bit seed

# options shared by several commands
_Seed = Annotated[
    int, typer.Option("--seed", min=0, max=_SEED_MAX, help="Solver seed (same seed, same search).")
]
_Convention = Annotated[
    str,
    typer.Option("--convention", help="Solomon distances: exact (x1000) or dimacs (truncated)."),
]
_VehicleCost = Annotated[
    float,
    typer.Option(
        "--vehicle-cost", min=0.0, help="Cost per van in distance units (0: distance only)."
    ),
]
_Pattern = Annotated[
    str,
    typer.Option("--pattern", help="Glob of instance files in --data; several: comma-separated."),
]
_Json = Annotated[bool, typer.Option("--json", help="Last stdout line: one JSON object.")]


def _print_json(data: dict[str, Any]) -> None:
    typer.echo(json.dumps(data, separators=(",", ":")))


def _convention(name: str) -> Convention:
    from lantern.errors import InvalidInput
    from lantern.fleet._instances import Convention

    try:
        return Convention(name)
    except ValueError:
        raise InvalidInput(f"--convention must be exact or dimacs, not {name!r}") from None


def _instance_files(data: Path, pattern: str) -> list[Path]:
    from lantern.errors import NotFound

    if not data.is_dir():
        raise NotFound(f"--data {data} is not a directory; give the folder of instance files")
    globs = [g.strip() for g in pattern.split(",") if g.strip()]
    files = sorted({p for g in globs for p in data.glob(g) if p.is_file()})
    if not files:
        raise NotFound(f"no instance files match {pattern!r} in {data}; check --pattern")
    return files


def solve_cmd(
    instance: Annotated[Path, typer.Argument(help="Solomon/Homberger or VRPLIB instance file.")],
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.01, help="Seconds of search.")
    ] = 10.0,
    seed: _Seed = 0,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write {'routes': [[node, ...]]} here.")
    ] = None,
    convention: _Convention = "exact",
    bks: Annotated[Path | None, typer.Option("--bks", help="BKS.json to compare against.")] = None,
    vehicle_cost: _VehicleCost = 0.0,
) -> None:
    """Solve one instance; print a JSON summary (objective, vehicles, gap to best-known)."""
    from lantern.cli._paths import output_file
    from lantern.fleet._static_bench import solve_file

    rule = _convention(convention)
    if out is not None:
        output_file(out)
    summary = solve_file(
        instance,
        time_limit_s=time_limit,
        seed=seed,
        convention=rule,
        bks_file=bks,
        vehicle_cost=vehicle_cost,
    )
    if out is not None:
        tmp = out.with_suffix(out.suffix + ".tmp")
        tmp.write_text(json.dumps({"routes": summary.routes}) + "\n", encoding="utf-8")
        tmp.replace(out)
    _print_json(summary.public())


def bench_cmd(
    data: Annotated[Path, typer.Option("--data", help="Folder of instance files.")],
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.01, help="Seconds per solve.")
    ] = 10.0,
    pattern: _Pattern = "*.txt",
    jobs: Annotated[
        int, typer.Option("--jobs", min=1, help="Parallel solves (one core each).")
    ] = 1,
    seed: _Seed = 0,
    convention: _Convention = "exact",
    bks: Annotated[
        Path | None, typer.Option("--bks", help="BKS.json (default: beside --data).")
    ] = None,
    vehicle_cost: _VehicleCost = 0.0,
    as_json: _Json = False,
) -> None:
    """Solve every instance in a folder; table and mean gap to the best-known values."""
    from rich.progress import Progress

    from lantern.fleet._static_bench import bench, bench_summary, find_bks_file

    files = _instance_files(data, pattern)
    rule = _convention(convention)
    with Progress(console=_err, transient=True) as progress:
        task = progress.add_task(f"solving {len(files)} instances", total=len(files))
        results = bench(
            files,
            time_limit_s=time_limit,
            seed=seed,
            jobs=jobs,
            convention=rule,
            bks_file=bks or find_bks_file(data),
            vehicle_cost=vehicle_cost,
            on_done=lambda _r: progress.advance(task),
        )
    summary = bench_summary(results)
    summary.update(
        {
            "time_limit_s": time_limit,
            "jobs": jobs,
            "convention": rule.value,
            "vehicle_cost": vehicle_cost,
        }
    )
    _print_bench_table(summary, to_stderr=as_json)
    if as_json:
        _print_json(summary)


def _print_bench_table(summary: dict[str, Any], *, to_stderr: bool) -> None:
    from rich.table import Table

    table = Table(title="lantern fleet bench")
    for column in ("instance", "objective", "vehicles", "BKS", "gap %", "BKS veh (hier.)", "valid"):
        table.add_column(column)
    for r in summary["results"]:
        table.add_row(
            r["instance"],
            f"{r['objective']:.2f}",
            str(r["vehicles"]),
            "-" if r["bks"] is None else f"{r['bks']:.2f}",
            "-" if r["gap_pct"] is None else f"{r['gap_pct']:+.2f}",
            "-" if r["bks_vehicles"] is None else str(r["bks_vehicles"]),
            "yes" if r["valid"] else "NO",
        )
    console = Console(stderr=to_stderr)
    console.print(table)
    console.print(
        f"mean gap {summary['mean_gap_pct']}% over {summary['instances_with_bks']} instances "
        f"with a best-known value; vehicles {summary['vehicles']} "
        f"(hierarchical BKS {summary['bks_hierarchical_vehicles']}); all valid: "
        f"{summary['all_valid']}"
    )


def agent_cmd(
    strategy: Annotated[
        str, typer.Option("--strategy", help="greedy, lazy, must-routes, prizes or sampling.")
    ] = "prizes",
    epoch_time_limit: Annotated[
        float,
        typer.Option(
            "--epoch-time-limit", min=0.5, help="Seconds per epoch (capped by the harness's)."
        ),
    ] = 120.0,
    seed: _Seed = 1,
) -> None:
    """Speak the EURO-NeurIPS 2022 harness's JSON-lines protocol on stdin/stdout."""
    from lantern.fleet._euro_agent import run_agent
    from lantern.fleet._euro_policies import make_policy

    policy = make_policy(strategy, seed)
    total = run_agent(
        policy,
        epoch_time_limit_s=epoch_time_limit,
        log=lambda text: _err.print(text, highlight=False),
    )
    _err.print(f"total driving time {total}")


def dynamic_bench_cmd(
    data: Annotated[Path, typer.Option("--data", help="Folder of EURO-NeurIPS instances.")],
    strategies: Annotated[
        str,
        typer.Option(
            "--strategies", help="Comma list of greedy, lazy, must-routes, prizes, sampling."
        ),
    ] = "greedy,prizes",
    epoch_time_limit: Annotated[
        float, typer.Option("--epoch-time-limit", min=0.5, help="Seconds of planning per epoch.")
    ] = 10.0,
    pattern: _Pattern = "*.txt",
    instance_seed: Annotated[
        int,
        typer.Option(
            "--instance-seed",
            min=0,
            max=_SEED_MAX,
            help="Day seed when --data has no configs.json entry.",
        ),
    ] = 1,
    seed: _Seed = 1,
    as_json: _Json = False,
) -> None:
    """Play the dynamic day with each strategy; total driving time and % against greedy."""
    from rich.progress import Progress

    from lantern.errors import InvalidInput, NotFound
    from lantern.fleet._euro_bench import dynamic_bench

    files = [p for p in _instance_files(data, pattern) if p.suffix == ".txt"]
    if not files:
        raise NotFound(f"no .txt instance files match {pattern!r} in {data}; check --pattern")
    names = [s.strip() for s in strategies.split(",") if s.strip()]
    if not names:
        raise InvalidInput("--strategies is empty; give names such as greedy,prizes")
    with Progress(console=_err, transient=True) as progress:
        task = progress.add_task("dynamic days", total=len(files) * len(names))
        summary = dynamic_bench(
            files,
            names,
            epoch_tlim_s=epoch_time_limit,
            default_seed=instance_seed,
            solver_seed=seed,
            on_done=lambda *_: progress.advance(task),
        )
    console = Console(stderr=as_json)
    for row in summary["instances"]:
        parts = [
            f"{name} {cost}"
            + (f" ({row['vs_greedy_pct'][name]:+.2f}%)" if "vs_greedy_pct" in row else "")
            for name, cost in row["costs"].items()
        ]
        console.print(f"{row['instance']}: " + ", ".join(parts), highlight=False)
    if "mean_vs_greedy_pct" in summary:
        console.print(f"mean vs greedy: {summary['mean_vs_greedy_pct']}", highlight=False)
    if as_json:
        _print_json(summary)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `lantern fleet` group."""
    app.command("solve")(solve_cmd)
    app.command("bench")(bench_cmd)
    app.command("euro-neurips-agent")(agent_cmd)
    app.command("dynamic-bench")(dynamic_bench_cmd)
