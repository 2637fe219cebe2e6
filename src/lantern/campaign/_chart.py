"""PNG chart of spend against plan, per pool and day (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

from lantern.campaign._types import CampaignStatus

__all__ = ["spend_chart"]


def spend_chart(status: CampaignStatus, path: Path) -> Path:
    """Bars: spend per day; step lines: the day's plan and its effective plan (with the
    unspent plan of earlier days rolled forward). One panel per pool, in yuan."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pools = [p.pool for p in status.pools]
    cols = 2
    rows = (len(pools) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(12, 3.6 * rows), squeeze=False)
    for ax, pool in zip(axes.flat, pools, strict=False):
        days = [d for d in status.days if d.pool == pool]
        x = list(range(len(days)))
        ax.bar(x, [d.spent_fen / 100 for d in days], color="#c0392b", label="spent")
        ax.step(x, [d.plan_fen / 100 for d in days], where="mid", color="#2c3e50", label="plan")
        ax.step(
            x,
            [d.effective_plan_fen / 100 for d in days],
            where="mid",
            color="#f39c12",
            linestyle="--",
            label="effective plan (rolled forward)",
        )
        ax.set_title(f"pool {pool}")
        ax.set_xticks(x, [d.day.strftime("%d") for d in days], fontsize=7)
        ax.set_xlabel("February 2026 (Asia/Shanghai)")
        ax.set_ylabel("yuan")
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(pools) :]:
        ax.set_visible(False)
    fig.suptitle(f"{status.title}: spend vs plan")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
