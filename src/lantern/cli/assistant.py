"""`lantern assistant` and `lantern chat`: the assistant's commands."""

from __future__ import annotations

import typer

__all__ = ["app", "register_chat"]

app = typer.Typer(help="The assistant: evaluation and tools.", no_args_is_help=True)


def register_chat(root: typer.Typer) -> None:
    """Add the top-level `lantern chat` command to the root app."""
