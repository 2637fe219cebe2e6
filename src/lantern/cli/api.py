"""`lantern api ...`: mint a user token, serve the bare API (granian, no dashboard).

Kept light at import (typer only); the API is imported inside each command. `lantern serve`
serves the same app with the drill's dashboard routes.
"""

from __future__ import annotations

import json

import typer

__all__ = ["app", "serve"]

app = typer.Typer(help="The platform HTTP API: tokens and the server.", no_args_is_help=True)


@app.command("token")
def token(
    user_id: str = typer.Argument(..., help="The user the token acts for."),
    ttl_s: int = typer.Option(7 * 24 * 3600, "--ttl-s", help="Lifetime in seconds."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Mint a bearer token for USER_ID with LANTERN_TOKEN_SECRET (or the data dir's secret)."""
    from lantern.api.auth import mint_user_token

    value = mint_user_token(user_id, ttl_s=ttl_s)
    typer.echo(json.dumps({"user_id": user_id, "token": value}) if as_json else value)


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to bind."),
    port: int = typer.Option(8000, help="Port to bind."),
    server: str = typer.Option("granian", help="granian (faster here) or uvicorn."),
) -> None:
    """Serve the API (one worker) on HOST:PORT until interrupted."""
    import subprocess

    from lantern.api._server import SERVERS, server_command
    from lantern.errors import InvalidInput

    if server not in SERVERS:
        raise InvalidInput(f"--server must be one of {', '.join(SERVERS)}, got {server!r}")
    command = server_command(server, "lantern.api:server_app", host, port)
    raise typer.Exit(subprocess.call(command))
