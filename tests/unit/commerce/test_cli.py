"""`lantern commerce` commands: generate, search and bench end with one JSON line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from lantern.cli import app


def _last_json(output: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return data


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
    assert 0 < float(figures["latency_ms_p50"]) <= float(figures["latency_ms_p99"])


def test_search_refuses_out_of_range_filters() -> None:
    """--limit < 1 and a party of 0 are usage errors (exit 2)."""
    runner = CliRunner()
    for args in (
        ["--limit", "-3"],
        ["--limit", "0"],
        ["--party-size", "0"],
    ):
        result = runner.invoke(app, ["commerce", "search", "tea", *args])
        assert result.exit_code == 2, (args, result.output)


def test_search_names_a_nan_or_negative_price_cap() -> None:
    """A NaN or negative --max-price-yuan is refused with one message that says what a price
    cap must be and echoes the value (not Typer's ">= 0" box, which reads oddly for NaN)."""
    from lantern.errors import InvalidInput

    runner = CliRunner()
    for value, shown in (("nan", "nan"), ("-5", "-5.0")):
        result = runner.invoke(app, ["commerce", "search", "tea", "--max-price-yuan", value])
        assert isinstance(result.exception, InvalidInput), result.output
        assert f"max price must be a number >= 0, got {shown}" in str(result.exception)


def test_search_takes_full_width_text_spaced_landmarks_and_any_case_category() -> None:
    """The CLI search finds milk tea for full-width ｍｉｌｋ ｔｅａ, resolves "west  lake" (two
    spaces) and accepts --category Gastronomy (capitalised)."""
    result = CliRunner().invoke(
        app,
        [
            "commerce",
            "search",
            "ｍｉｌｋ ｔｅａ",
            "--near",
            "west  lake",
            "--category",
            "Gastronomy",
            "--limit",
            "3",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    offers = json.loads(result.output.strip().splitlines()[-1])["offers"]
    assert offers
    assert all(o["distance_km"] <= 4.0 for o in offers)


def test_search_names_an_unknown_landmark_and_an_infinite_cap() -> None:
    """--near must be a known landmark and --max-price-yuan finite: clear errors, not a crash."""
    from lantern.commerce.errors import UnknownLandmark
    from lantern.errors import InvalidInput

    runner = CliRunner()
    result = runner.invoke(app, ["commerce", "search", "tea", "--near", "Atlantis"])
    assert isinstance(result.exception, UnknownLandmark)
    assert "'Atlantis' names no known landmark" in str(result.exception)
    assert "west lake" in str(result.exception)
    result = runner.invoke(app, ["commerce", "search", "tea", "--max-price-yuan", "inf"])
    assert isinstance(result.exception, InvalidInput)
    assert "--max-price-yuan" in str(result.exception)


def test_generate_refuses_a_directory_as_out(tmp_path: Path) -> None:
    """generate --out DIR is an InvalidInput raised before generating; nothing is written."""
    from lantern.errors import InvalidInput

    result = CliRunner().invoke(app, ["commerce", "generate", "--out", str(tmp_path)])
    assert isinstance(result.exception, InvalidInput)
    assert "is a directory" in str(result.exception)
    assert list(tmp_path.iterdir()) == []
