"""`lantern campaign`: commands of the campaign engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

__all__ = ["app"]

app = typer.Typer(
    help="The campaign engine: red envelopes, vouchers, ledger, audit.", no_args_is_help=True
)
_out = Console()
_err = Console(stderr=True)

URL_HELP = "Database URL (default: LANTERN_DATABASE_URL, or a SQLite file in the data directory)."


def _url(url: str | None) -> str:
    from lantern.settings import get_settings

    return url or get_settings().database_url


def _emit_json(data: dict[str, Any]) -> None:
    typer.echo(json.dumps(data, default=str))


@app.command()
def load(
    scenario: str = typer.Argument(..., help="Built-in scenario name or a .toml/.json file."),
    variant: str | None = typer.Option(None, help="Variant of a built-in: tencent or baidu."),
    scale: float = typer.Option(1.0, help="Scale budgets and drop sizes by this factor."),
    replace: bool = typer.Option(False, help="Delete an existing campaign with the same id first."),
    url: str | None = typer.Option(None, help=URL_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the status as JSON."),
) -> None:
    """Load a scenario as a campaign (fund pools, split drops, store the pacing plan)."""
    from lantern.campaign import CampaignEngine, load_scenario
    from lantern.campaign._render import status_table

    with CampaignEngine.open(_url(url)) as engine:
        status = engine.load(load_scenario(scenario, variant, scale=scale), replace=replace)
    if as_json:
        _emit_json(status.to_dict())
    else:
        _out.print(status_table(status))


@app.command()
def replay(
    scenario: str = typer.Argument("spring-festival-2026", help="Built-in scenario or file."),
    variant: str | None = typer.Option(None, help="Variant: tencent or baidu."),
    users: int = typer.Option(10_000, help="Number of synthetic users."),
    seed: int = typer.Option(2026, help="Random seed of the synthetic users."),
    out: Annotated[
        Path | None, typer.Option(help="Folder for the PNG chart (default: data dir).")
    ] = None,
    url: str | None = typer.Option(None, help=URL_HELP),
    as_json: bool = typer.Option(False, "--json", help="Last stdout line: a JSON summary."),
) -> None:
    """Replay the campaign with synthetic users on a fake clock, then audit it."""
    from rich.progress import Progress

    from lantern.campaign._bench import freeze_startup_objects
    from lantern.campaign._builtin import load_scenario
    from lantern.campaign._chart import spend_chart
    from lantern.campaign._render import audit_table, spend_table
    from lantern.campaign._replay import replay as run_replay
    from lantern.settings import get_settings

    freeze_startup_objects()
    days = len(load_scenario(scenario, variant).calendar.days())  # bad files fail here, clearly

    with Progress(console=_err, transient=False) as progress:
        task = progress.add_task(f"replaying {scenario} with {users:,} users", total=days)
        result = run_replay(
            _url(url),
            scenario,
            variant,
            users=users,
            seed=seed,
            on_day=lambda day: progress.update(task, advance=1, description=f"{day}"),
        )
    folder = out or get_settings().data_dir / "campaign-replay"
    chart = spend_chart(result.status, folder / f"{result.campaign_id}.png")
    if as_json:
        _emit_json(
            {
                "campaign_id": result.campaign_id,
                "users": result.users,
                "seed": result.seed,
                "elapsed_s": round(result.elapsed_s, 2),
                "ops": dict(result.ops),
                "refusals": dict(result.refusals),
                "chart": str(chart),
                "granted_fen": {p.pool: p.granted_fen for p in result.status.pools},
                "budget_fen": result.status.budget_fen,
                "days": result.days,
                "warnings": result.warnings,
                "audit": result.audit.to_dict(),
            }
        )
    else:
        _out.print(spend_table(result.status))
        _out.print(f"operations: {dict(result.ops)}; refusals: {dict(result.refusals)}")
        _out.print(audit_table(result.audit))
        _out.print(f"chart: {chart}  ({result.elapsed_s:.1f} s)")
    for warning in result.warnings:
        _err.print(f"[yellow]warning:[/yellow] {warning}")
    if not result.audit.passed:
        raise typer.Exit(1)


@app.command()
def audit(
    campaign: str | None = typer.Option(None, help="Campaign id (default: every campaign)."),
    url: str | None = typer.Option(None, help=URL_HELP),
    as_json: bool = typer.Option(False, "--json", help="Last stdout line: the reports as JSON."),
) -> None:
    """Check every money invariant; exit 1 on any violation."""
    from lantern.campaign import CampaignEngine
    from lantern.campaign._render import audit_table

    with CampaignEngine.open(_url(url)) as engine:
        ids = [campaign] if campaign else engine.campaigns()
        reports = [engine.audit(cid) for cid in ids]
    if as_json:
        _emit_json(
            {"passed": all(r.passed for r in reports), "reports": [r.to_dict() for r in reports]}
        )
    else:
        if not reports:
            _out.print("no campaign is loaded")
        for report in reports:
            _out.print(audit_table(report))
    if not all(r.passed for r in reports):
        raise typer.Exit(1)


@app.command()
def status(
    campaign: str | None = typer.Option(None, help="Campaign id (default: every campaign)."),
    url: str | None = typer.Option(None, help=URL_HELP),
    as_json: bool = typer.Option(False, "--json", help="Last stdout line: the status as JSON."),
) -> None:
    """Budget, remaining, reserved, settled, expired, and spend per pool vs plan."""
    from lantern.campaign import CampaignEngine
    from lantern.campaign._render import spend_table, status_table

    with CampaignEngine.open(_url(url)) as engine:
        ids = [campaign] if campaign else engine.campaigns()
        states = [engine.status(cid) for cid in ids]
    if as_json:
        _emit_json({"campaigns": [s.to_dict() for s in states]})
        return
    if not states:
        _out.print("no campaign is loaded (lantern campaign load spring-festival-2026)")
    for state in states:
        _out.print(status_table(state))
        _out.print(spend_table(state))


@app.command()
def freeze(
    campaign: str = typer.Argument(..., help="Campaign id."),
    reason: str = typer.Option("", help="Why (shown in refusals)."),
    url: str | None = typer.Option(None, help=URL_HELP),
) -> None:
    """Stop grants, reservations and payments of a campaign."""
    from lantern.campaign import CampaignEngine

    with CampaignEngine.open(_url(url)) as engine:
        engine.freeze(campaign, reason=reason)
    _out.print(f"campaign {campaign} frozen")


@app.command()
def unfreeze(
    campaign: str = typer.Argument(..., help="Campaign id."),
    url: str | None = typer.Option(None, help=URL_HELP),
) -> None:
    """Let a frozen campaign grant and redeem again."""
    from lantern.campaign import CampaignEngine

    with CampaignEngine.open(_url(url)) as engine:
        engine.unfreeze(campaign)
    _out.print(f"campaign {campaign} unfrozen")


@app.command()
def bench(
    backend: str = typer.Option("sqlite", help="sqlite or postgresql."),
    claims: int = typer.Option(20_000, help="Claims per run."),
    http: bool = typer.Option(False, "--http", help="Also measure claims through the HTTP API."),
    url: str | None = typer.Option(None, help="PostgreSQL URL (default: LANTERN_DATABASE_URL)."),
    concurrency: int = typer.Option(256, help="Concurrent clients of the engine."),
    batch: int = typer.Option(100, help="Claims per commit (engine at most, raw exactly)."),
    repeats: int = typer.Option(5, help="Alternating raw/engine runs; medians are reported."),
    as_json: bool = typer.Option(False, "--json", help="Last stdout line: the figures as JSON."),
) -> None:
    """Engine claims vs the bare SQL claim, same batching and durability; HTTP optional."""
    from lantern.campaign._bench import run_bench

    pg_url = None
    if backend == "postgresql":
        pg_url = url or _url(None)
    result = run_bench(
        backend,
        claims,
        url=pg_url,
        concurrency=concurrency,
        batch_max=batch,
        http=http,
        repeats=repeats,
    )
    if as_json:
        _emit_json(result)
    else:
        for key, value in result.items():
            _out.print(f"{key:>24}: {value}")
