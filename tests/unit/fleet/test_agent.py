"""The JSON-lines agent against a scripted harness, as the competition's controller runs it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lantern.fleet._euro_agent import run_agent
from lantern.fleet._euro_env import EuroEnvironment, EuroInstance
from lantern.fleet._euro_policies import make_policy
from lantern.fleet._instances import DATA_DIR, read_instance
from lantern.fleet.errors import ProtocolError


def _dumps(data: Any) -> str:
    def default(obj: Any) -> Any:
        if isinstance(obj, np.ndarray):
            return obj.tolist()
        if isinstance(obj, np.generic):
            return obj.item()
        raise TypeError(type(obj).__name__)

    return json.dumps(data, default=default)


def _harness(agent: subprocess.Popen[str], env: EuroEnvironment) -> list[str]:
    """What controller.py does: answer reset/step lines until the agent exits."""
    assert agent.stdout is not None
    assert agent.stdin is not None
    actions = []
    for line in agent.stdout:
        request = json.loads(line)
        actions.append(request["action"])
        if request["action"] == "reset":
            observation, info = env.reset()
            response: dict[str, Any] = {"observation": observation, "info": info}
        else:
            assert request["action"] == "step"
            stepped, reward, done, step_info = env.step(request["data"])
            response = {"observation": stepped, "reward": reward, "done": done, "info": step_info}
        agent.stdin.write(_dumps(response) + "\n")
        agent.stdin.flush()
    return actions


def test_agent_plays_a_day_with_the_scripted_harness(tmp_path: Path) -> None:
    """`lantern fleet euro-neurips-agent` resets, steps every epoch with valid plans, keeps
    stdout for protocol lines only (logs on stderr) and exits 0 when the day is done."""
    instance = EuroInstance.from_instance(read_instance(DATA_DIR / "tiny_euro_16.txt"))
    env = EuroEnvironment(instance, seed=11, epoch_tlim_s=20)
    stderr = (tmp_path / "agent.log").open("w")
    command = [
        sys.executable,
        "-m",
        "lantern",
        "fleet",
        "euro-neurips-agent",
        "--strategy",
        "must-routes",
        "--epoch-time-limit",
        "1",
    ]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True
    ) as agent:
        actions = _harness(agent, env)
        assert agent.wait(timeout=30) == 0
    stderr.close()
    epochs = env.end_epoch - env.start_epoch + 1
    assert actions == ["reset"] + ["step"] * epochs
    assert env.done
    assert env.errors == []
    assert env.req_dispatched[1:].all()
    assert f"total driving time {env.total_cost}" in (tmp_path / "agent.log").read_text()


def test_agent_rejects_a_garbled_harness_line() -> None:
    """A non-JSON answer from the harness is a ProtocolError, not a crash deep inside."""
    out = io.StringIO()
    with pytest.raises(ProtocolError, match="not JSON"):
        run_agent(
            make_policy("greedy"),
            epoch_time_limit_s=1,
            stdin=io.StringIO("oops\n"),
            stdout=out,
            log=lambda _t: None,
        )
    assert json.loads(out.getvalue()) == {"action": "reset", "data": None}


def test_agent_stops_when_the_harness_hangs_up() -> None:
    """EOF before the day is done is a ProtocolError naming the cause."""
    with pytest.raises(ProtocolError, match="closed"):
        run_agent(
            make_policy("greedy"),
            epoch_time_limit_s=1,
            stdin=io.StringIO(""),
            stdout=io.StringIO(),
            log=lambda _t: None,
        )


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"observation": {}, "info": {}}', "lacks current_epoch, planning_starttime"),
        ('{"observation": 5, "info": 7}', "must be JSON objects"),
        (
            '{"observation": {"current_epoch": 0, "planning_starttime": 0, '
            '"epoch_instance": {"request_idx": []}}, "info": {}}',
            "lacks epoch_instance.customer_idx",
        ),
    ],
)
def test_agent_names_what_a_malformed_observation_lacks(line: str, problem: str) -> None:
    """JSON of the wrong shape is a ProtocolError naming the missing keys, not a KeyError."""
    with pytest.raises(ProtocolError, match=problem):
        run_agent(
            make_policy("greedy"),
            epoch_time_limit_s=1,
            stdin=io.StringIO(line + "\n"),
            stdout=io.StringIO(),
            log=lambda _t: None,
        )
