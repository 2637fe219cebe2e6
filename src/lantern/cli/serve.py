"""`lantern serve`: the platform API and dashboard."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(root: typer.Typer) -> None:
    """Add the top-level `lantern serve` command to the root app."""
