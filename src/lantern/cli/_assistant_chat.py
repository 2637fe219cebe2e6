"""`lantern chat`: the assistant in the terminal (a Rich REPL, or scripted with --message)."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

import typer
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from lantern.errors import InvalidInput

if TYPE_CHECKING:
    from lantern.assistant import BackendName, Language

__all__ = ["run_chat"]

_EXIT = {"exit", "quit", "bye", ":q", "tschüss", "再见"}


def _parse_at(at: str | None) -> datetime | None:
    if at is None:
        return None
    try:
        return datetime.fromisoformat(at)
    except ValueError as exc:
        raise InvalidInput(f"--at {at!r} is not an ISO time like 2026-02-06T12:00") from exc


def _lang(lang: str | None) -> Language | None:
    if lang not in (None, "de", "en", "zh"):
        raise InvalidInput(f"--lang must be de, en or zh, got {lang!r}")
    return cast("Language | None", lang)  # checked against the Literal's values above


def _user(user: str) -> str:
    """The campaign's rule for user ids, checked before the router loads (seconds)."""
    if not 0 < len(user) <= 128 or not user.isprintable():
        raise InvalidInput(f"--user must be 1 to 128 printable characters, got {user[:40]!r}")
    return user


def _backend(name: str | None) -> BackendName | None:
    if name not in (None, "embedded", "openai"):
        raise InvalidInput(f"--backend must be embedded or openai, got {name!r}")
    return cast("BackendName | None", name)  # checked against the Literal's values above


def _tools_line(calls: tuple[tuple[str, dict[str, Any], dict[str, Any]], ...]) -> str:
    parts = []
    for name, arguments, result in calls:
        args = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
        outcome = result.get("error", {}).get("code") if "error" in result else "ok"
        parts.append(f"{name}({args}) -> {outcome}")
    return "; ".join(parts)


def run_chat(
    user: str,
    lang: str | None,
    messages: list[str],
    backend: str | None,
    at: str | None,
    *,
    as_json: bool,
    campaign: str,
) -> None:
    """Chat as ``user``: each of ``messages`` in turn, or a REPL when there are none."""
    from lantern.assistant._session_runtime import open_runtime
    from lantern.settings import get_settings

    out, err = Console(), Console(stderr=True)
    language, chosen, when = _lang(lang), _backend(backend), _parse_at(at)
    _user(user)
    runtime = open_runtime(get_settings(), campaign_id=campaign, backend=chosen, at=when)
    try:
        if runtime.notice:
            err.print(f"[yellow]note[/] {runtime.notice}")
        session = runtime.sessions.get(user, None, language)
        turns: list[dict[str, Any]] = []

        def say(text: str) -> None:
            started = time.perf_counter()
            result = runtime.agent.turn(session, text)
            turns.append(
                {
                    "message": text,
                    "reply": result.reply,
                    "lang": result.lang,
                    "latency_ms": round((time.perf_counter() - started) * 1000, 1),
                    "tools": [
                        {"name": n, "arguments": a, "result": r} for n, a, r in result.tool_calls
                    ],
                }
            )
            if as_json:
                return
            if result.tool_calls:
                err.print(Text(f"tools: {_tools_line(result.tool_calls)}", style="dim"))
            reply = Text(result.reply or "…")  # the reply is text, never Rich markup
            out.print(Panel(reply, title="lantern", title_align="left", border_style="red"))

        if messages:
            for text in messages:
                say(text)
        else:
            err.print(f"[bold red]Lantern[/] chat as [bold]{user}[/]; 'exit' to leave.")
            while True:
                try:
                    text = out.input("[bold]you>[/] ").strip()
                except (EOFError, KeyboardInterrupt):
                    break
                if text.lower() in _EXIT:
                    break
                if text:
                    say(text)
        if as_json:
            typer.echo(
                json.dumps(
                    {"user": user, "campaign": campaign, "turns": turns},
                    ensure_ascii=False,
                    default=str,
                )
            )
    finally:
        runtime.close()
