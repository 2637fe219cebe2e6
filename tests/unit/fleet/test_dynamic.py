"""The EURO-NeurIPS dynamic environment's rules, and policies that play by them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lantern.errors import InvalidInput
from lantern.fleet._euro_agent import run_episode
from lantern.fleet._euro_env import (
    BIG_NUMBER,
    EPOCH_S,
    MARGIN_S,
    EuroEnvironment,
    EuroInstance,
)
from lantern.fleet._euro_policies import STRATEGIES, make_policy
from lantern.fleet._instances import DATA_DIR, read_instance


@pytest.fixture(scope="module")
def instance() -> EuroInstance:
    """The shipped 15-customer EURO-style instance."""
    return EuroInstance.from_instance(read_instance(DATA_DIR / "tiny_euro_16.txt"))


def _all_requests_route(observation: dict[str, object]) -> list[list[int]]:
    ei = observation["epoch_instance"]
    assert isinstance(ei, dict)
    return [[int(r)] for r in ei["request_idx"][1:]]


def test_epochs_follow_ready_times(instance: EuroInstance) -> None:
    """start/end epochs come from the earliest/latest ready time less the dispatch margin."""
    _obs, info = EuroEnvironment(instance, seed=1).reset()
    ready = instance.time_windows[1:, 0]
    assert info["start_epoch"] == max((ready.min() - MARGIN_S) // EPOCH_S, 0)
    assert info["end_epoch"] == max((ready.max() - MARGIN_S) // EPOCH_S, 0)
    assert info["num_epochs"] == info["end_epoch"] - info["start_epoch"] + 1
    assert info["dynamic_context"] is not None


def test_requests_must_dispatch_and_relative_windows(instance: EuroInstance) -> None:
    """Every epoch: new requests are reachable, must-dispatch is exactly 'too late next
    epoch', windows are relative to the planning start; the final epoch is all must."""
    env = EuroEnvironment(instance, seed=5)
    observation: dict[str, Any] | None
    observation, info = env.reset()
    d, depot_close = instance.duration_matrix, instance.time_windows[0, 1]
    while True:
        assert observation is not None
        ei, start = observation["epoch_instance"], observation["planning_starttime"]
        assert start == EPOCH_S * observation["current_epoch"] + MARGIN_S
        assert ei["request_idx"][0] == 0
        assert ei["must_dispatch"][0] == np.False_
        ids = ei["request_idx"][1:]
        customers = env.req_customer[ids]
        windows, service = env.req_tw[ids], env.req_service[ids]
        arrive = np.maximum(start + d[0, customers], windows[:, 0])
        assert (arrive <= windows[:, 1]).all()
        assert (arrive + service + d[customers, 0] <= depot_close).all()
        np.testing.assert_array_equal(ei["time_windows"][1:], np.clip(windows - start, 0, None))
        if observation["current_epoch"] == info["end_epoch"]:
            assert ei["must_dispatch"][1:].all()
        else:
            later = np.maximum(start + EPOCH_S + d[0, customers], windows[:, 0])
            too_late = (later > windows[:, 1]) | (later + service + d[customers, 0] > depot_close)
            np.testing.assert_array_equal(ei["must_dispatch"][1:], too_late)
        # dispatch only what must go: the rest stays open into the next epoch
        must = [[int(r)] for r in ids[ei["must_dispatch"][1:]]]
        observation, reward, done, step_info = env.step(must)
        assert step_info["error"] is None
        assert reward <= 0
        if done:
            break
    assert env.req_dispatched[1:].all()


def test_same_seed_same_day(instance: EuroInstance) -> None:
    """The day's requests depend only on the seed."""
    a = EuroEnvironment(instance, seed=9).reset()[0]["epoch_instance"]
    b = EuroEnvironment(instance, seed=9).reset()[0]["epoch_instance"]
    c = EuroEnvironment(instance, seed=10).reset()[0]["epoch_instance"]
    np.testing.assert_array_equal(a["customer_idx"], b["customer_idx"])
    assert not np.array_equal(a["customer_idx"], c["customer_idx"])


def test_final_epoch_requires_everything(instance: EuroInstance) -> None:
    """Leaving any open request in the last epoch fails the episode."""
    env = EuroEnvironment(instance, seed=2)
    observation: dict[str, Any] | None
    observation, info = env.reset()
    while observation is not None and observation["current_epoch"] < info["end_epoch"]:
        observation, _r, _done, _i = env.step(_all_requests_route(observation))
    assert observation is not None
    routes = _all_requests_route(observation)
    _obs, reward, done, step_info = env.step(routes[1:])
    assert done
    assert reward == -BIG_NUMBER
    assert "must-dispatch" in step_info["error"]


@pytest.mark.parametrize(
    ("make_routes", "error"),
    [
        (lambda ids: [[ids[0]], [ids[0]]], "twice"),
        (lambda ids: [[10_000]], "not open"),
        (lambda ids: [list(ids)], "over capacity"),
    ],
)
def test_invalid_plans_fail_the_episode(
    instance: EuroInstance, make_routes: Callable[[list[int]], list[list[int]]], error: str
) -> None:
    """Duplicates, unknown requests and overloaded routes are rejected with an error."""
    env = EuroEnvironment(instance, seed=3, is_static=False)
    observation, _info = env.reset()
    ids = [int(r) for r in observation["epoch_instance"]["request_idx"][1:]]
    _obs, reward, done, step_info = env.step(make_routes(ids))
    assert done
    assert reward == -BIG_NUMBER
    assert error in step_info["error"]
    assert env.total_cost >= BIG_NUMBER


def test_late_answer_fails(instance: EuroInstance) -> None:
    """An answer after the epoch limit plus grace fails the episode."""
    now = [0.0]
    env = EuroEnvironment(instance, seed=1, epoch_tlim_s=5, clock=lambda: now[0])
    observation, _info = env.reset()
    now[0] = 7.5
    _obs, _reward, done, step_info = env.step(_all_requests_route(observation))
    assert done
    assert "time limit" in step_info["error"]


def test_static_variant_is_one_epoch(instance: EuroInstance) -> None:
    """The static variant offers every customer once, all must-dispatch."""
    observation, info = EuroEnvironment(instance, is_static=True).reset()
    ei = observation["epoch_instance"]
    assert info["num_epochs"] == 1
    assert len(ei["request_idx"]) == len(instance.demands)
    assert ei["must_dispatch"][1:].all()


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_policies_play_valid_days(instance: EuroInstance, strategy: str) -> None:
    """Every policy dispatches every request exactly once with plans the environment accepts."""
    env = EuroEnvironment(instance, seed=4, epoch_tlim_s=30)
    result = run_episode(env, make_policy(strategy, seed=1), epoch_tlim_s=0.8)
    assert result.errors == []
    assert result.requests == len(env.req_customer) - 1
    assert 0 < result.total_cost < BIG_NUMBER


def test_unknown_strategy() -> None:
    """An unknown strategy name is an InvalidInput listing the choices."""
    with pytest.raises(InvalidInput, match="greedy"):
        make_policy("clairvoyant")


def test_prizes_make_only_optional_requests_optional() -> None:
    """With prizes, must-dispatch requests stay required and the others carry their prize."""
    from lantern.fleet._euro_env import epoch_problem

    epoch = {
        "request_idx": np.array([0, 4, 9]),
        "capacity": 10,
        "time_windows": np.array([[0, 1000], [0, 500], [0, 900]]),
        "demands": np.array([0, 3, 4]),
        "service_times": np.array([0, 10, 10]),
        "duration_matrix": np.array([[0, 5, 7], [5, 0, 3], [7, 3, 0]]),
        "must_dispatch": np.array([False, True, False]),
    }
    problem = epoch_problem(epoch, np.ones(3, dtype=bool), prizes=np.array([0, 50, 70]))
    assert [(v.required, v.prize) for v in problem.visits] == [(True, 0), (False, 70)]
    plain = epoch_problem(epoch, np.ones(3, dtype=bool))
    assert all(v.required for v in plain.visits)


def test_dynamic_variant_needs_a_single_depot_vrplib_file() -> None:
    """A Solomon file is refused by the dynamic variant with a clear error."""
    from lantern.fleet.errors import InvalidProblem

    with pytest.raises(InvalidProblem, match="VRPLIB instance with one depot"):
        EuroInstance.from_instance(read_instance(DATA_DIR / "C101.txt"))


def test_day_seeds_come_from_configs_json(tmp_path: Path) -> None:
    """dynamic-bench takes each instance's dynamic seed from the round's configs.json."""
    import json

    from lantern.fleet._euro_bench import instance_seeds

    (tmp_path / "configs.json").write_text(
        json.dumps(
            [
                {"instance": "a.txt", "instance_seed": 0, "static": True, "epoch_tlim": 60},
                {"instance": "a.txt", "instance_seed": 706, "static": False, "epoch_tlim": 60},
            ]
        )
    )
    assert instance_seeds(tmp_path) == {"a.txt": 706}
    assert instance_seeds(tmp_path / "absent") == {}
