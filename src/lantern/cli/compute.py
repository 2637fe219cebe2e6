"""`lantern compute`: replay, compare, bench and simulate on the accelerator cluster."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

if TYPE_CHECKING:
    from lantern.compute import Cluster, PodTable

__all__ = ["app"]

app = typer.Typer(
    help="The compute engine: fragmentation-aware placement on a multi-tenant GPU cloud.",
    no_args_is_help=True,
)
_out = Console(soft_wrap=True)  # one result line stays one line
_err = Console(stderr=True)

_NODES = typer.Option(None, "--nodes", help="Node list CSV (default: the shipped trace).")
_PODS = typer.Option(None, "--pods", help="Pod list CSV (default: the shipped default trace).")
_SEEDS = typer.Option("42,43,44,45,46,47,48,49,50,51", "--seeds", help="Comma-separated seeds.")
_INFLATE = typer.Option(1.3, "--inflate", help="Arrived GPU load to reach, x capacity.")
_RNG = typer.Option(
    "numpy",
    "--rng",
    help="Random streams: 'numpy' (default) or 'go', the FGD paper's simulator's own Go "
    "math/rand draws (task shuffle, inflation, node tie order), which reproduce its "
    "published per-seed figures; Random's per-placement picks stay numpy in both.",
)
_JSON = typer.Option(False, "--json", help="Print one JSON object as the last line.")
_OUT = typer.Option(Path("compute-compare"), "--out", help="Folder for the PNG.")
_DATA = typer.Option(..., "--data", help="Folder with every trace variant's CSVs.")
_TRACES = typer.Option(
    "default,cpu050,cpu100,cpu200,gpushare40,gpushare60,multigpu20,multigpu30,gpuspec10,gpuspec20",
    "--traces",
    help="Comma-separated trace variants (files openb_pod_list_<variant>.csv).",
)
_SPEC = typer.Option(
    "64x8 zhenwu-810e + 16x8 h200",
    "--spec",
    help="Cluster: '<nodes>x<gpus per node> <model>' terms joined by '+' (ignored with --nodes).",
)
_MAX_TENANTS = 1_000  # each scheduling pass orders all tenants; 10,000 takes about a minute
_SIM_NODES = typer.Option(None, "--nodes", help="Node list CSV instead of --spec.")
_SIM_PODS = typer.Option(
    None, "--pods", help="Replay a pod list's creation/deletion times (else synthetic)."
)


_GO_SEED_MAX = 2**63 - 1  # Go's rand.Seed takes an int64


def _seeds(text: str, rng: str = "numpy") -> list[int]:
    from lantern.compute.errors import WorkloadError

    try:
        seeds = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise WorkloadError(f"--seeds {text!r}: give comma-separated integers") from None
    if not seeds or min(seeds) < 0:
        raise WorkloadError("--seeds: give at least one seed, none negative")
    if rng == "go" and max(seeds) > _GO_SEED_MAX:
        raise WorkloadError(
            f"--seeds: {max(seeds)} is outside Go's int64 seed range; with --rng go each "
            f"seed must be in 0..{_GO_SEED_MAX}"
        )
    if len(set(seeds)) != len(seeds):
        raise WorkloadError(f"--seeds {text!r}: a seed is repeated; give each seed once")
    return seeds


def _inflate(value: float) -> float:
    from lantern.compute.errors import WorkloadError

    if not 0 < value <= 10:
        raise WorkloadError(f"--inflate {value}: give the arrived load as a multiple in (0, 10]")
    return value


def _rng(name: str) -> str:
    from lantern.compute._streams import streams_for

    streams_for(name)  # WorkloadError naming the choices
    return name


def _print_whole(console: Console, table: Table) -> None:
    """Print ``table`` at its natural width, wider than the console if need be.

    A piped console is 80 columns; squeezed into it, a ten-column table truncates its figures.
    """
    width = Measurement.get(console, console.options.update_width(1_000), table).maximum
    if width > console.width:
        console = Console(stderr=console.stderr, width=width)
    console.print(table)


def _load(nodes: Path | None, pods: Path | None) -> tuple[Cluster, PodTable]:
    from lantern.compute import (
        Cluster,
        default_nodes_path,
        default_pods_path,
        read_nodes,
        read_pods,
    )

    cluster = Cluster.from_nodes(read_nodes(nodes or default_nodes_path()))
    return cluster, read_pods(pods or default_pods_path())


@app.command()
def replay(
    nodes: Path | None = _NODES,
    pods: Path | None = _PODS,
    policy: str = typer.Option(
        "FGD", "--policy", help="Random, DotProd, GpuClustering, GpuPacking, BestFit or FGD."
    ),
    seeds: str = _SEEDS,
    inflate: float = _INFLATE,
    rng: str = _RNG,
    as_json: bool = _JSON,
) -> None:
    """Replay a trace with one policy (the FGD paper's protocol): unallocated GPU at 130%."""
    from lantern.compute import make_policy, replay_seeds

    make_policy(policy)  # fail fast on a bad name
    from lantern.compute import default_nodes_path

    rng = _rng(rng)
    cluster, table = _load(nodes, pods)
    summary = replay_seeds(cluster, table, policy, _seeds(seeds, rng), _inflate(inflate), rng=rng)
    nodes_file = str(nodes or default_nodes_path())
    result = summary.as_dict() | {
        "trace": table.source,
        "nodes": nodes_file,
        "inflate": inflate,
        "rng": rng,
    }
    if as_json:
        typer.echo(json.dumps(result))
        return
    _out.print(
        f"{summary.policy}: unallocated GPU {summary.mean:.2f}% ± {summary.std:.2f} "
        f"over {len(summary.runs)} seeds at {inflate:.0%} arrived; "
        f"{summary.pods_per_s:,.0f} placements/s"
    )


@app.command()
def compare(
    nodes: Path | None = _NODES,
    pods: Path | None = _PODS,
    seeds: str = _SEEDS,
    inflate: float = _INFLATE,
    out: Path = _OUT,
    rng: str = _RNG,
    as_json: bool = _JSON,
) -> None:
    """Every policy on one trace: a table and a PNG of unallocated and fragmented GPU."""
    from lantern.cli._paths import output_dir
    from lantern.compute import POLICY_NAMES, replay_seeds
    from lantern.compute._plot import plot_compare

    rng = _rng(rng)
    cluster, table = _load(nodes, pods)
    seed_list = _seeds(seeds, rng)
    inflate = _inflate(inflate)
    output_dir(out)  # after the inputs are known good (no empty folder left), before replays
    summaries = []
    for name in POLICY_NAMES:
        _err.print(f"[dim]replaying {name} x {len(seed_list)} seeds[/]")
        summaries.append(
            replay_seeds(
                cluster, table, name, seed_list, inflate, record_fragmentation=True, rng=rng
            )
        )
    png = plot_compare(summaries, out / "unallocated_vs_arrived.png", inflate)
    grid = Table(title=f"Unallocated GPU at {inflate:.0%} arrived ({Path(table.source).name})")
    for col in ("policy", "mean %", "std", "fragmented % at end", "placements/s"):
        grid.add_column(col, justify="right" if col != "policy" else "left")
    for s in summaries:
        frag = sum(float(r.fragmented_pct[-1]) for r in s.runs if r.fragmented_pct is not None)
        grid.add_row(
            s.policy,
            f"{s.mean:.2f}",
            f"{s.std:.2f}",
            f"{frag / len(s.runs):.2f}",
            f"{s.pods_per_s:,.0f}",
        )
    _print_whole(_err if as_json else _out, grid)
    if as_json:
        typer.echo(json.dumps({"png": str(png), "policies": [s.as_dict() for s in summaries]}))
    else:
        _out.print(f"figure: {png}")


@app.command()
def bench(
    data: Path = _DATA,
    traces: str = _TRACES,
    seeds: str = _SEEDS,
    inflate: float = _INFLATE,
    rng: str = _RNG,
    as_json: bool = _JSON,
) -> None:
    """Every trace variant x every policy against the paper's published figures."""
    from lantern.compute import run_bench

    rng = _rng(rng)
    rows = run_bench(
        data,
        _seeds(seeds, rng),
        traces=[t.strip() for t in traces.split(",") if t.strip()],
        inflate=_inflate(inflate),
        progress=lambda t, p: _err.print(f"[dim]{t} {p}[/]"),
        rng=rng,
    )
    grid = Table(
        title=f"Unallocated GPU (%) at 130% arrived: measured ({rng} streams) vs published"
    )
    for col in ("trace", "policy", "measured", "std", "published", "delta pp", "ok", "pods/s"):
        grid.add_column(col)
    for r in rows:
        grid.add_row(
            r.trace,
            r.policy,
            f"{r.measured_pct:.2f}",
            f"{r.std_pct:.2f}",
            f"{r.published_pct:.2f}",
            f"{r.delta_pp:+.2f}",
            "yes" if r.within_margin else "NO",
            f"{r.pods_per_s:,.0f}",
        )
    _print_whole(_err if as_json else _out, grid)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "rows": [
                        {
                            "trace": r.trace,
                            "policy": r.policy,
                            "measured_pct": round(r.measured_pct, 3),
                            "std_pct": round(r.std_pct, 3),
                            "published_pct": r.published_pct,
                            "delta_pp": round(r.delta_pp, 3),
                            "within_margin": r.within_margin,
                            "pods_per_s": round(r.pods_per_s, 1),
                        }
                        for r in rows
                    ],
                    "all_within_margin": all(r.within_margin for r in rows),
                    "rng": rng,
                }
            )
        )


@app.command()
def simulate(
    spec: str = _SPEC,
    nodes: Path | None = _SIM_NODES,
    pods: Path | None = _SIM_PODS,
    policy: str = typer.Option(
        "FGD", "--policy", help="Random, DotProd, GpuClustering, GpuPacking, BestFit or FGD."
    ),
    hours: float = typer.Option(24.0, "--hours", help="Simulated hours."),
    tenants: int = typer.Option(4, "--tenants", help="Synthetic tenants of a --pods trace."),
    seed: int = typer.Option(0, "--seed", help="Seed of the synthetic workload and ties."),
    reference_model: str | None = typer.Option(
        None,
        "--reference-model",
        help="Synthetic training durations are on this accelerator and scale with the "
        "dense throughput of the ones the gangs land on (e.g. zhenwu-810e); default: the "
        "same everywhere.",
    ),
    as_json: bool = _JSON,
) -> None:
    """Time mode: arrivals, durations, quotas and preemption; metrics per tenant."""
    from lantern.compute import (
        Cluster,
        ClusterSimulator,
        read_nodes,
        read_pods,
        synthetic_workload,
        trace_workload,
    )
    from lantern.compute.errors import WorkloadError

    if not 0 < hours <= 24 * 366:  # NaN fails this too
        raise WorkloadError(f"--hours must be in (0, 8784], got {hours:g}")
    if not 1 <= tenants <= _MAX_TENANTS:
        raise WorkloadError(f"--tenants must be in 1..{_MAX_TENANTS:,}, got {tenants}")
    if seed < 0:
        raise WorkloadError(f"--seed must be >= 0, got {seed}")
    cluster = Cluster.from_nodes(read_nodes(nodes)) if nodes else Cluster.from_spec(spec)
    if pods is not None:
        if reference_model is not None:
            raise WorkloadError(
                "--reference-model scales the synthetic workload's durations; a --pods "
                "trace's durations were measured on its own GPUs: drop one of the two"
            )
        tenant_list, jobs = trace_workload(read_pods(pods), tenants)
    else:
        tenant_list, jobs = synthetic_workload(
            cluster, hours, seed, reference_model=reference_model
        )
    sim = ClusterSimulator(cluster, policy, tenant_list, seed)
    horizon = hours * 3600.0
    for at, job in jobs:
        if at < horizon:
            sim.submit(job, at_s=at)
    sim.step(horizon)
    metrics = sim.metrics()
    grid = Table(
        title=f"{metrics.policy}: {hours:g} h, GPU utilisation {metrics.gpu_utilisation:.1%}"
    )

    def f(v: float | None, fmt: str) -> str:
        return "-" if v is None else format(v, fmt)

    header = ("tenant", "done/sub", "pending", "preempted", "delay mean s", "delay p95 s",
              "GPU h", "share", "quota use", "SLO")  # fmt: skip
    rows = [
        (
            m.tenant,
            f"{m.completed}/{m.submitted}",
            str(m.pending),
            str(m.preemptions),
            f(m.queue_delay_s_mean, ",.0f"),
            f(m.queue_delay_s_p95, ",.0f"),
            f(m.gpu_hours, ",.0f"),
            f(m.cluster_share, ".1%"),
            f(m.quota_use, ".2f"),
            f(m.slo_attainment, ".1%"),
        )
        for m in metrics.tenants.values()
    ]
    for k, col in enumerate(header):
        grid.add_column(col, justify="left" if k == 0 else "right", no_wrap=k == 0)
    for row in rows:
        grid.add_row(*row)
    _print_whole(_err if as_json else _out, grid)
    if as_json:
        typer.echo(json.dumps(metrics.as_dict()))
