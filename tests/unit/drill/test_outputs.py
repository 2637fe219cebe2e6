"""The drill's output files appear whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.drill._report import write_text_atomic


def test_a_failed_write_leaves_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_text_atomic writes beside the target: a failure leaves the old content."""
    target = tmp_path / "out" / "summary.json"
    assert write_text_atomic(target, "old") == target
    assert target.read_text(encoding="utf-8") == "old"

    def broken(self: Path, text: str, encoding: str | None = None) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", broken)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(target, "new")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old"
