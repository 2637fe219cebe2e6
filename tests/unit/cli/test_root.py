"""The root `lantern` command."""

from __future__ import annotations

from typer.testing import CliRunner

from lantern import __version__
from lantern.cli import app


def test_version() -> None:
    """`lantern --version` prints the package version."""
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output
