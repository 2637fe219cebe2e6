"""`lantern drill`: the full-link festival drill (run) and what-if sweeps on Ray (sweep)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["app"]

app = typer.Typer(
    help="The full-link festival drill: campaign, assistant, commerce, fleet and cluster at once.",
    no_args_is_help=True,
)
_err = Console(stderr=True)
_out = Console()

_SUMMARY_ROWS = (
    "days", "users", "chats", "envelopes_granted", "budget_fen", "budget_spent_fen", "orders",
    "deliveries", "on_time_pct", "vans", "van_utilization_pct", "accelerators",
    "accelerator_utilization_pct", "inference_latency_ms_p95", "inference_slo_met_pct",
    "audit_ok", "wall_s",
)  # fmt: skip


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _llm_config() -> Any:
    from lantern.assistant import LLMNotConfigured, OpenAIConfig
    from lantern.settings import get_settings

    settings = get_settings()
    if not (settings.llm_base_url and settings.llm_model):
        raise LLMNotConfigured("--llm needs LANTERN_LLM_BASE_URL and LANTERN_LLM_MODEL")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return OpenAIConfig(
        settings.llm_base_url, settings.llm_model, api_key=key, timeout_s=settings.llm_timeout_s
    )


def _check_scenarios(configs: Any) -> None:
    """Load each config's scenario and variant now: a typo fails before Ray or the drill starts."""
    from lantern.campaign import load_scenario

    for scenario, variant in {(c.scenario, c.variant) for c in configs}:
        load_scenario(scenario, variant)


def _print_summary(summary: dict[str, Any]) -> None:
    table = Table(title=f"drill {summary['scenario']} ({summary['scale']}, seed {summary['seed']})")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key in _SUMMARY_ROWS:
        table.add_row(key, str(summary.get(key)))
    _out.print(table)


@app.command("run")
def run(
    scenario: Annotated[str, typer.Option(help="Campaign scenario.")] = "spring-festival-2026",
    variant: Annotated[
        str | None, typer.Option(help="Scenario variant (a rival's budget).")
    ] = None,
    scale: Annotated[str, typer.Option(help="tiny | small | city.")] = "tiny",
    seed: Annotated[int, typer.Option(help="Seed of every random draw.")] = 42,
    window: Annotated[str, typer.Option(help="launch (6 Feb) | campaign (6-23 Feb).")] = "launch",
    vans: Annotated[int | None, typer.Option(help="Override the scale's number of vans.")] = None,
    accelerators: Annotated[int | None, typer.Option(help="Override the cluster size.")] = None,
    h200_share: Annotated[
        float, typer.Option(help="Share of H200 in the cluster (rest 810E).")
    ] = 0.25,
    out: Annotated[Path, typer.Option(help="Directory for report and replay.")] = Path(
        "lantern-drill"
    ),
    llm: Annotated[
        bool, typer.Option(help="Chat through the LANTERN_LLM_* endpoint, not the router.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Last stdout line: the summary JSON.")
    ] = False,
) -> None:
    """Run the drill, write report.html, replay.json and summary.json, print the summary."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from lantern.cli._paths import output_dir
    from lantern.drill import DrillConfig, run_drill

    config = DrillConfig.build(
        llm=_llm_config() if llm else None,
        scale=scale, scenario=scenario, variant=variant, seed=seed, window=window,
        vans=vans, accelerators=accelerators, h200_share=h200_share,
    )  # fmt: skip
    _check_scenarios([config])
    output_dir(out)
    with Progress(
        TextColumn("drill {task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(), console=_err, transient=False,
    ) as progress:  # fmt: skip
        task = progress.add_task(f"{scale} seed {seed}", total=1.0)
        result = run_drill(
            config, out_dir=out, progress=lambda done: progress.update(task, completed=done)
        )
        progress.update(task, completed=1.0)
    summary = dict(result.summary)
    summary["report"] = str(result.report_path)
    if as_json:
        _err.print(f"report: {result.report_path}")
        typer.echo(json.dumps(summary, separators=(",", ":")))
    else:
        _print_summary(summary)
        _out.print(f"report: {result.report_path}")
    if not summary["audit_ok"]:
        raise typer.Exit(1)


@app.command("sweep")
def sweep(
    scenario: Annotated[str, typer.Option(help="Campaign scenario.")] = "spring-festival-2026",
    variants: Annotated[
        str, typer.Option(help="Comma list of variants; 'base' = the scenario.")
    ] = "base",
    vans: Annotated[
        str, typer.Option(help="Comma list of fleet sizes (default: the scale's).")
    ] = "",
    h200_shares: Annotated[
        str, typer.Option(help="Comma list of H200 shares (rest 810E).")
    ] = "0.25",
    scale: Annotated[str, typer.Option(help="tiny | small | city.")] = "tiny",
    seed: Annotated[int, typer.Option(help="Seed shared by every run.")] = 42,
    ray_address: Annotated[
        str | None,
        typer.Option(help="Address of a Ray cluster (default: LANTERN_RAY_ADDRESS, else local)."),
    ] = None,
    num_cpus: Annotated[
        int, typer.Option(min=1, help="CPUs of the local Ray (without --ray-address).")
    ] = 2,
    out: Annotated[Path, typer.Option(help="Directory for the table and plot.")] = Path(
        "lantern-sweep"
    ),
    as_json: Annotated[
        bool, typer.Option("--json", help="Last stdout line: the rows as JSON.")
    ] = False,
) -> None:
    """Run the drill over a grid of budget variants, fleet sizes and chip mixes on Ray."""
    from lantern.cli._paths import output_dir
    from lantern.drill import DrillConfig, DrillInputError, SweepGrid, run_sweep, write_sweep

    try:
        van_counts: list[int | None] = [int(v) for v in _split(vans)] or [None]
        shares = [float(s) for s in _split(h200_shares)] or [0.25]
    except ValueError as exc:
        msg = f"--vans and --h200-shares take comma lists of numbers: {exc}"
        raise DrillInputError(msg) from exc
    names: list[str | None] = [None if v == "base" else v for v in _split(variants)] or [None]
    if ray_address is None:
        from lantern.settings import get_settings

        ray_address = get_settings().ray_address  # LANTERN_RAY_ADDRESS
    base = DrillConfig.build(scale=scale, scenario=scenario, seed=seed)
    grid = SweepGrid(names, van_counts, shares)
    configs = grid.configs(base)
    _check_scenarios(configs)
    output_dir(out)
    count = len(configs)
    _err.print(f"sweep: {count} runs on Ray ({ray_address or f'local, {num_cpus} CPUs'})")
    rows = run_sweep(
        base, grid, ray_address=ray_address, num_cpus=num_cpus,
        on_done=lambda s: _err.print(f"  done: {s['variant'] or 'base'} {s['vans']} vans "
                                     f"H200 {s['h200_share']}: on time {s['on_time_pct']}%"),
    )  # fmt: skip
    paths = write_sweep(rows, out)
    if as_json:
        typer.echo(json.dumps({"runs": rows, **{k: str(p) for k, p in paths.items()}}))
    else:
        _out.print(paths["md"].read_text(encoding="utf-8"))
        _out.print(f"table: {paths['csv']}  plot: {paths['png']}")
