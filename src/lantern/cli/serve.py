"""`lantern serve`: the platform API and the live dashboard, with a drill replaying into it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["register"]

_err = Console(stderr=True)


def _background_drill(app: FastAPI, scale: str, seed: int, out: Path, speed: float) -> None:
    """Run a drill off the server's event loop, then start replaying it."""
    from lantern.drill import DrillConfig, DrillReplay, run_drill

    def work() -> None:
        try:
            result = run_drill(DrillConfig.build(scale=scale, seed=seed), out_dir=out)
            assert result.replay_path is not None
            app.state.drill_replay = DrillReplay.load(result.replay_path, speed=speed)
            _err.print(f"drill ready: {result.report_path}")
        except Exception as exc:  # the server keeps running; the dashboard shows the error
            app.state.drill_error = f"{type(exc).__name__}: {exc}"
            _err.print(f"[bold red]drill failed[/] {app.state.drill_error}")

    threading.Thread(target=work, name="lantern-drill", daemon=True).start()


def _check_listen(host: str, port: int) -> None:
    """Bind ``host:port`` once, so a taken port is a clear error before anything starts."""
    import socket

    from lantern.errors import InvalidInput

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(address)
    except OSError as exc:
        msg = (
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port "
            "or --host, or stop what uses it"
        )
        raise InvalidInput(msg) from exc


def _load_campaign(database_url: str, scenario: str) -> None:
    """Load a built-in campaign into the served database (a no-op when it is there).

    A database that holds the campaign at another scale (``lantern chat`` loads it at 1e-3)
    or from another version of the scenario keeps it, as ``lantern chat`` does, with a note:
    serving must not fail on a database that an earlier command filled.
    """
    from lantern.campaign import CampaignEngine, InvalidScenario, load_scenario

    loaded = load_scenario(scenario)  # an unknown name fails here, before the engine opens
    with CampaignEngine.open(database_url) as engine:
        if loaded.id not in engine.campaigns():
            engine.load(loaded)
            return
        try:
            engine.load(loaded)  # a no-op for the same scenario
        except InvalidScenario:
            _err.print(
                f"[yellow]note[/] the database already holds campaign {loaded.id!r} loaded "
                "at another scale or from another version of the scenario (`lantern chat` "
                "loads it at 1e-3); serving it as loaded (point LANTERN_DATABASE_URL at a new "
                "database to start afresh)",
                highlight=False,
                soft_wrap=True,
            )


def register(root: typer.Typer) -> None:
    """Add the top-level `lantern serve` command to the root app."""

    @root.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
        replay: Annotated[
            Path | None,
            typer.Option(help="A drill's replay.json (or its --out folder) to replay."),
        ] = None,
        drill_scale: Annotated[
            str, typer.Option(help="Without --replay: run a drill of this scale first.")
        ] = "tiny",
        drill_seed: Annotated[int, typer.Option(help="Seed of that drill.")] = 42,
        speed: Annotated[
            float, typer.Option(min=0.01, help="Replay speed, drill minutes per s.")
        ] = 6.0,
        dashboard_user: Annotated[
            str, typer.Option(help="User the printed dashboard link chats as.")
        ] = "dashboard",
        campaign: Annotated[
            str,
            typer.Option(help="Built-in campaign to load into the served database ('' skips)."),
        ] = "spring-festival-2026",
    ) -> None:
        """Serve the API (campaign, commerce, chat, fleet, compute, /metrics) and dashboard."""
        import uvicorn

        from lantern.api import create_app
        from lantern.api.dashboard import install_drill_routes
        from lantern.drill import DrillConfig, DrillReplay
        from lantern.settings import get_settings

        settings = get_settings()
        _check_listen(host, port)
        loaded = None if replay is None else DrillReplay.load(replay, speed=speed)
        if loaded is None:
            DrillConfig.build(scale=drill_scale, seed=drill_seed)  # bad values fail now
        if campaign:
            _load_campaign(settings.database_url, campaign)
        app = install_drill_routes(create_app(settings, freeze_gc=True))
        if loaded is not None:
            app.state.drill_replay = loaded
        else:
            out = settings.data_dir / "drill" / f"serve-{drill_scale}-{drill_seed}"
            _background_drill(app, drill_scale, drill_seed, out, speed)
        token = app.state.signer.mint(dashboard_user)
        typer.echo(f"dashboard: http://{host}:{port}/#token={token}", err=True)
        uvicorn.run(app, host=host, port=port, log_level="warning")
