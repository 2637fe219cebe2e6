"""`lantern`'s main(): a LanternError is one line on stderr and exit code 2."""

from __future__ import annotations

import sys

import pytest

from lantern.cli.app import main


def test_error_is_one_unwrapped_line_and_not_markup(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A long message with Rich-like tags ('[/bold]') prints verbatim on one line, exit 2."""
    bad = "[/bold] [red]" + "x" * 120
    monkeypatch.setattr(sys, "argv", ["lantern", "chat", "--lang", bad, "-m", "hi"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"error [INVALID_INPUT] --lang must be de, en or zh, got '{bad}'" in err
