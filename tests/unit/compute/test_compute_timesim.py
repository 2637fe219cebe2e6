"""Time mode: gangs, quotas with borrowing, preemption classes, autoscaled inference."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.compute import (
    Cluster,
    ClusterSimulator,
    InferenceService,
    NodeTable,
    QoS,
    Tenant,
    TrainingJob,
    synthetic_workload,
)
from lantern.compute.errors import WorkloadError

TinyNodes = Callable[..., NodeTable]
H = 3600.0


def _job(name: str, tenant: str, workers: int, per: int, qos: QoS = QoS.GUARANTEED) -> TrainingJob:
    return TrainingJob(
        name,
        tenant,
        workers,
        per,
        10 * H,
        cpu_milli_per_worker=1000,
        memory_mib_per_worker=1024,
        qos=qos,
    )


def _running(sim: ClusterSimulator) -> set[str]:
    return {name for name, *_ in sim.running_units()}


def test_gang_is_all_or_nothing_across_nodes(tiny_nodes: TinyNodes) -> None:
    """A 3x4-GPU gang spans both 8-GPU nodes; a second one that cannot fully fit takes nothing."""
    sim = ClusterSimulator(Cluster.from_nodes(tiny_nodes((8, "H200"), (8, "H200"))), "BestFit")
    sim.submit(_job("a", "t", 3, 4))
    sim.submit(_job("b", "t", 3, 4))
    sim.step(1.0)
    assert _running(sim) == {"a"}
    placements = next(p for n, _, _, p in sim.running_units() if n == "a")
    assert len({p.node for p in placements}) == 2
    assert sim.cluster.allocated_gpu_milli == 12_000  # b placed no worker
    sim.cluster.check_conservation()


def test_quota_without_cohort_is_never_exceeded(tiny_nodes: TinyNodes) -> None:
    """A tenant with 4 guaranteed GPUs and no cohort runs at most 4 GPUs; the rest waits."""
    c = Cluster.from_nodes(tiny_nodes((8, "H20"), (8, "H20")))
    sim = ClusterSimulator(c, "FGD", [Tenant("t", 4)])
    for k in range(3):
        sim.submit(_job(f"j{k}", "t", 1, 2))
    sim.step(1.0)
    assert len(_running(sim)) == 2
    assert sim.quotas.usage_milli["t"] == 4000
    sim.step(11 * H)  # the first two finish, the third runs
    assert sim.metrics().tenants["t"].completed == 2
    assert _running(sim) == {"j2"}


def test_borrowed_work_is_reclaimed_by_the_lender(tiny_nodes: TinyNodes) -> None:
    """t1 borrows t2's idle quota; when t2 submits within its quota, t1's borrowed job yields."""
    c = Cluster.from_nodes(tiny_nodes((8, "H20")))
    tenants = [Tenant("t1", 4, cohort="c"), Tenant("t2", 4, cohort="c")]
    sim = ClusterSimulator(c, "BestFit", tenants)
    for k in range(4):
        sim.submit(_job(f"t1-{k}", "t1", 1, 2))
    sim.step(1.0)
    assert len(_running(sim)) == 4  # 2 within quota, 2 borrowed
    sim.submit(_job("t2-0", "t2", 1, 4))
    sim.step(2.0)
    assert "t2-0" in _running(sim)
    m = sim.metrics().tenants
    assert m["t1"].preemptions == 2
    assert m["t2"].preemptions == 0
    assert sim.quotas.usage_milli == {"t1": 4000, "t2": 4000}


def test_borrowing_limit(tiny_nodes: TinyNodes) -> None:
    """A borrowing limit of 2 GPUs caps what a tenant takes from its cohort."""
    c = Cluster.from_nodes(tiny_nodes((8, "H20")))
    tenants = [Tenant("t1", 2, cohort="c", borrowing_limit_gpus=2), Tenant("t2", 6, cohort="c")]
    sim = ClusterSimulator(c, "BestFit", tenants)
    for k in range(4):
        sim.submit(_job(f"j{k}", "t1", 1, 1))
    sim.step(1.0)
    assert sim.quotas.usage_milli["t1"] == 4000


def test_guaranteed_preempts_best_effort_only(tiny_nodes: TinyNodes) -> None:
    """Best-effort work yields to guaranteed work; guaranteed work is never preempted."""
    c = Cluster.from_nodes(tiny_nodes((8, "Zhenwu-810E")))
    sim = ClusterSimulator(c, "FGD")
    sim.submit(_job("be", "lab", 1, 8, QoS.BEST_EFFORT))
    sim.step(1.0)
    sim.submit(_job("g1", "prod", 1, 8))
    sim.step(2.0)
    assert _running(sim) == {"g1"}
    sim.submit(_job("g2", "prod", 1, 8))
    sim.step(3.0)
    assert _running(sim) == {"g1"}  # g2 waits: g1 is guaranteed
    m = sim.metrics().tenants
    assert m["lab"].preemptions == 1
    assert m["prod"].preemptions == 0


def test_inference_scales_with_load_and_meets_slo(tiny_nodes: TinyNodes) -> None:
    """Replicas follow the load (ceil(rps / 10)); with room, every request meets the SLO."""
    c = Cluster.from_nodes(tiny_nodes((2, "H20")))
    svc = InferenceService(
        "chat",
        "grid",
        400,
        rps_per_replica=10,
        latency_slo_ms=200,
        duration_s=2 * H,
        load_rps=((0, 5.0), (H, 25.0)),
    )
    sim = ClusterSimulator(c, "FGD")
    sim.submit(svc)
    sim.step(10.0)
    assert len(sim.running_units()) == 1
    sim.step(H + 10)
    assert len(sim.running_units()) == 3
    assert sim.cluster.allocated_gpu_milli == 1200
    sim.step(3 * H)
    m = sim.metrics().tenants["grid"]
    assert m.slo_attainment == pytest.approx(1.0)
    assert sim.cluster.allocated_gpu_milli == 0


def test_slo_missed_without_room(tiny_nodes: TinyNodes) -> None:
    """With room for 2 of 3 replicas, a third of the demand misses the SLO."""
    c = Cluster.from_nodes(tiny_nodes((1, "H20")))
    svc = InferenceService(
        "chat",
        "grid",
        450,
        rps_per_replica=10,
        latency_slo_ms=200,
        duration_s=H,
        load_rps=((0, 30.0),),
    )
    sim = ClusterSimulator(c, "BestFit")
    sim.submit(svc)
    sim.step(H)
    assert sim.metrics().tenants["grid"].slo_attainment == pytest.approx(2 / 3)


def test_bad_workloads(tiny_nodes: TinyNodes) -> None:
    """Unknown tenants, duplicate names and submissions in the past are refused."""
    sim = ClusterSimulator(Cluster.from_nodes(tiny_nodes((8, "H20"))), "FGD", [Tenant("t", 8)])
    with pytest.raises(WorkloadError, match="unknown tenant"):
        sim.submit(_job("x", "nobody", 1, 1))
    sim.submit(_job("x", "t", 1, 1))
    with pytest.raises(WorkloadError, match="twice"):
        sim.submit(_job("x", "t", 1, 1))
    sim.step(100.0)
    with pytest.raises(WorkloadError, match=">= now"):
        sim.submit(_job("y", "t", 1, 1), at_s=5.0)


def test_nan_and_infinite_times_are_refused(tiny_nodes: TinyNodes) -> None:
    """NaN passed every `x <= 0` check: NaN durations, quotas, submit and step times now fail."""
    nan, inf = float("nan"), float("inf")
    sim = ClusterSimulator(Cluster.from_nodes(tiny_nodes((8, "H20"))), "FGD", [Tenant("t", 8)])
    for at in (nan, inf):
        with pytest.raises(WorkloadError, match="finite time"):
            sim.submit(_job("y", "t", 1, 1), at_s=at)
    with pytest.raises(WorkloadError, match="step back"):
        sim.step(nan)
    with pytest.raises(WorkloadError, match="duration"):
        TrainingJob("j", "t", workers=1, gpus_per_worker=1, duration_s=nan)
    with pytest.raises(WorkloadError, match="positive"):
        InferenceService("s", "t", 500, rps_per_replica=nan, latency_slo_ms=100, duration_s=60)
    with pytest.raises(WorkloadError, match="quota"):
        Tenant("n", nan)
    with pytest.raises(WorkloadError, match="borrowing"):
        Tenant("n", 1, borrowing_limit_gpus=nan)


def test_synthetic_day_respects_quotas() -> None:
    """A few synthetic hours on a small Zhenwu/H200 cluster: quotas hold, metrics are sane."""
    c = Cluster.from_spec("8x8 zhenwu-810e + 2x8 h200")
    tenants, jobs = synthetic_workload(c, hours=4, seed=3)
    sim = ClusterSimulator(c, "FGD", tenants, seed=3)
    for at, job in jobs:
        sim.submit(job, at_s=at)
    for hour in range(1, 5):
        sim.step(hour * H)
        sim.quotas.check()
        sim.cluster.check_conservation()
        for name, _tenant, preemptible, _p in sim.running_units():
            assert not (name.startswith("cas-research") and not preemptible)
    m = sim.metrics()
    assert 0.0 < m.gpu_utilisation <= 1.0
    assert set(m.tenants) <= {t.name for t in tenants}


_jobs = st.lists(
    st.tuples(
        st.sampled_from(["gold", "silver", "bronze"]),
        st.integers(1, 3),  # workers
        st.sampled_from([1, 2, 4, 8]),  # GPUs per worker
        st.floats(600, 7200),  # duration
        st.floats(0, 7200),  # arrival
        st.booleans(),  # best-effort?
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None)
@given(_jobs)
def test_quotas_and_classes_hold_under_any_workload(
    jobs: list[tuple[str, int, int, float, float, bool]],
) -> None:
    """For any mix of gangs: capacity and quotas hold after every step, and guaranteed work
    of a tenant that never exceeds its nominal quota is never preempted."""
    c = Cluster.from_spec("2x8 h200 + 2x8 zhenwu-810e")
    tenants = [
        Tenant("gold", 32),  # its own quota covers the cluster: never borrows
        Tenant("silver", 8, cohort="c", borrowing_limit_gpus=8),
        Tenant("bronze", 8, cohort="c"),
    ]
    sim = ClusterSimulator(c, "FGD", tenants)
    for k, (tenant, workers, per, dur, at, be) in enumerate(sorted(jobs, key=lambda j: j[4])):
        qos = QoS.BEST_EFFORT if be and tenant != "gold" else QoS.GUARANTEED
        sim.submit(
            TrainingJob(f"{tenant}-{k}", tenant, workers, per, dur, 1000, 1024, qos), at_s=at
        )
    for t in range(0, 4 * 7200, 900):
        sim.step(float(t))
        c.check_conservation()
        sim.quotas.check()
    assert sim.metrics().tenants["gold"].preemptions == 0


def _timed_job(
    name: str, per: int, reference: str | None, models: tuple[str, ...] = ()
) -> TrainingJob:
    return TrainingJob(
        name,
        "t",
        1,
        per,
        10 * H,
        cpu_milli_per_worker=1000,
        memory_mib_per_worker=1024,
        gpu_models=models,
        reference_model=reference,
    )


def _finish_times(sim: ClusterSimulator, names: set[str], limit_s: float) -> dict[str, float]:
    """Step ten minutes at a time and note when each job leaves the running set."""
    done: dict[str, float] = {}
    t = 0.0
    while t < limit_s and len(done) < len(names):
        t += 600.0
        sim.step(t)
        running = _running(sim)
        for n in names - running - set(done):
            done[n] = t
    return done


def test_training_time_scales_with_accelerator_throughput(tiny_nodes: TinyNodes) -> None:
    """A 10 h job measured on an H20 (148 TFLOPS) takes 10 h on an H20 and 1.5 h on an
    H200 (989 TFLOPS); without a reference model it takes 10 h on either."""
    sim = ClusterSimulator(
        Cluster.from_nodes(tiny_nodes((8, "H20"), (8, "H200"))), "BestFit", [Tenant("t", 16)]
    )
    sim.submit(_timed_job("on-h20", 8, "h20", ("H20",)))
    sim.submit(_timed_job("on-h200", 8, "h20", ("H200",)))
    done = _finish_times(sim, {"on-h20", "on-h200"}, 20 * H)
    assert done["on-h200"] == pytest.approx(10 * H * 148 / 989, abs=600.0)
    assert done["on-h20"] == pytest.approx(10 * H, abs=600.0)

    plain = ClusterSimulator(Cluster.from_nodes(tiny_nodes((8, "H200"))), "BestFit")
    plain.submit(_timed_job("anywhere", 8, None))
    assert _finish_times(plain, {"anywhere"}, 20 * H)["anywhere"] == pytest.approx(
        10 * H, abs=600.0
    )


def test_gang_runs_at_its_slowest_accelerator(tiny_nodes: TinyNodes) -> None:
    """A 2x8-GPU gang spread over an H200 node and a Zhenwu 810E node runs at the 810E's pace
    (its undisclosed throughput taken at the H20's, the documented stand-in)."""
    c = Cluster.from_nodes(tiny_nodes((8, "H200"), (8, "Zhenwu-810E")))
    sim = ClusterSimulator(c, "BestFit")
    job = TrainingJob("gang", "t", 2, 8, 10 * H, cpu_milli_per_worker=1000,
                      memory_mib_per_worker=1024, reference_model="h200")  # fmt: skip
    sim.submit(job)
    sim.step(1.0)
    placements = next(p for n, _, _, p in sim.running_units() if n == "gang")
    assert {c.model_of(p.node) for p in placements} == {"H200", "Zhenwu-810E"}
    assert sim.run_time_s(job, placements) == pytest.approx(10 * H * 989 / 148)


def test_unknown_speeds_are_refused_with_a_clear_error(tiny_nodes: TinyNodes) -> None:
    """A reference model of undisclosed speed, or a cluster model of unknown speed the job
    could land on, is a WorkloadError naming the model; constraining gpu_models avoids it."""
    with pytest.raises(WorkloadError, match="G2"):
        _timed_job("x", 1, "G2")
    with pytest.raises(WorkloadError, match="unknown accelerator"):
        _timed_job("x", 1, "B300")
    sim = ClusterSimulator(Cluster.from_nodes(tiny_nodes((8, "G2"), (8, "H20"))), "FGD")
    with pytest.raises(WorkloadError, match="G2"):
        sim.submit(_timed_job("y", 1, "h20"))
    sim.submit(_timed_job("z", 1, "h20", ("H20",)))  # kept off the G2 node: fine
    sim.step(1.0)
    assert _running(sim) == {"z"}
