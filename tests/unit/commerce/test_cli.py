"""`lantern commerce` commands: generate, search and bench end with one JSON line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lantern.cli import app


def _last_json(output: str) -> dict[str, object]:
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_generate_writes_a_loadable_catalogue(tmp_path: Path) -> None:
    """generate writes a catalogue the loader accepts and reports its size."""
    from lantern.commerce import Catalogue

    out = tmp_path / "cat.json.gz"
    result = CliRunner().invoke(
        app, ["commerce", "generate", "--out", str(out), "--seed", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert _last_json(result.output)["offers"] == len(Catalogue.load(out))


def test_search_filters_from_the_command_line() -> None:
    """search honours the price cap and the landmark, in Chinese."""
    result = CliRunner().invoke(
        app, ["commerce", "search", "奶茶", "--near", "西湖", "--max-price-yuan", "18", "--json"]
    )
    assert result.exit_code == 0, result.output
    offers = _last_json(result.output)["offers"]
    assert isinstance(offers, list)
    assert offers
    assert all(o["price_yuan"] <= 18 for o in offers)


def test_bench_reports_latency_figures() -> None:
    """bench prints the latency percentiles it measured."""
    result = CliRunner().invoke(app, ["commerce", "bench", "--queries", "50", "--json"])
    assert result.exit_code == 0, result.output
    figures = _last_json(result.output)
    assert figures["queries"] == 50
    assert 0 < float(figures["latency_ms_p50"]) <= float(figures["latency_ms_p99"])  # type: ignore[arg-type]
