"""`lantern api token` mints a working token; `serve` refuses an unknown server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lantern.api.auth import resolve_secrets
from lantern.cli.api import app
from lantern.settings import Settings, get_settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Settings read from a fresh data directory, without configured secrets."""
    monkeypatch.setenv("LANTERN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LANTERN_TOKEN_SECRET", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_token_verifies_for_the_user(data_dir: Path) -> None:
    """The printed token verifies, under the data dir's secret, to the named user."""
    result = CliRunner().invoke(app, ["token", "u000042", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output.strip().splitlines()[-1])
    signer = resolve_secrets(Settings(data_dir=data_dir)).signer()
    assert signer.verify(printed["token"]) == "u000042"


def test_serve_refuses_unknown_server(data_dir: Path) -> None:
    """An unknown --server is an InvalidInput naming the choices, before anything starts."""
    result = CliRunner().invoke(app, ["serve", "--server", "hypercorn"])
    assert result.exit_code != 0
    assert "granian" in str(result.exception)
