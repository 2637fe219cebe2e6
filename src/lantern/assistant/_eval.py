"""Evaluation of a chat backend's tool choice and arguments on JSONL cases.

A case line is ``{"id", "lang", "utterance", "expect": {"tool", "args"}}``. The expected
tool is the first tool the backend calls for the utterance in a fresh conversation
("none" when it calls none); ``args`` lists only arguments that must be present with
exactly those values (offer and order ids compared case-insensitively, numbers as numbers,
booleans as booleans). ``tool_accuracy`` is the share of cases with the right tool;
``args_accuracy`` the share, among those, with every expected argument right.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np

from lantern.assistant._lang import LANGUAGES
from lantern.assistant._tools import NO_TOOL, TOOL_NAMES, TOOL_SPECS, tool_spec
from lantern.assistant._types import ChatBackend, Message
from lantern.errors import InvalidInput

__all__ = [
    "SHIPPED_CASES",
    "CasesInvalid",
    "EvalCase",
    "EvalReport",
    "args_match",
    "evaluate",
    "load_cases",
    "shipped_cases_path",
]

SHIPPED_CASES: Final = {
    "dev": "data/eval_dev.jsonl",
    "heldout": "data/eval_heldout.jsonl",
    "heldout2": "data/eval_heldout2.jsonl",
    "heldout3": "data/eval_heldout3.jsonl",
    "heldout4": "data/eval_heldout4.jsonl",
    "heldout5": "data/eval_heldout5.jsonl",
    "heldout6": "data/eval_heldout6.jsonl",
    "heldout7": "data/eval_heldout7.jsonl",
    "heldout8": "data/eval_heldout8.jsonl",
    "heldout9": "data/eval_heldout9.jsonl",
    "heldout10": "data/eval_heldout10.jsonl",
}
_ID_KEYS: Final = frozenset({"offer_id", "order_id"})


class CasesInvalid(InvalidInput):
    """An evaluation cases file is missing or has a malformed line."""

    code = "EVAL_CASES_INVALID"


@dataclass(frozen=True, slots=True)
class EvalCase:
    """One evaluation case: an utterance and the tool call expected for it."""

    id: str
    lang: str
    utterance: str
    tool: str
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CaseResult:
    """What the backend did on one case."""

    case: EvalCase
    tool: str
    args: Mapping[str, Any]
    latency_ms: float

    @property
    def tool_ok(self) -> bool:
        return self.tool == self.case.tool

    @property
    def args_ok(self) -> bool:
        return self.tool_ok and args_match(self.case.args, self.args)


@dataclass(frozen=True, slots=True)
class EvalReport:
    """The figures of one evaluation run and the failed cases."""

    results: tuple[CaseResult, ...]
    backend: str

    def failures(self) -> list[CaseResult]:
        """Cases with the wrong tool or a wrong expected argument."""
        return [r for r in self.results if not r.args_ok]

    def summary(self) -> dict[str, Any]:
        """cases, tool_accuracy, args_accuracy, latency_ms_p50/p95 and per-language figures."""
        latencies = [r.latency_ms for r in self.results]
        by_lang = {
            lang: _accuracy([r for r in self.results if r.case.lang == lang]) for lang in LANGUAGES
        }
        return {
            "backend": self.backend,
            **_accuracy(list(self.results)),
            "latency_ms_p50": round(float(np.percentile(latencies, 50)), 2) if latencies else 0.0,
            "latency_ms_p95": round(float(np.percentile(latencies, 95)), 2) if latencies else 0.0,
            "per_language": {
                lang: figures for lang, figures in by_lang.items() if figures["cases"]
            },
        }


def _accuracy(results: Sequence[CaseResult]) -> dict[str, Any]:
    right_tool = [r for r in results if r.tool_ok]
    return {
        "cases": len(results),
        "tool_accuracy": round(len(right_tool) / len(results), 4) if results else 0.0,
        "args_accuracy": (
            round(sum(r.args_ok for r in right_tool) / len(right_tool), 4) if right_tool else 0.0
        ),
    }


def _same(expected: Any, actual: Any, key: str) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if isinstance(expected, int | float):
        return isinstance(actual, int | float) and float(expected) == float(actual)
    if isinstance(expected, str) and isinstance(actual, str) and key in _ID_KEYS:
        return expected.strip().upper() == actual.strip().upper()
    return bool(expected == actual)


def args_match(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> bool:
    """Whether every expected argument is present in ``actual`` with the expected value."""
    return all(key in actual and _same(value, actual[key], key) for key, value in expected.items())


def shipped_cases_path(name: str) -> Path:
    """The path of a shipped case set: "dev" or "heldout" ... "heldout10"."""
    return Path(str(resources.files("lantern.assistant").joinpath(SHIPPED_CASES[name])))


def _case(raw: Any, where: str) -> EvalCase:
    if not isinstance(raw, dict):
        raise CasesInvalid(f"{where}: a case must be a JSON object")
    missing = [key for key in ("id", "lang", "utterance", "expect") if key not in raw]
    if missing:
        raise CasesInvalid(f"{where}: missing {', '.join(missing)}")
    expect = raw["expect"]
    if not isinstance(expect, dict) or not isinstance(expect.get("args", {}), dict):
        raise CasesInvalid(f'{where}: "expect" must be {{"tool": NAME, "args": {{...}}}}')
    tool = expect.get("tool")
    if tool != NO_TOOL and tool not in TOOL_NAMES:
        raise CasesInvalid(f"{where}: unknown tool {tool!r}; use one of {TOOL_NAMES} or none")
    args = expect.get("args", {})
    if tool == NO_TOOL and args:
        raise CasesInvalid(f'{where}: a "none" case cannot expect arguments')
    if tool != NO_TOOL:
        known = tool_spec(tool).parameters.get("properties", {})
        if unknown := sorted(set(args) - set(known)):
            raise CasesInvalid(f"{where}: {tool} has no argument(s) {', '.join(unknown)}")
    if raw["lang"] not in LANGUAGES:
        raise CasesInvalid(f"{where}: lang must be one of {LANGUAGES}, got {raw['lang']!r}")
    if not isinstance(raw["utterance"], str) or not raw["utterance"].strip():
        raise CasesInvalid(f"{where}: utterance must be a non-empty string")
    return EvalCase(str(raw["id"]), raw["lang"], raw["utterance"], tool, dict(args))


def load_cases(path: Path) -> list[EvalCase]:
    """Read and check a JSONL cases file; :class:`CasesInvalid` names file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        shipped = ", ".join(SHIPPED_CASES)
        msg = (
            f"cannot read cases file {path}: {exc.strerror}; give a JSONL file or one of {shipped}"
        )
        raise CasesInvalid(msg) from exc
    except UnicodeDecodeError as exc:
        raise CasesInvalid(f"cases file {path} is not UTF-8 text ({exc.reason})") from exc
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            raw = json.loads(line)
        except ValueError as exc:
            raise CasesInvalid(f"{where}: not valid JSON ({exc})") from exc
        case = _case(raw, where)
        if case.id in seen:
            raise CasesInvalid(f"{where}: duplicate case id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise CasesInvalid(f"{path}: no cases")
    return cases


def evaluate(
    cases: Sequence[EvalCase],
    backend: ChatBackend,
    *,
    system_prompt: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> EvalReport:
    """Run every case through ``backend`` in a fresh conversation and time each answer."""
    if warm_up := getattr(backend, "warm_up", None):
        warm_up()
    results = []
    for index, case in enumerate(cases):
        messages = [Message(role="user", content=case.utterance)]
        if system_prompt:
            messages.insert(0, Message(role="system", content=system_prompt))
        started = time.perf_counter()
        reply = backend.complete(messages, TOOL_SPECS)
        latency_ms = (time.perf_counter() - started) * 1000
        first = reply.tool_calls[0] if reply.tool_calls else None
        tool, args = (first.name, first.arguments) if first else (NO_TOOL, {})
        results.append(CaseResult(case, tool, dict(args), latency_ms))
        if progress is not None:
            progress(index + 1)
    return EvalReport(tuple(results), backend.name)
