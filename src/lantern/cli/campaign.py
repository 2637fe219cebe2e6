"""`lantern campaign`: commands of the campaign engine."""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(help="The campaign engine.", no_args_is_help=True)
