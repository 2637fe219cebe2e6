"""The competition harness's JSON-lines protocol, agent side, and an in-process runner.

The official controller (``controller.py`` of the EURO-NeurIPS 2022 quickstart) starts the
agent as a subprocess. The agent writes ``{"action": "reset", "data": null}`` and reads one
line ``{"observation", "info"}``; then for each epoch writes ``{"action": "step", "data":
[[request ids], ...]}`` and reads ``{"observation", "reward", "done", "info"}`` until
``done``. stdout carries only protocol lines; logs go to stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np

from lantern.fleet._euro_env import EuroEnvironment
from lantern.fleet._euro_policies import DispatchPolicy
from lantern.fleet.errors import ProtocolError

__all__ = ["EpisodeResult", "plan_time_s", "run_agent", "run_episode"]


def plan_time_s(epoch_tlim_s: float) -> float:
    """Seconds a policy may plan in an epoch of ``epoch_tlim_s``, leaving room for I/O."""
    return max(0.2, epoch_tlim_s - min(2.0, 0.1 * epoch_tlim_s) - 0.3)


def _to_json(data: Any) -> str:
    def default(obj: Any) -> Any:
        if isinstance(obj, np.ndarray):
            return obj.tolist()
        if isinstance(obj, np.integer):
            return int(obj)
        if isinstance(obj, np.floating):
            return float(obj)
        if isinstance(obj, np.bool_):
            return bool(obj)
        raise TypeError(f"cannot serialise {type(obj).__name__}")

    return json.dumps(data, default=default, separators=(",", ":"))


def _read(stdin: TextIO, keys: tuple[str, ...]) -> dict[str, Any]:
    line = stdin.readline()
    if not line:
        raise ProtocolError("the harness closed the connection before the episode was done")
    try:
        message = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"the harness sent a line that is not JSON: {exc}") from None
    if not isinstance(message, dict) or any(k not in message for k in keys):
        raise ProtocolError(f"the harness's answer lacks one of {', '.join(keys)}")
    return message


_EPOCH_KEYS = (
    "request_idx", "customer_idx", "demands", "time_windows", "service_times",
    "duration_matrix", "must_dispatch", "capacity",
)  # fmt: skip


def _check_state(observation: Any, info: Any) -> None:
    """An observation the policies can plan on: the harness's keys, with the right types."""
    if not isinstance(observation, dict) or not isinstance(info, dict):
        raise ProtocolError("the harness's observation and info must be JSON objects")
    missing = [k for k in ("current_epoch", "planning_starttime") if k not in observation]
    epoch = observation.get("epoch_instance")
    if not isinstance(epoch, dict):
        missing.append("epoch_instance")
    else:
        missing += [f"epoch_instance.{k}" for k in _EPOCH_KEYS if k not in epoch]
    if missing:
        raise ProtocolError(f"the harness's observation lacks {', '.join(missing)}")


def _send(stdout: TextIO, action: str, data: Any) -> None:
    stdout.write(_to_json({"action": action, "data": data}) + "\n")
    stdout.flush()


def run_agent(
    policy: DispatchPolicy,
    *,
    epoch_time_limit_s: float,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    log: Callable[[str], None] | None = None,
) -> int:
    """Play one episode against the harness on stdin/stdout; returns the total cost.

    ``log`` receives progress lines (default: standard error; stdout is the protocol)."""
    log = log or _log_to_stderr
    _send(stdout, "reset", None)
    reset = _read(stdin, ("observation", "info"))
    observation, info = reset["observation"], reset["info"]
    _check_state(observation, info)
    tlim = min(epoch_time_limit_s, float(info.get("epoch_tlim") or epoch_time_limit_s))
    total = 0
    while True:
        routes = policy.plan(observation, info, plan_time_s(tlim))
        _send(stdout, "step", routes)
        answer = _read(stdin, ("observation", "reward", "done", "info"))
        error = answer["info"].get("error") if isinstance(answer["info"], dict) else None
        if error:
            raise ProtocolError(
                f"the harness rejected epoch {observation['current_epoch']}: {error}"
            )
        if not isinstance(answer["reward"], int | float):
            raise ProtocolError(f"the harness's reward is not a number: {answer['reward']!r}")
        total -= int(answer["reward"])
        log(
            f"epoch {observation['current_epoch']}: {sum(map(len, routes))} requests in "
            f"{len(routes)} routes, cost {-int(answer['reward'])}, total {total}"
        )
        if answer["done"]:
            return total
        observation = answer["observation"]
        _check_state(observation, info)


@dataclass
class EpisodeResult:
    """One policy's day on one instance."""

    total_cost: int
    epochs: int
    routes: int
    requests: int
    errors: list[str] = field(default_factory=list)


def run_episode(env: EuroEnvironment, policy: DispatchPolicy, epoch_tlim_s: float) -> EpisodeResult:
    """Play a whole day in-process (no subprocess); the environment enforces the time limit."""
    observation, info = env.reset()
    routes_total = requests_total = epochs = 0
    done = False
    current: dict[str, Any] | None = observation
    while not done:
        assert current is not None
        routes = policy.plan(current, info, plan_time_s(epoch_tlim_s))
        current, _reward, done, _info = env.step(routes)
        epochs += 1
        routes_total += len(routes)
        requests_total += sum(map(len, routes))
    return EpisodeResult(env.total_cost, epochs, routes_total, requests_total, env.errors)


def _log_to_stderr(text: str) -> None:
    sys.stderr.write(text + "\n")
