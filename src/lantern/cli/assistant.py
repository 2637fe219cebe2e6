"""`lantern assistant` and `lantern chat`: the assistant's commands."""

from __future__ import annotations

import typer

__all__ = ["app", "register_chat"]

app = typer.Typer(help="The assistant: evaluation and tools.", no_args_is_help=True)


@app.command("eval")
def eval_command(
    cases: str = typer.Option(
        "dev", "--cases", help='JSONL cases file, or a shipped set: "dev" or "heldout".'
    ),
    backend: str = typer.Option("embedded", "--backend", help="embedded | openai"),
    as_json: bool = typer.Option(False, "--json", help="End with one JSON line of figures."),
    show_failures: int = typer.Option(40, "--failures", help="Failed cases to list at most."),
) -> None:
    """Evaluate a backend's tool choice and arguments on cases (default: the dev set)."""
    from lantern.cli._assistant_eval import run_eval

    run_eval(cases, backend, as_json=as_json, show_failures=show_failures)


def register_chat(root: typer.Typer) -> None:
    """Add the top-level `lantern chat` command to the root app."""
