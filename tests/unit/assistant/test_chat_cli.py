"""`lantern chat --message ...`: a scripted conversation through the real CLI, offline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from typer.testing import CliRunner

from lantern.cli import app
from lantern.settings import get_settings


@pytest.fixture
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("LANTERN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LANTERN_DATABASE_URL", f"sqlite:///{tmp_path / 'lantern.db'}")
    monkeypatch.delenv("LANTERN_LLM_BASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()
    structlog.reset_defaults()


def test_scripted_chat_orders_with_the_red_envelope(isolated_settings: Path) -> None:
    """Claim, search, choose, confirm and track in German through `lantern chat`; the JSON
    line lists each turn's tools and the order is paid by the red envelope."""
    messages = [
        "Hol meinen roten Umschlag ab",
        "Milchtee am Westsee",
        "das erste bitte",
        "ja",
        "Wo ist meine Bestellung?",
    ]
    args = ["chat", "--user", "dora", "--at", "2026-02-06T12:00", "--json"]
    for text in messages:
        args += ["-m", text]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    turns = json.loads(result.output.strip().splitlines()[-1])["turns"]
    tools = [[tool["name"] for tool in turn["tools"]] for turn in turns]
    assert tools == [
        ["claim_red_envelope"],
        ["search_offers"],
        ["place_order"],
        ["place_order"],
        ["track_order"],
    ]
    ordered = turns[3]["tools"][0]["result"]
    assert ordered["state"] == "handed_to_delivery"
    assert ordered["voucher_yuan"] == ordered["total_yuan"]
    assert "Bestellung" in turns[4]["reply"]


def test_bad_options_are_clear_errors(isolated_settings: Path) -> None:
    """An unknown language, a malformed --at or an invalid --user is an InvalidInput naming
    the option, raised before any turn runs."""
    from lantern.errors import InvalidInput

    runner = CliRunner()
    for args in (
        ["chat", "--lang", "fr", "-m", "hi"],
        ["chat", "--at", "yesterday", "-m", "hi"],
        ["chat", "--user", "", "-m", "hi"],
        ["chat", "--user", "x" * 129, "-m", "hi"],
    ):
        result = runner.invoke(app, args)
        assert isinstance(result.exception, InvalidInput), result.output
        assert args[1] in str(result.exception)


def test_repl_reads_lines_until_exit(isolated_settings: Path) -> None:
    """Without --message the chat is a REPL: it answers each line and stops at 'exit'."""
    result = CliRunner().invoke(
        app,
        ["chat", "--user", "rita", "--at", "2026-02-06T12:00"],
        input="claim my red envelope\nexit\nthis line is never read\n",
    )
    assert result.exit_code == 0, result.output
    assert "voucher" in result.output
    assert "never read" not in result.output
