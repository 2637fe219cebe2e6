"""`lantern drill`: commands of the drill engine."""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(help="The drill engine.", no_args_is_help=True)
