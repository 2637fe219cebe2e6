"""The ``lantern`` command: one Typer app with a group per engine."""

from lantern.cli.app import app, main

__all__ = ["app", "main"]
