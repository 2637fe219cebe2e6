"""The body of `lantern assistant eval`: build the backend, run the cases, print figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from lantern.errors import InvalidInput

__all__ = ["build_backend", "run_eval"]


def build_backend(kind: str, *, embedder: str = "use", cues: bool = True) -> Any:
    """The chat backend named ``kind``: "embedded" (offline router) or "openai".

    ``embedder`` ("use" or "hashing") and ``cues`` pick the router's parts, for ablations.
    """
    if kind == "embedded":
        from lantern.assistant._embed import HashingEmbedder, UseEmbedder
        from lantern.assistant._router import SemanticRouter

        if embedder not in ("use", "hashing"):
            raise InvalidInput(f"unknown embedder {embedder!r}; use use or hashing")
        chosen = UseEmbedder() if embedder == "use" else HashingEmbedder()
        return SemanticRouter(embedder=chosen, cues=cues)
    if kind == "openai":
        from lantern.assistant import backend_from_settings
        from lantern.settings import get_settings

        return backend_from_settings(get_settings(), "openai")
    msg = f"unknown backend {kind!r}; use embedded or openai"
    raise InvalidInput(msg)


def _cases_path(cases: str) -> Path:
    from lantern.assistant._eval import SHIPPED_CASES, shipped_cases_path

    return shipped_cases_path(cases) if cases in SHIPPED_CASES else Path(cases)


def _failure_table(report: Any, limit: int) -> Table:
    table = Table(title=f"failed cases ({len(report.failures())})")
    for column in ("id", "lang", "utterance", "expected", "got"):
        table.add_column(column, overflow="fold")
    for result in report.failures()[:limit]:
        expected = f"{result.case.tool} {json.dumps(result.case.args, ensure_ascii=False)}"
        got = f"{result.tool} {json.dumps(result.args, ensure_ascii=False)}"
        table.add_row(result.case.id, result.case.lang, result.case.utterance, expected, got)
    return table


def run_eval(
    cases: str,
    backend: str,
    *,
    as_json: bool,
    show_failures: int,
    embedder: str = "use",
    cues: bool = True,
) -> None:
    """Evaluate ``backend`` on ``cases`` and print a failure table and the figures."""
    from lantern.assistant._eval import evaluate, load_cases

    loaded = load_cases(_cases_path(cases))
    chat = build_backend(backend, embedder=embedder, cues=cues)
    from lantern.assistant import SYSTEM_PROMPT

    system_prompt = None if backend == "embedded" else SYSTEM_PROMPT
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("evaluating", total=len(loaded))
        report = evaluate(
            loaded,
            chat,
            system_prompt=system_prompt,
            progress=lambda done: progress.update(task, completed=done),
        )
    summary = report.summary()
    console = Console(width=160)
    if report.failures():
        console.print(_failure_table(report, show_failures))
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
    else:
        console.print_json(json.dumps(summary, ensure_ascii=False))
