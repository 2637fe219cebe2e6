"""Money parsing and formatting: integer fen, never float."""

from __future__ import annotations

import pytest

from lantern.errors import InvalidInput
from lantern.money import format_yuan, parse_yuan


@pytest.mark.parametrize(
    ("text", "fen"), [("12.34", 1234), ("0.01", 1), (5, 500), ("2888", 288800), ("-1.5", -150)]
)
def test_parse_yuan_to_whole_fen(text: str | int, fen: int) -> None:
    """Yuan amounts given as text or int become exact integer fen."""
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["0.001", "abc", "NaN", "inf", ""])
def test_parse_yuan_rejects_fractions_of_fen_and_garbage(text: str) -> None:
    """A fraction of a fen or a non-number is refused with a clear error."""
    with pytest.raises(InvalidInput):
        parse_yuan(text)


def test_format_yuan() -> None:
    """Fen print as yuan with separators and two decimals."""
    assert format_yuan(123456789) == "1,234,567.89"
    assert format_yuan(-5) == "-0.05"
