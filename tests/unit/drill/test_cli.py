"""`lantern drill` and `lantern serve` at the command line: help and refused input."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from lantern.assistant import LLMNotConfigured
from lantern.cli import app
from lantern.drill import DrillInputError
from lantern.settings import get_settings


def test_help_lists_the_commands() -> None:
    """`lantern drill --help` names run and sweep; `lantern serve --help` its replay option."""
    runner = CliRunner()
    drill = runner.invoke(app, ["drill", "--help"])
    assert drill.exit_code == 0
    assert "run" in drill.output
    assert "sweep" in drill.output
    serve = runner.invoke(app, ["serve", "--help"])
    assert serve.exit_code == 0
    assert "--replay" in serve.output


def test_unknown_scale_is_refused_before_anything_runs() -> None:
    """A bad --scale raises DrillInputError naming the scales (main() prints it, exit 2)."""
    result = CliRunner().invoke(app, ["drill", "run", "--scale", "huge"])
    assert isinstance(result.exception, DrillInputError)
    assert "tiny, small, city" in str(result.exception)


def test_llm_without_an_endpoint_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """--llm without LANTERN_LLM_BASE_URL/MODEL raises LLMNotConfigured."""
    monkeypatch.delenv("LANTERN_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("LANTERN_LLM_MODEL", raising=False)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["drill", "run", "--llm"])
    finally:
        get_settings.cache_clear()
    assert isinstance(result.exception, LLMNotConfigured)


def test_sweep_refuses_a_malformed_grid() -> None:
    """--vans takes a comma list of numbers."""
    result = CliRunner().invoke(app, ["drill", "sweep", "--vans", "ten"])
    assert isinstance(result.exception, DrillInputError)
    assert "comma lists of numbers" in str(result.exception)
