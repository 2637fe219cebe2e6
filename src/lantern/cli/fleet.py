"""`lantern fleet`: commands of the fleet engine.

Solver commands (solve, bench, euro-neurips-agent, dynamic-bench) live in
``lantern.cli._fleet_solve``; the road-network simulator's commands in ``lantern.cli._fleet_sim``.
"""

from __future__ import annotations

import typer

from lantern.cli import _fleet_sim, _fleet_solve

__all__ = ["app"]

app = typer.Typer(
    help="The fleet engine: robovan dispatch and delivery simulation.", no_args_is_help=True
)
_fleet_solve.register(app)
_fleet_sim.register(app)
