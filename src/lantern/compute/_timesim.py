"""Time mode: arrivals, durations and departures with tenants, quotas and preemption.

    sim = ClusterSimulator(Cluster.from_spec("64x8 zhenwu-810e + 16x8 h200"), "fgd", tenants)
    sim.submit(TrainingJob("qwen-1", "qwen", workers=4, gpus_per_worker=8, duration_s=3600))
    sim.step(until_s=7200)
    print(sim.metrics().as_dict())

A training job is a gang: all its workers are placed (possibly on several nodes) or none is.
An inference service runs replicas on GPU shares, scaled to its request load. Pending work is
admitted against quotas (nominal, then borrowing within the cohort) in fair-share order
(lowest weighted usage/quota first, then priority, then arrival). Guaranteed work within its
tenant's nominal quota that finds no room preempts best-effort or borrowed work (lowest
priority, newest first); nothing else is ever preempted.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from lantern.compute._catalogue import training_tflops
from lantern.compute._cluster import Cluster, Placement
from lantern.compute._placer import Placer
from lantern.compute._policies import Policy, make_policy
from lantern.compute._quota import Quotas
from lantern.compute._sim_metrics import SimulationMetrics, TenantMetrics, TenantTally
from lantern.compute._task import TaskSpec
from lantern.compute._workloads import (
    InferenceService,
    Job,
    QoS,
    Tenant,
    TrainingJob,
)
from lantern.compute.errors import UnknownAccelerator, WorkloadError

__all__ = ["ClusterSimulator", "SimulationMetrics", "TenantMetrics"]

_ARRIVE, _FINISH, _SCALE, _END = 0, 1, 2, 3


@dataclass
class _Unit:
    """A schedulable gang: a whole training job, or one inference replica."""

    uid: int
    job: Job
    tasks: list[TaskSpec]
    submitted_s: float
    placements: list[Placement] = field(default_factory=list)
    borrowed: bool = False
    started_s: float | None = None
    token: int = 0
    ever_started: bool = False

    @property
    def tenant(self) -> str:
        return self.job.tenant

    @property
    def request_milli(self) -> int:
        return sum(t.total_gpu_milli for t in self.tasks)

    @property
    def guaranteed(self) -> bool:
        return self.job.qos is QoS.GUARANTEED

    @property
    def preemptible(self) -> bool:
        return not self.guaranteed or self.borrowed


@dataclass
class _Service:
    spec: InferenceService
    rps: float = 0.0
    units: list[_Unit] = field(default_factory=list)
    active: bool = True


class ClusterSimulator:
    """Discrete-event simulation of a multi-tenant accelerator cluster."""

    def __init__(
        self,
        cluster: Cluster,
        policy: str | Policy = "fgd",
        tenants: Sequence[Tenant] = (),
        seed: int = 0,
    ) -> None:
        if cluster.gpu_capacity_milli == 0:
            raise WorkloadError("the cluster has no GPUs; give a node list or spec with GPU nodes")
        cluster.reset()
        self.cluster = cluster
        pol = make_policy(policy) if isinstance(policy, str) else policy
        self.placer = Placer(cluster, pol, np.random.default_rng(seed))
        self.quotas = Quotas.of(tenants)
        self.now_s = 0.0
        self._events: list[tuple[float, int, int, object]] = []
        self._seq = itertools.count()
        self._uids = itertools.count()
        self._pending: list[_Unit] = []
        self._running: dict[int, _Unit] = {}
        self._services: dict[str, _Service] = {}
        self._tally: dict[str, TenantTally] = {t.name: TenantTally() for t in tenants}
        self._workload: list[TaskSpec] = []
        self._prepared = 0
        self._allocated_milli_s = 0.0
        self._names: set[str] = set()
        self._speeds: dict[str, float | None] = {}

    # ------------------------------------------------------------------ public API
    def submit(self, job: Job, at_s: float | None = None) -> None:
        """Submit a training job or an inference service, now or at ``at_s``."""
        t = self.now_s if at_s is None else at_s
        if not self.now_s <= t < float("inf"):  # NaN and infinity too
            raise WorkloadError(
                f"job {job.name}: submitted at {t} s; give a finite time >= now ({self.now_s} s)"
            )
        if job.name in self._names:
            raise WorkloadError(f"job name {job.name!r} submitted twice")
        self.quotas.check_tenant(job.tenant)
        if isinstance(job, TrainingJob) and job.reference_model is not None:
            self._check_speeds(job)
        self._names.add(job.name)
        self._tally.setdefault(job.tenant, TenantTally())
        if isinstance(job, TrainingJob):
            self._workload.extend(job.tasks())
        else:
            self._workload.extend([job.task()] * max(1, job.min_replicas))
        self._push(t, _ARRIVE, job)

    def _tflops(self, model: str) -> float | None:
        if model not in self._speeds:
            try:
                self._speeds[model] = training_tflops(model)
            except UnknownAccelerator:  # a model the catalogue does not list: speed unknown
                self._speeds[model] = None
        return self._speeds[model]

    def _check_speeds(self, job: TrainingJob) -> None:
        """Every accelerator a speed-scaled job may land on must have a known speed."""
        access = self.cluster.access_mask(job.tasks()[0])
        unknown = [
            m
            for i, m in enumerate(self.cluster.model_names)
            if access[i] and job.gpus_per_worker and self._tflops(m) is None
        ]
        if unknown:
            raise WorkloadError(
                f"training job {job.name}: its duration is on {job.reference_model}, but the "
                f"speed of {', '.join(unknown)} is undisclosed; restrict gpu_models to models "
                "of known speed, or drop reference_model"
            )

    def run_time_s(self, job: TrainingJob, placements: Sequence[Placement]) -> float:
        """How long ``job`` runs on ``placements``: its duration, scaled by its reference
        accelerator's throughput over the slowest placed accelerator's when it has one."""
        if job.reference_model is None:
            return job.duration_s
        speeds = [self._tflops(self.cluster.model_of(p.node)) for p in placements if p.gpus]
        if not speeds:
            return job.duration_s  # CPU-only workers: no accelerator to scale by
        known = [s for s in speeds if s is not None]
        assert len(known) == len(speeds), "every model a job may land on was checked at submit"
        reference = self._tflops(job.reference_model)
        assert reference is not None, "a job's reference speed is checked when it is made"
        return job.duration_s * reference / min(known)

    def step(self, until_s: float) -> None:
        """Advance the simulation to ``until_s``, processing every event up to it."""
        if not until_s >= self.now_s:  # NaN too
            raise WorkloadError(f"cannot step back to {until_s} s from {self.now_s} s")
        self._prepare()
        self._schedule()
        while self._events and self._events[0][0] <= until_s:
            t = self._events[0][0]
            self._advance(t)
            while self._events and self._events[0][0] == t:
                _, _, kind, data = heapq.heappop(self._events)
                self._handle(kind, data)
            self._prepare()
            self._schedule()
        self._advance(until_s)

    def run(self) -> SimulationMetrics:
        """Run until no event is left; the final metrics."""
        while self._events:
            self.step(max(e[0] for e in self._events))
        return self.metrics()

    def metrics(self) -> SimulationMetrics:
        """Queueing delay, utilisation, preemptions and SLO attainment, per tenant."""
        cap = self.cluster.gpu_capacity_milli
        elapsed = max(self.now_s, 1e-9)
        per = {
            name: tally.metrics(
                name,
                self.quotas.tenants.get(name),
                running=sum(1 for u in self._running.values() if u.tenant == name),
                pending=sum(1 for u in self._pending if u.tenant == name),
                capacity_milli=cap,
                elapsed_s=elapsed,
            )
            for name, tally in sorted(self._tally.items())
        }
        return SimulationMetrics(
            now_s=self.now_s,
            policy=self.placer.policy.name,
            gpu_utilisation=self._allocated_milli_s / (cap * elapsed) if cap else 0.0,
            tenants=per,
        )

    # ------------------------------------------------------------------ events
    def _push(self, t: float, kind: int, data: object) -> None:
        heapq.heappush(self._events, (t, next(self._seq), kind, data))

    def _handle(self, kind: int, data: object) -> None:
        if kind == _ARRIVE:
            assert isinstance(data, TrainingJob | InferenceService)
            self._arrive(data)
        elif kind == _FINISH:
            assert isinstance(data, tuple)
            self._finish(*data)
        elif kind == _SCALE:
            assert isinstance(data, tuple)
            self._scale(*data)
        else:
            assert isinstance(data, str)
            self._end_service(data)

    def _arrive(self, job: Job) -> None:
        self._tally[job.tenant].submitted += 1
        if isinstance(job, TrainingJob):
            self._pending.append(_Unit(next(self._uids), job, job.tasks(), self.now_s))
            return
        self._services[job.name] = _Service(job)
        for offset, rps in job.load_rps:
            if offset < job.duration_s:
                self._push(self.now_s + offset, _SCALE, (job.name, rps))
        self._push(self.now_s + job.duration_s, _END, job.name)

    def _finish(self, uid: int, token: int) -> None:
        unit = self._running.get(uid)
        if unit is None or unit.token != token:
            return  # preempted since: a stale completion
        self._stop(unit)
        self._tally[unit.tenant].completed += 1

    def _scale(self, name: str, rps: float) -> None:
        svc = self._services[name]
        if not svc.active:
            return
        svc.rps = rps
        want = svc.spec.replicas_for(rps)
        while len(svc.units) < want:
            unit = _Unit(next(self._uids), svc.spec, [svc.spec.task()], self.now_s)
            svc.units.append(unit)
            self._pending.append(unit)
        while len(svc.units) > want:
            self._drop(svc.units.pop())

    def _end_service(self, name: str) -> None:
        svc = self._services[name]
        svc.active = False
        svc.rps = 0.0
        while svc.units:
            self._drop(svc.units.pop())
        self._tally[svc.spec.tenant].completed += 1

    def _drop(self, unit: _Unit) -> None:
        if unit.uid in self._running:
            self._stop(unit)
        else:
            self._pending.remove(unit)

    def _advance(self, t: float) -> None:
        dt = t - self.now_s
        if dt <= 0:
            return
        self._allocated_milli_s += self.cluster.allocated_gpu_milli * dt
        for name, used in self.quotas.usage_milli.items():
            self._tally[name].gpu_milli_s += used * dt
        if not self.quotas.enabled:
            for unit in self._running.values():
                self._tally[unit.tenant].gpu_milli_s += unit.request_milli * dt
        for svc in self._services.values():
            if svc.active and svc.rps > 0:
                running = sum(1 for u in svc.units if u.uid in self._running)
                served = min(svc.rps, running * svc.spec.rps_per_replica)
                tally = self._tally[svc.spec.tenant]
                tally.demand_requests += svc.rps * dt
                tally.served_requests += served * dt
        self.now_s = t

    # ------------------------------------------------------------------ scheduling
    def _prepare(self) -> None:
        if len(self._workload) != self._prepared:
            self.placer.prepare(self._workload)
            self._prepared = len(self._workload)

    def _order_key(self, unit: _Unit) -> tuple[float, int, float, int]:
        return (self.quotas.share(unit.tenant), -unit.job.priority, unit.submitted_s, unit.uid)

    def _schedule(self) -> None:
        # Gang shapes that found no room this pass: without preemption, and even with it.
        no_room: set[tuple[TaskSpec, ...]] = set()
        no_room_at_all: set[tuple[TaskSpec, ...]] = set()
        for unit in sorted(self._pending, key=self._order_key):
            if unit not in self._pending:
                continue  # dropped while preempting for another unit
            shape = tuple(unit.tasks)
            may_preempt = unit.guaranteed and self.quotas.within_nominal(
                unit.tenant, unit.request_milli
            )
            if shape in no_room_at_all or (shape in no_room and not may_preempt):
                continue
            borrowed = self._admit(unit)
            if borrowed is None:
                continue
            if self._try_place(unit):
                self._start(unit, borrowed)
                continue
            no_room.add(shape)
            if may_preempt and not borrowed:
                if self._preempt_for(unit):
                    self._start(unit, borrowed)
                else:
                    no_room_at_all.add(shape)
        self.quotas.check()

    def _admit(self, unit: _Unit) -> bool | None:
        """None: no quota now; else whether the unit would run on borrowed quota."""
        if not self.quotas.enabled:
            return False
        r = unit.request_milli
        if self.quotas.within_nominal(unit.tenant, r):
            if self._reclaim(unit.tenant, r):
                return False
            return None
        return True if self.quotas.can_borrow(unit.tenant, r) else None

    def _reclaim(self, tenant: str, request_milli: int) -> bool:
        """Make cohort room for a within-nominal request by evicting borrowed work."""
        q = self.quotas
        over = q.cohort_usage(tenant) + request_milli - q.cohort_nominal(tenant)
        if over <= 0:
            return True
        members = set(q.cohort_members(tenant))
        victims = sorted(
            (u for u in self._running.values() if u.borrowed and u.tenant in members),
            key=lambda u: (u.job.priority, -(u.started_s or 0.0)),
        )
        if sum(u.request_milli for u in victims) < over:
            return False
        for v in victims:
            if over <= 0:
                break
            over -= v.request_milli
            self._evict(v)
        return True

    def _try_place(self, unit: _Unit) -> bool:
        """Gang placement: every task placed, or none (rolled back)."""
        done: list[Placement] = []
        for task in unit.tasks:
            p = self.placer.place(task)
            if p is None:
                for q in done:
                    self.cluster.release(q)
                return False
            done.append(p)
        unit.placements = done
        return True

    def _preempt_for(self, unit: _Unit) -> bool:
        """Free room for guaranteed ``unit`` by evicting preemptible work; undo if in vain."""
        victims = sorted(
            (u for u in self._running.values() if u.preemptible),
            key=lambda u: (u.job.priority, -(u.started_s or 0.0)),
        )
        if sum(v.request_milli for v in victims) + int(self.cluster.gpu_free.sum()) < (
            unit.request_milli
        ):
            return False  # even evicting every victim would not free enough GPU
        released: list[_Unit] = []
        freed = int(self.cluster.gpu_free.sum())
        for v in victims:
            for p in v.placements:
                self.cluster.release(p)
            released.append(v)
            freed += v.request_milli
            if freed >= unit.request_milli and self._try_place(unit):
                for r in released:
                    self._requeue(r)
                return True
        for r in reversed(released):  # nothing fits even so: put the victims back
            r.placements = [self.cluster.allocate(p.task, p.node, p.gpus) for p in r.placements]
        return False

    def _start(self, unit: _Unit, borrowed: bool) -> None:
        self._pending.remove(unit)
        unit.borrowed = borrowed
        unit.started_s = self.now_s
        unit.token += 1
        self._running[unit.uid] = unit
        if self.quotas.enabled:
            self.quotas.add(unit.tenant, unit.request_milli)
        if not unit.ever_started:
            unit.ever_started = True
            self._tally[unit.tenant].queue_delays_s.append(self.now_s - unit.submitted_s)
        if isinstance(unit.job, TrainingJob):
            run_s = self.run_time_s(unit.job, unit.placements)
            self._push(self.now_s + run_s, _FINISH, (unit.uid, unit.token))

    def _stop(self, unit: _Unit) -> None:
        for p in unit.placements:
            self.cluster.release(p)
        unit.placements = []
        del self._running[unit.uid]
        if self.quotas.enabled:
            self.quotas.add(unit.tenant, -unit.request_milli)

    def _evict(self, unit: _Unit) -> None:
        self._stop(unit)
        self._pending.append(unit)
        self._tally[unit.tenant].preemptions += 1

    def _requeue(self, unit: _Unit) -> None:
        """A victim whose resources were already released: book it back as pending."""
        unit.placements = []
        del self._running[unit.uid]
        if self.quotas.enabled:
            self.quotas.add(unit.tenant, -unit.request_milli)
        self._pending.append(unit)
        self._tally[unit.tenant].preemptions += 1

    def running_units(self) -> list[tuple[str, str, bool, list[Placement]]]:
        """(job name, tenant, preemptible, placements) of every running unit."""
        return [
            (u.job.name, u.tenant, u.preemptible, list(u.placements))
            for u in self._running.values()
        ]

    def pending_count(self) -> int:
        """Units waiting for quota or room."""
        return len(self._pending)
