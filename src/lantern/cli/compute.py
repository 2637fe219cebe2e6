"""`lantern compute`: commands of the compute engine."""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(help="The compute engine.", no_args_is_help=True)
