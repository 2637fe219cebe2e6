"""Root of the ``lantern`` command.

Each engine's group lives in its own module here (``lantern.cli.campaign`` ...). Group modules
keep their top-level imports light (typer, rich) and import their engine inside each
command, so ``lantern --help`` stays fast.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from lantern import __version__
from lantern.cli import api, assistant, campaign, commerce, compute, drill, fleet, serve
from lantern.errors import LanternError

__all__ = ["app", "main"]

app = typer.Typer(
    name="lantern",
    help="Lantern: campaign, commerce, robovan fleet, accelerator cluster and assistant, "
    "joined by a full-link festival drill.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(campaign.app, name="campaign")
app.add_typer(commerce.app, name="commerce")
app.add_typer(fleet.app, name="fleet")
app.add_typer(compute.app, name="compute")
app.add_typer(assistant.app, name="assistant")
app.add_typer(drill.app, name="drill")
app.add_typer(api.app, name="api")
assistant.register_chat(app)
serve.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lantern {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Configure logging from the settings, once, before any command runs."""
    from lantern.logs import configure_logging
    from lantern.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)


def main() -> None:
    """Entry point: run the app; a LanternError becomes a clear message and exit code 2."""
    try:
        app()
    except LanternError as exc:
        # one line, however long: no wrapping at 80 columns; the message is text, not markup
        message = escape(f"[{exc.code}] {exc.message}")
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error[/] {message}")
        sys.exit(2)
