"""Money is integer fen (1 yuan = 100 fen), never float.

Parsing and formatting live here so every engine and edge agree on them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from lantern.errors import InvalidInput

__all__ = ["FEN_PER_YUAN", "fen_from_yuan", "format_yuan", "parse_yuan"]

FEN_PER_YUAN = 100


def fen_from_yuan(yuan: int) -> int:
    """Whole yuan to fen."""
    return yuan * FEN_PER_YUAN


def parse_yuan(text: str | int) -> int:
    """Parse a yuan amount ("12.34", "1000", 5) into fen; rejects fractions of a fen."""
    try:
        amount = Decimal(str(text).strip())
    except InvalidOperation as exc:
        raise InvalidInput(f"not an amount of yuan: {text!r}") from exc
    if not amount.is_finite():
        raise InvalidInput(f"not an amount of yuan: {text!r}")
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise InvalidInput(f"{text!r} yuan is not a whole number of fen")
    return int(fen)


def format_yuan(fen: int) -> str:
    """Format fen as yuan with two decimals and thousands separators: 123456 -> '1,234.56'."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole:,}.{part:02d}"
