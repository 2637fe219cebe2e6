"""`lantern drill` and `lantern serve` at the command line: help and refused input."""

from __future__ import annotations

from pathlib import Path

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


def test_bad_variant_and_out_are_refused_before_the_drill(tmp_path: Path) -> None:
    """An unknown variant, or --out naming a file, fails before any drill or Ray start."""
    from lantern.campaign import InvalidScenario
    from lantern.errors import InvalidInput

    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    runner = CliRunner()
    for command in ("run", "sweep"):
        flag = "--variant" if command == "run" else "--variants"
        result = runner.invoke(app, ["drill", command, flag, "nope", "--out", str(tmp_path / "o")])
        assert isinstance(result.exception, InvalidScenario), result.output
        assert not (tmp_path / "o").exists()
        result = runner.invoke(app, ["drill", command, "--out", str(blocker)])
        assert isinstance(result.exception, InvalidInput), result.output
        assert "is a file, not a directory" in str(result.exception)


def test_sweep_needs_at_least_one_cpu() -> None:
    """--num-cpus 0 is a usage error (a local Ray with no CPU would wait forever)."""
    result = CliRunner().invoke(app, ["drill", "sweep", "--num-cpus", "0"])
    assert result.exit_code == 2
    assert "--num-cpus" in result.output


def test_serve_keeps_a_campaign_loaded_from_an_earlier_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database holding the campaign from another version (or scale, as `lantern chat`
    loads it) of the scenario is served as loaded, with a note, instead of refusing to
    start (what `lantern serve` did after a first `lantern chat`)."""
    import json

    from lantern.campaign import CampaignEngine, load_scenario
    from lantern.cli.serve import _load_campaign

    url = f"sqlite:///{tmp_path / 'lantern.db'}"
    doc = json.loads(load_scenario("spring-festival-2026").model_dump_json())
    doc["title"] = "an earlier version"
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps(doc), encoding="utf-8")
    _load_campaign(url, str(earlier))
    _load_campaign(url, "spring-festival-2026")
    assert "at another scale or from another version" in capsys.readouterr().err
    with CampaignEngine.open(url) as engine:
        assert engine.scenario("spring-festival-2026").title == "an earlier version"


def test_serve_checks_its_drill_options_before_serving(tmp_path: Path) -> None:
    """A bad --drill-scale or replay file fails at once, not later in the background thread."""
    from lantern.drill import ReplayFileError

    runner = CliRunner()
    result = runner.invoke(app, ["serve", "--campaign", "", "--drill-scale", "huge"])
    assert isinstance(result.exception, DrillInputError)
    bad = tmp_path / "replay.json"
    bad.write_bytes(b"\xff\xfe not text")
    result = runner.invoke(app, ["serve", "--campaign", "", "--replay", str(bad)])
    assert isinstance(result.exception, ReplayFileError)
    assert "replay.json" in str(result.exception)


def test_serve_on_a_taken_port_is_a_clear_error() -> None:
    """A port another process listens on is an InvalidInput before anything starts."""
    import socket

    from lantern.errors import InvalidInput

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--campaign", "", "--port", str(port)])
    assert isinstance(result.exception, InvalidInput), result.output
    assert f"cannot listen on 127.0.0.1:{port}" in str(result.exception)
