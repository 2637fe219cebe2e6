"""The pipelined group committer of SQLite: batch k+1 is worked out while batch k's commit
is being written to disk.

A durable SQLite commit spends most of its time in fsync, with Python's GIL released. The
plain committer waits through it; this one hands the commit of batch k to a *syncer* thread
(which answers batch k's callers only after the commit returned) and meanwhile applies batch
k+1 in memory: it starts from the state batch k left (cached rows, histories, idempotency
results, batch k's postings as pending deltas) and reads anything else through a second
connection whose read snapshot was taken just *before* batch k's commit, so it sees neither
more nor less than batch k's starting point.

Batch k+1 is then flushed only if nothing else wrote in between: after ``BEGIN IMMEDIATE`` the
writer's ``PRAGMA data_version`` must equal the value read inside batch k (it changes only
when *another* connection commits). If it changed, if batch k's commit failed, or if the
batch holds operator requests (which write directly), the prepared work is dropped and the
batch runs the plain way in the fresh transaction. Either way no answer is given before the
batch's own commit. An idle committer closes its read snapshot after ``IDLE_S`` so that it
never pins the WAL.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection, RootTransaction

from lantern.campaign._committer import _STOP, Committer, Outcome, Request, resolve
from lantern.campaign._unit import Tx
from lantern.logs import get_logger

if TYPE_CHECKING:
    from lantern.campaign._core import EngineCore

__all__ = ["PipelinedCommitter"]

PIPELINED_OPS = frozenset(
    {"claim", "referral", "reserve", "capture", "release", "spend_cash", "refund"}
)
IDLE_S = 0.2  # an idle committer closes its read snapshot after this long
CARRY_MAX = 200_000  # cached entries carried from batch to batch before starting afresh
_log = get_logger("campaign.pipeline")


@dataclass
class _Commit:
    """A batch whose commit the syncer is writing."""

    trans: RootTransaction
    batch: list[Request]
    outcomes: list[Outcome]
    done: threading.Event = field(default_factory=threading.Event)
    ok: bool = False


class _Syncer(threading.Thread):
    """Commits handed-over transactions one at a time, then answers their callers."""

    def __init__(self, index: int) -> None:
        super().__init__(name=f"campaign-syncer-{index}", daemon=True)
        self.jobs: queue.SimpleQueue[_Commit | None] = queue.SimpleQueue()

    def run(self) -> None:
        while (job := self.jobs.get()) is not None:
            try:
                job.trans.commit()
                job.ok = True
            except Exception as exc:
                _log.warning("commit failed; the batch runs again", error=repr(exc))
                try:
                    job.trans.rollback()
                except Exception as rollback_exc:  # the connection is gone; it reconnects
                    _log.warning("rollback after a failed commit failed", error=repr(rollback_exc))
            job.done.set()
            if job.ok:
                resolve(job.outcomes)


def _data_version(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA data_version").scalar_one())


class PipelinedCommitter(Committer):
    """SQLite's single committer, pipelined (see the module docstring)."""

    def __init__(
        self, core: EngineCore, inbox: queue.SimpleQueue[Any], index: int, batch_max: int
    ) -> None:
        super().__init__(core, inbox, index, batch_max)
        self._syncer = _Syncer(index)
        self._reader: Connection | None = None
        self._snapshot: RootTransaction | None = None
        self.prepared_batches = 0

    def run(self) -> None:
        self._syncer.start()
        prev: Tx | None = None
        inflight: _Commit | None = None
        version = 0
        try:
            while True:
                batch, stop = self._take()
                if batch:
                    self.batches += 1
                    self.requests += len(batch)
                    prev, inflight, version = self._step(batch, prev, inflight, version)
                if stop:
                    break
        finally:
            self._finish(inflight)

    def _take(self) -> tuple[list[Request], bool]:
        try:
            first = self.inbox.get(timeout=IDLE_S)
        except queue.Empty:
            self._end_snapshot()  # idle: do not pin the WAL with an open read transaction
            first = self.inbox.get()
        if first is _STOP:
            return [], True
        batch = [first]
        while len(batch) < self.batch_max:
            try:
                item = self.inbox.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                return batch, True
            batch.append(item)
        return batch, False

    def _finish(self, inflight: _Commit | None) -> None:
        if inflight is not None and not self._settle(inflight):
            self.run_batch(inflight.batch)
        self._end_snapshot()
        self._syncer.jobs.put(None)
        self._syncer.join()
        if self._reader is not None:
            self._reader.close()
        self._close_connection()

    def _settle(self, inflight: _Commit) -> bool:
        inflight.done.wait()
        return inflight.ok

    # --- snapshot of the state before the commit in flight -------------------------------
    def _begin_snapshot(self) -> None:
        if self._reader is None or self._reader.closed:
            self._reader = self.core.db.connect().execution_options(readonly=True)
        self._snapshot = self._reader.begin()
        self._reader.exec_driver_sql("SELECT count(*) FROM cmp_campaign").scalar()

    def _end_snapshot(self) -> None:
        if self._snapshot is not None:
            self._snapshot.rollback()
            self._snapshot = None

    def _prepare(self, batch: list[Request], prev: Tx) -> tuple[Tx, list[Outcome]] | None:
        """Apply the batch in memory on top of ``prev`` and the snapshot; None on any error."""
        assert self._reader is not None
        core, reader = self.core, self._reader
        try:
            tx = Tx(reader, core.clock.now(), core, home_bucket=0)
            tx.carry(prev)
            tx.load_campaigns({r.campaign_id for r in batch} - set(tx.campaigns))
            for cid in {r.campaign_id for r in batch}:
                row, cfg = tx.campaigns.get(cid), tx.cfgs.get(cid)
                if row is None or cfg is None or cfg.version != row["config_version"]:
                    return None  # a configuration read from the snapshot could be stale
            missing = [
                r for r in batch if r.key is not None and (r.campaign_id, r.key) not in tx.known
            ]
            tx.known.update(core.load_idempotency(reader, missing))
            self._preload(tx, batch)
            outcomes = [self._one(tx, req, tx.known) for req in batch]
        except Exception as exc:  # the plain path will run it and report properly
            _log.info("prepared batch dropped", error=repr(exc))
            return None
        return tx, outcomes

    # --- one batch ------------------------------------------------------------------------
    def _step(
        self, batch: list[Request], prev: Tx | None, inflight: _Commit | None, version: int
    ) -> tuple[Tx | None, _Commit | None, int]:
        prepared = None
        if (
            inflight is not None
            and prev is not None
            and all(r.op in PIPELINED_OPS for r in inflight.batch)
            and self._snapshot is not None
            and prev.cached_size() < CARRY_MAX
            and all(r.op in PIPELINED_OPS for r in batch)
        ):
            prepared = self._prepare(batch, prev)
        self._end_snapshot()
        if inflight is not None and not self._settle(inflight):
            self.run_batch(inflight.batch)
            prepared = None
        if self._conn is None or self._conn.closed:
            self._conn = self.core.db.connect()
        conn = self._conn
        trans = conn.begin()
        try:
            if prepared is not None and _data_version(conn) != version:
                prepared = None  # another process wrote meanwhile: start afresh
            if prepared is not None:
                tx, outcomes = prepared
                tx.conn = conn
                tx.flush()
                self.prepared_batches += 1
            else:
                tx, outcomes = self.process(conn, batch)
            version = _data_version(conn)
            self._begin_snapshot()
        except BaseException:
            self._end_snapshot()
            if trans.is_active:
                trans.rollback()
            if conn.invalidated:
                conn.close()
            self.run_batch(batch)  # the plain path: retries, isolation, answers
            return None, None, version
        job = _Commit(trans, batch, outcomes)
        self._syncer.jobs.put(job)
        return tx, job, version
