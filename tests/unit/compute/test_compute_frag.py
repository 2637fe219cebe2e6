"""Fragmentation floats computed exactly as the paper's simulator computes them.

FGD truncates sigmoid(fragmentation decrease / 1000) x 100 to an integer, so the last bit of
the fragmentation sum can decide a placement (a decrease of exactly zero scores 50, a tiny
negative one 49). These tests pin the reference's order of operations bit for bit.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from lantern.compute import TaskSpec, TypicalPods, node_fragmentation

I64 = npt.NDArray[np.int64]
MODELS = ("A", "B", "C")


def _random_tasks(n: int, seed: int) -> list[TaskSpec]:
    rng = np.random.default_rng(seed)
    tasks = []
    for _ in range(n):
        num = int(rng.choice([0, 1, 1, 1, 2, 4, 8]))
        if num == 0:
            milli = 0
        elif num > 1 or rng.random() < 0.4:
            milli = 1000
        else:
            milli = int(rng.integers(1, 100)) * 10
        size = int(rng.integers(0, 3)) if num else 0
        models = tuple(str(m) for m in rng.choice(MODELS, size=size, replace=False))
        tasks.append(TaskSpec(int(rng.integers(1, 64)) * 500, 0, num, milli, models))
    return tasks


def _reference_loop(
    cpu: I64, gpu: I64, model: I64, typical: TypicalPods, access: npt.NDArray[np.bool_]
) -> list[float]:
    """The reference's loop: per class, add freq x amount to its fragment kind's bucket."""
    out = []
    for s in range(len(cpu)):
        bucket = [0.0] * 7  # lack both, lack GPU, satisfied, lack CPU, XL, XR, no access
        idle = float(gpu[s].sum())
        for k in range(len(typical)):
            f = float(typical.freq[k])
            cpu_ok = cpu[s] >= typical.cpu_milli[k]
            if typical.gpu_milli[k] == 0:
                bucket[4 if cpu_ok else 5] += f * idle
            elif not access[k, model[s]]:
                bucket[6] += f * idle
            elif (gpu[s] >= typical.gpu_milli[k]).sum() >= typical.num_gpu[k]:
                if cpu_ok:
                    partial = float(gpu[s][gpu[s] < typical.gpu_milli[k]].sum())
                    bucket[1] += f * partial
                    bucket[2] += f * (idle - partial)
                else:
                    bucket[3] += f * idle
            else:
                bucket[1 if cpu_ok else 0] += f * idle
        total = 0.0
        for i in (0, 1, 3, 4, 5, 6):  # every kind but "satisfied"
            total += bucket[i]
        out.append(total)
    return out


@pytest.mark.parametrize("states", [1, 3, 40])
def test_fragmentation_adds_in_the_reference_order(states: int) -> None:
    """The vectorised fragmentation equals the reference's sequential loop bit for bit.

    With about 1,800 classes a plain dot product differs in the last bits on most states.
    """
    typical = TypicalPods.from_tasks(_random_tasks(3000, seed=1))
    access = typical.access(MODELS)
    rng = np.random.default_rng(states)
    gpu = rng.integers(0, 11, size=(states, 8)) * 100
    gpu[:, 6:] = 0
    cpu = rng.integers(0, 100, size=states) * 1000
    model = rng.integers(0, len(MODELS) + 1, size=states)
    got = node_fragmentation(cpu, gpu, model, typical, access)
    assert list(got) == _reference_loop(cpu, gpu, model, typical, access)


def test_typical_frequencies_as_the_reference_divides() -> None:
    """Kept classes' frequencies are (count / total) / (kept / total), not count / kept.

    60 tasks of one class, 30 of a second, 10 of a third: 95% needs all three, so nothing is
    dropped and the frequencies are count / 100. With 96 + 3 + 1 tasks the first class alone
    covers 95%: its frequency is (96 / 100) / (96 / 100), exactly 1.
    """
    mix = [TaskSpec(1000)] * 60 + [TaskSpec(2000)] * 30 + [TaskSpec(3000)] * 10
    assert list(TypicalPods.from_tasks(mix).freq) == [60 / 100, 30 / 100, 10 / 100]
    tasks = [TaskSpec(1000)] * 96 + [TaskSpec(2000)] * 3 + [TaskSpec(3000)]
    chopped = TypicalPods.from_tasks(tasks)
    assert list(chopped.freq) == [(96 / 100) / (96 / 100)]
    typical = TypicalPods.from_tasks(_random_tasks(3000, seed=2))
    counts: dict[tuple[int, int, int, tuple[str, ...]], int] = {}
    for t in _random_tasks(3000, seed=2):
        key = (t.cpu_milli, t.gpu_milli, t.num_gpu, t.gpu_models)
        counts[key] = counts.get(key, 0) + 1
    keys = zip(
        typical.cpu_milli, typical.gpu_milli, typical.num_gpu, typical.gpu_models, strict=True
    )
    kept = [counts[(int(c), int(g), int(n), m)] for c, g, n, m in keys]
    assert sum(kept) < 3000  # some classes were dropped
    expected = [(n / 3000) / (sum(kept) / 3000) for n in kept]
    assert list(typical.freq) == expected
