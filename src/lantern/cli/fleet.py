"""`lantern fleet`: commands of the fleet engine."""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(help="The fleet engine.", no_args_is_help=True)
