"""The group committer: a thread that runs many requests per durable transaction.

Callers put :class:`Request` objects on a queue and get a Future. The committer takes the
first waiting request and every other one already queued (up to ``batch_max``), runs them
all in one transaction (see :mod:`._unit`), commits (an fsync on SQLite with
``synchronous=FULL``, a WAL flush on PostgreSQL), and only then resolves the futures: an
answer is never given for a write that is not on disk. While one batch commits, the next
one queues up, so the cost of a commit is shared by all requests that arrived during it.

If a batch fails with a retriable database error (deadlock, serialization failure, a unique
key race with another process, a busy file) it runs again from scratch; idempotency keys
make that safe. A batch that keeps failing is split into single requests so that one bad
request cannot fail the others.
"""

from __future__ import annotations

import asyncio
import queue
import random
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from lantern.campaign._unit import Tx
from lantern.campaign.errors import CampaignError, IdempotencyConflict, StorageUnavailable
from lantern.logs import get_logger

if TYPE_CHECKING:
    from lantern.campaign._core import EngineCore

__all__ = ["Committer", "Request"]

MAX_ATTEMPTS = 25
_log = get_logger("campaign.committer")


@dataclass(slots=True)
class Request:
    """One queued mutating call."""

    op: str
    campaign_id: str
    key: str | None
    payload: dict[str, Any]
    payload_hash: str
    future: Future[Any] | asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop | None = None


def _settle(items: list[tuple[Request, Any, BaseException | None]]) -> None:
    for req, result, error in items:
        if req.future.cancelled():
            continue
        if error is not None:
            req.future.set_exception(error)
        else:
            req.future.set_result(result)


def resolve(outcomes: list[tuple[Request, Any, BaseException | None]]) -> None:
    """Answer every request of a committed batch; requests from an asyncio loop are
    answered with one wake-up of that loop per batch."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[Request, Any, BaseException | None]]] = {}
    direct = []
    for item in outcomes:
        loop = item[0].loop
        if loop is None:
            direct.append(item)
        else:
            by_loop.setdefault(loop, []).append(item)
    _settle(direct)
    for loop, items in by_loop.items():
        try:
            loop.call_soon_threadsafe(_settle, items)
        except RuntimeError:  # the loop was closed while the request ran
            continue


Outcome = tuple[Request, Any, BaseException | None]
_STOP = object()
_HANDLERS: dict[str, Any] = {}


def _handlers() -> dict[str, Any]:
    if not _HANDLERS:
        from lantern.campaign._ops import HANDLERS

        _HANDLERS.update(HANDLERS)
    return _HANDLERS


class Committer(threading.Thread):
    """One committer thread with its own connection (see the module docstring)."""

    def __init__(
        self, core: EngineCore, inbox: queue.SimpleQueue[Any], index: int, batch_max: int
    ) -> None:
        super().__init__(name=f"campaign-committer-{index}", daemon=True)
        self.core = core
        self.inbox = inbox
        self.index = index
        self.batch_max = batch_max
        self.batches = 0
        self.requests = 0
        self._conn: Connection | None = None

    def stop(self) -> None:
        self.inbox.put(_STOP)

    def run(self) -> None:
        while True:
            first = self.inbox.get()
            if first is _STOP:
                self._close_connection()
                return
            batch = [first]
            stop = False
            while len(batch) < self.batch_max:
                try:
                    item = self.inbox.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True
                    break
                batch.append(item)
            self.batches += 1
            self.requests += len(batch)
            self.run_batch(batch)
            if stop:
                self._close_connection()
                return

    def _close_connection(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def run_batch(self, batch: list[Request]) -> None:
        outcomes: list[tuple[Request, Any, BaseException | None]] = []
        for attempt in range(MAX_ATTEMPTS):
            try:
                outcomes = self._attempt(batch)
                break
            except AssertionError as exc:
                _log.critical("invariant broken", error=repr(exc))
                outcomes = [(req, None, exc) for req in batch]
                break
            except Exception as exc:
                from lantern.campaign._store import is_retriable

                if is_retriable(exc) and attempt < MAX_ATTEMPTS - 1:
                    time.sleep(random.uniform(0, min(0.05, 0.001 * 2**attempt)))
                    continue
                if len(batch) > 1:
                    for req in batch:
                        self.run_batch([req])
                    return
                _log.error("request failed", op=batch[0].op, error=repr(exc))
                error = StorageUnavailable(f"the database failed the request: {type(exc).__name__}")
                error.__cause__ = exc
                outcomes = [(batch[0], None, error)]
        resolve(outcomes)

    def _attempt(self, batch: list[Request]) -> list[tuple[Request, Any, BaseException | None]]:
        core = self.core
        if self._conn is None or self._conn.closed:
            self._conn = core.db.connect()  # kept for the thread's life: no pool round trip
        conn = self._conn
        try:
            with conn.begin():
                _, outcomes = self.process(conn, batch)
        except BaseException:
            if conn.invalidated:
                conn.close()
            raise
        return outcomes

    def process(self, conn: Connection, batch: list[Request]) -> tuple[Tx, list[Outcome]]:
        """Run a batch in the open transaction of ``conn`` and flush it (no commit)."""
        core = self.core
        tx = Tx(conn, core.clock.now(), core, home_bucket=random.randrange(1 << 30))
        tx.load_campaigns({req.campaign_id for req in batch})
        tx.known = core.load_idempotency(conn, batch)
        self._preload(tx, batch)
        outcomes = [self._one(tx, req, tx.known) for req in batch]
        tx.flush()
        return tx, outcomes

    def _preload(self, tx: Tx, batch: list[Request]) -> None:
        """Read what the batch needs with one query per kind of row."""
        from lantern.campaign import _schema as s

        users: dict[str, set[str]] = {}
        wallets: dict[str, set[str]] = {}
        vouchers: set[str] = set()
        reservations: set[str] = set()
        payments: set[str] = set()
        for req in batch:
            cid, op, p = req.campaign_id, req.op, req.payload
            if cid not in tx.campaigns:
                continue
            if op == "claim":
                users.setdefault(cid, set()).add(p["user_id"])
            elif op == "referral":
                users.setdefault(cid, set()).update((p["inviter_id"], p["invitee_id"]))
            elif op == "reserve":
                vouchers.add(p["voucher_id"])
            elif op == "spend_cash":
                wallets.setdefault(cid, set()).add(f"wallet:{p['user_id']}")
            elif op in ("capture", "release", "refund") and p.get("reservation_id"):
                reservations.add(p["reservation_id"])
            elif op == "refund" and p.get("payment_id"):
                payments.add(p["payment_id"])
        for cid, ids in sorted(users.items()):
            tx.preload_history(cid, ids)
            tx.batch_users.update((cid, u) for u in ids)
        tx.batch_keys.update((r.campaign_id, r.key) for r in batch if r.key is not None)
        for row in tx.preload_rows("reservation", s.reservation, "reservation_id", reservations):
            vouchers.add(row["voucher_id"])
        tx.preload_rows("voucher", s.voucher, "voucher_id", vouchers)
        tx.preload_rows("payment", s.payment, "payment_id", payments)
        for cid, accounts in sorted(wallets.items()):
            tx.preload_balances(cid, accounts)

    def _one(
        self, tx: Tx, req: Request, known: dict[tuple[str, str], tuple[str, str, str, Any]]
    ) -> tuple[Request, Any, BaseException | None]:
        mark = len(tx.undo)
        try:
            cfg = tx.cfgs.get(req.campaign_id) or tx.config(req.campaign_id)
            if req.key is not None:
                hit = known.get((req.campaign_id, req.key))
                if hit is not None:
                    op, payload_hash, text, result = hit
                    if op != req.op or payload_hash != req.payload_hash:
                        raise IdempotencyConflict(
                            f"idempotency key {req.key!r} was used for another {op} request; "
                            "use a new key for a new request"
                        )
                    if result is None:
                        result = self.core.decode_result(tx.conn, op, text)
                    return req, result, None
            result, text = (_HANDLERS or _handlers())[req.op](tx, cfg, req.payload)
        except CampaignError as exc:
            tx.rollback_to(mark)
            return req, None, exc
        if req.key is not None:
            known[(req.campaign_id, req.key)] = (req.op, req.payload_hash, text, result)
            tx.add_row(
                "idempotency",
                (req.campaign_id, req.key, req.op, req.payload_hash, text, tx.now_us),
            )
        return req, result, None
