"""`lantern commerce`: the catalogue generator, search, and the search benchmark."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(help="Commerce: the Hangzhou catalogue, search and orders.", no_args_is_help=True)


@app.command("generate")
def generate(
    out: Annotated[Path, typer.Option("--out", help="Where to write the catalogue (.json.gz).")],
    seed: int = typer.Option(
        2026, "--seed", min=0, help="Random seed (2026 made the shipped one)."
    ),
    roads: Annotated[
        Path | None,
        typer.Option(
            "--roads",
            help="The fleet's road network (GraphML), e.g. "
            "../shared/data/roads/hangzhou/hangzhou_cnbg_scc.graphml; delivering shops get "
            "their nearest intersection.",
        ),
    ] = None,
    as_json: bool = typer.Option(False, "--json", help="End with one JSON line."),
) -> None:
    """Generate a seeded catalogue (the shipped one: --seed 2026 --roads <hangzhou graphml>)."""
    from lantern.cli._commerce_run import run_generate

    run_generate(out, seed, roads, as_json=as_json)


@app.command("search")
def search(
    text: str = typer.Argument("", help="What to look for, in any language."),
    category: str | None = typer.Option(
        None, help="gastronomy | entertainment | leisure (any case)."
    ),
    max_price_yuan: float | None = typer.Option(
        None, "--max-price-yuan", help="Price cap per offer, in yuan (a number >= 0)."
    ),
    party_size: int | None = typer.Option(None, "--party-size", min=1, help="People in the party."),
    near: str | None = typer.Option(None, help="A landmark, e.g. 'West Lake' or 西湖."),
    red_envelope: bool = typer.Option(False, "--red-envelope", help="Only campaign shops."),
    at: str | None = typer.Option(None, "--at", help="Open at this ISO time."),
    limit: int = typer.Option(10, "--limit", min=1, max=1000, help="Offers to show at most."),
    as_json: bool = typer.Option(False, "--json", help="End with one JSON line."),
) -> None:
    """Search the shipped catalogue and print the ranked offers."""
    from lantern.cli._commerce_run import run_search

    run_search(
        text, category, max_price_yuan, party_size, near, red_envelope, at, limit, as_json=as_json
    )


@app.command("bench")
def bench(
    queries: int = typer.Option(2000, "--queries", min=1, help="Random queries to time."),
    seed: int = typer.Option(7, "--seed", min=0, help="Seed of the random queries."),
    as_json: bool = typer.Option(False, "--json", help="End with one JSON line of figures."),
) -> None:
    """Time search over the shipped catalogue: random text, filters and landmarks."""
    from lantern.cli._commerce_run import run_bench

    run_bench(queries, seed, as_json=as_json)
