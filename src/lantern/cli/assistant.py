"""`lantern assistant` and `lantern chat`: the assistant's commands."""

from __future__ import annotations

import typer

__all__ = ["app", "register_chat"]

app = typer.Typer(help="The assistant: evaluation and tools.", no_args_is_help=True)


@app.command("eval")
def eval_command(
    cases: str = typer.Option(
        "dev",
        "--cases",
        help="JSONL cases file, or a shipped set: dev, heldout, heldout2 .. heldout10.",
    ),
    backend: str = typer.Option("embedded", "--backend", help="embedded | openai"),
    as_json: bool = typer.Option(False, "--json", help="End with one JSON line of figures."),
    show_failures: int = typer.Option(
        40, "--failures", min=0, help="Failed cases to list at most."
    ),
    embedder: str = typer.Option("use", "--embedder", help="Router embeddings: use | hashing."),
    cues: bool = typer.Option(True, "--cues/--no-cues", help="Router keyword cues (ablation)."),
) -> None:
    """Evaluate a backend's tool choice and arguments on cases (default: the dev set)."""
    from lantern.cli._assistant_eval import run_eval

    run_eval(
        cases, backend, as_json=as_json, show_failures=show_failures, embedder=embedder, cues=cues
    )


def register_chat(root: typer.Typer) -> None:
    """Add the top-level `lantern chat` command to the root app."""

    @root.command("chat")
    def chat(
        user: str = typer.Option("me", "--user", help="Chat as this user id."),
        lang: str | None = typer.Option(None, "--lang", help="de | en | zh (default: detect)."),
        message: list[str] | None = typer.Option(  # noqa: B008 - a list option needs an Option() default (Typer's pattern)
            None, "--message", "-m", help="Send this message (repeat for a conversation)."
        ),
        backend: str | None = typer.Option(None, "--backend", help="embedded | openai."),
        at: str | None = typer.Option(None, "--at", help="Chat as of this ISO time."),
        campaign: str = typer.Option(
            "spring-festival-2026", "--campaign", help="Built-in campaign or scenario file."
        ),
        as_json: bool = typer.Option(False, "--json", help="End with one JSON line."),
    ) -> None:
        """Chat with the assistant in the terminal (a REPL without --message)."""
        from lantern.cli._assistant_chat import run_chat

        run_chat(user, lang, message or [], backend, at, as_json=as_json, campaign=campaign)
