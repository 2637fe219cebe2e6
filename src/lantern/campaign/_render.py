"""Rich tables for the CLI: spend vs plan, campaign status, audit report."""

from __future__ import annotations

from rich.table import Table

from lantern.campaign._types import AuditReport, CampaignStatus
from lantern.money import format_yuan

__all__ = ["audit_table", "spend_table", "status_table"]


def spend_table(status: CampaignStatus) -> Table:
    """One row per day; per pool: spent / effective plan (yuan), marked when at the plan."""
    pools = [p.pool for p in status.pools]
    table = Table(title=f"{status.campaign_id}: spend per day and pool vs plan (yuan)")
    table.add_column("day")
    for pool in pools:
        table.add_column(pool, justify="right")
    by_day: dict[str, dict[str, str]] = {}
    for d in status.days:
        cell = f"{format_yuan(d.spent_fen)} / {format_yuan(d.effective_plan_fen)}"
        if d.spent_fen and d.spent_fen == d.effective_plan_fen:
            cell = f"[yellow]{cell}[/]"
        by_day.setdefault(d.day.isoformat(), {})[d.pool] = cell
    for day, cells in sorted(by_day.items()):
        table.add_row(day, *(cells.get(p, "") for p in pools))
    table.add_row(
        "[bold]total",
        *(
            f"[bold]{format_yuan(p.granted_fen)} / {format_yuan(p.budget_fen)}"
            for p in status.pools
        ),
    )
    return table


def status_table(status: CampaignStatus) -> Table:
    table = Table(
        title=f"{status.campaign_id}: {status.title} "
        f"({status.state}{', FROZEN' if status.frozen else ''})"
    )
    table.add_column("account group")
    table.add_column("yuan", justify="right")
    rows = [
        ("budget", status.budget_fen),
        ("remaining (unissued)", status.remaining_fen),
        ("reserved (wallets + vouchers)", status.outstanding_fen),
        ("settled (merchants)", status.settled_fen),
        ("expired", status.expired_fen),
    ]
    for name, fen in rows:
        table.add_row(name, format_yuan(fen))
    for pool in status.pools:
        table.add_row(
            f"pool {pool.pool}: granted / plan to date",
            f"{format_yuan(pool.granted_fen)} / {format_yuan(pool.plan_to_date_fen)}",
        )
    table.add_row("grants", f"{status.grants:,}")
    return table


def audit_table(report: AuditReport) -> Table:
    verdict = "[green]PASSED" if report.passed else "[red]FAILED"
    table = Table(title=f"audit of {report.campaign_id}: {verdict}")
    table.add_column("check")
    table.add_column("result")
    table.add_column("details")
    for check in report.checks:
        table.add_row(check.name, "[green]pass" if check.passed else "[red]FAIL", check.details)
    return table
