"""The unit of work of one committed batch: cached rows, pending writes and an undo log.

A batch loads each row it needs once (locked ``FOR UPDATE`` on PostgreSQL; SQLite holds the
file's write lock from ``BEGIN IMMEDIATE``), applies every request to the cached rows, and
flushes all writes with one ``executemany`` per table just before the commit. Each request
runs between :meth:`Tx.mark` and either nothing (success) or :meth:`Tx.rollback_to` (refused),
so a refused request leaves no trace even though it shares the transaction.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from lantern.campaign import _schema as s
from lantern.campaign._config import CampaignConfig, to_us
from lantern.campaign._store import lock_users
from lantern.campaign.errors import NotFoundError

if TYPE_CHECKING:
    from lantern.campaign._core import EngineCore

__all__ = ["History", "Tx", "new_id"]

Row = dict[str, Any]
TupleRow = tuple[Any, ...]
History = list[tuple[str, str, int, str]]  # (drop_id, day, amount_fen, role) per grant


_ids = random.Random(os.urandom(16))
os.register_at_fork(after_in_child=lambda: _ids.seed(os.urandom(16)))


def new_id(prefix: str) -> str:
    """A time-ordered id (like UUIDv7): microseconds since the epoch, then 48 random bits
    (a PRNG seeded from the OS, reseeded in forked children), after a one-letter type
    prefix. New rows land at the end of the primary-key B-trees, so a batch of inserts
    dirties few pages (a random id would dirty one page per row)."""
    return f"{prefix}{time.time_ns() // 1000:013x}{_ids.getrandbits(48):012x}"


_INSERT_ORDER = ("grant", "voucher", "reservation", "payment", "journal", "idempotency")
_TABLES = {
    "grant": s.grant,
    "voucher": s.voucher,
    "reservation": s.reservation,
    "payment": s.payment,
    "journal": s.journal,
    "idempotency": s.idempotency,
}
# table -> (key columns, mutable columns) for flushing updates
_UPDATABLE: dict[str, tuple[Any, tuple[str, ...], tuple[str, ...]]] = {
    "drop_bucket": (
        s.drop_bucket,
        ("campaign_id", "drop_id", "bucket"),
        ("count_left", "fen_left"),
    ),
    "pacing_bucket": (
        s.pacing_bucket,
        ("campaign_id", "pool", "bucket"),
        ("spent_fen", "day", "day_spent_fen"),
    ),
    "voucher": (s.voucher, ("voucher_id",), ("state",)),
    "reservation": (s.reservation, ("reservation_id",), ("state",)),
    "payment": (s.payment, ("payment_id",), ("state",)),
    "campaign": (s.campaign, ("campaign_id",), ("frozen", "frozen_reason", "config_version")),
}


def _update_stmt(name: str) -> Any:
    table, keys, cols = _UPDATABLE[name]
    stmt = update(table)
    for key in keys:
        stmt = stmt.where(table.c[key] == bindparam(f"k_{key}"))
    return stmt.values({col: bindparam(f"v_{col}") for col in cols})


_UPDATE_STMTS = {name: _update_stmt(name) for name in _UPDATABLE}
COLUMNS = {
    name: [c.name for c in table.columns if c.name != "entry_id"] for name, table in _TABLES.items()
}
ACCOUNT_UPSERT = (
    "INSERT INTO cmp_account (campaign_id, account, kind, balance_fen) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (campaign_id, account) DO UPDATE "
    "SET balance_fen = cmp_account.balance_fen + excluded.balance_fen"
)


def _insert_sql(name: str, mark: str) -> str:
    cols = COLUMNS[name]
    table = _TABLES[name].name
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"


_BUCKETS = ("drop_bucket", "pacing_bucket")
_FETCH: dict[tuple[str, tuple[str, ...], bool], Any] = {}


def _fetch_stmt(table: Any, cols: tuple[str, ...], skip_locked: bool) -> Any:
    """``SELECT * FROM table WHERE col = :col ... FOR UPDATE``, built once per shape."""
    key = (table.name, cols, skip_locked)
    stmt = _FETCH.get(key)
    if stmt is None:
        stmt = select(table)
        for col in cols:
            stmt = stmt.where(table.c[col] == bindparam(col))
        stmt = _FETCH[key] = stmt.with_for_update(skip_locked=skip_locked)
    return stmt


def in_list(conn: Connection, values: list[Any]) -> str:
    """``(?, ?, ...)`` placeholders for a driver-level IN list (``%s`` on psycopg)."""
    mark = "%s" if conn.dialect.name == "postgresql" else "?"
    return "(" + ", ".join([mark] * len(values)) + ")"


class Tx:
    """One batch transaction's state (see the module docstring)."""

    def __init__(self, conn: Connection, now: datetime, core: EngineCore, home_bucket: int) -> None:
        self.conn = conn
        self.core = core
        self.now = now.astimezone(UTC)
        self.now_us = to_us(self.now)
        self.home_bucket = home_bucket
        self.pg = conn.dialect.name == "postgresql"
        self.undo: list[Callable[[], object]] = []
        self.inserts: dict[str, list[Any]] = {name: [] for name in _INSERT_ORDER}
        self.dirty: dict[str, dict[tuple[Any, ...], Row]] = {name: {} for name in _UPDATABLE}
        self.deltas: dict[tuple[str, str], int] = {}
        self.campaigns: dict[str, Row] = {}
        self.rows: dict[tuple[str, tuple[Any, ...]], Row | None] = {}
        self.history: dict[tuple[str, str], History] = {}
        self.balances: dict[tuple[str, str], int] = {}
        self.busy: set[tuple[str, tuple[Any, ...]]] = set()
        self.drained: dict[tuple[str, str], frozenset[int]] = {}
        self.cfgs: dict[str, CampaignConfig] = {}
        self.pending: dict[tuple[str, str], int] = {}
        self.known: dict[tuple[str, str], tuple[str, str, str, Any]] = {}
        self.batch_users: set[tuple[str, str]] = set()
        self.batch_keys: set[tuple[str, str]] = set()
        self._days: dict[str, str] = {}

    def carry(self, prev: Tx) -> None:
        """Continue from the state ``prev`` left (a flushed batch whose commit is still on its
        way to disk), reading everything else from a snapshot taken *before* that commit. Only
        what ``prev`` may have changed comes over: bucket rows, the rows it changed or
        inserted, the histories of its users, its idempotency results, campaign rows; its
        postings become pending deltas on top of balances read from the snapshot."""
        rows: dict[tuple[str, tuple[Any, ...]], Row | None] = {
            k: v for k, v in prev.rows.items() if k[0] in _BUCKETS and v is not None
        }
        for name in ("voucher", "reservation", "payment"):
            for key, row in prev.dirty[name].items():
                rows[(name, key)] = row
            for row in prev.inserts[name]:
                rows[(name, (row[f"{name}_id"],))] = row
        self.rows = rows
        self.history = {k: prev.history[k] for k in prev.batch_users if k in prev.history}
        self.known = {k: prev.known[k] for k in prev.batch_keys if k in prev.known}
        self.campaigns = prev.campaigns
        self.cfgs = prev.cfgs
        self.pending = prev.deltas

    def cached_size(self) -> int:
        return len(self.rows) + len(self.history) + len(self.known) + len(self.balances)

    # --- undo log ---------------------------------------------------------------------
    def mark(self) -> int:
        return len(self.undo)

    def rollback_to(self, mark: int) -> None:
        while len(self.undo) > mark:
            self.undo.pop()()

    def add_row(self, table: str, row: Row | TupleRow) -> None:
        """Queue an insert: a dict, or for grant, journal and idempotency a tuple in
        column order (see ``COLUMNS``)."""
        rows = self.inserts[table]
        rows.append(row)
        self.undo.append(rows.pop)

    def change(self, table: str, key: tuple[Any, ...], row: Row, **changes: Any) -> None:
        """Change cached ``row`` (flushed as an UPDATE of ``table`` at ``key``)."""
        self.undo.append(partial(row.update, {col: row[col] for col in changes}))
        row.update(changes)
        self.dirty[table][key] = row

    def post(
        self, campaign_id: str, txn_id: str, kind: str, ref: str, legs: list[tuple[str, int]]
    ) -> None:
        """Append one balanced journal transaction and update the cached balances."""
        journal, deltas = self.inserts["journal"], self.deltas
        size = len(journal)
        olds: list[tuple[tuple[str, str], int]] = []
        total = 0
        for account, amount in legs:
            assert amount != 0, legs
            total += amount
            journal.append((campaign_id, txn_id, kind, ref, account, amount, self.now_us))
            key = (campaign_id, account)
            old = deltas.get(key, 0)
            olds.append((key, old))
            deltas[key] = old + amount
        assert total == 0, legs
        assert len(legs) >= 2, legs

        def undo() -> None:
            del journal[size:]
            for key, old in reversed(olds):
                deltas[key] = old

        self.undo.append(undo)

    # --- cached reads ----------------------------------------------------------------------
    def day(self, cfg: CampaignConfig) -> str:
        day = self._days.get(cfg.campaign_id)
        if day is None:
            day = self._days[cfg.campaign_id] = cfg.day(self.now)
        return day

    def load_campaigns(self, campaign_ids: set[str]) -> None:
        ids = sorted(campaign_ids)
        if not ids:
            return
        sql = (
            "SELECT campaign_id, frozen, frozen_reason, config_version, buckets FROM cmp_campaign "
            f"WHERE campaign_id IN {in_list(self.conn, ids)}"
        )
        for cid, frozen, reason, version, buckets in self.conn.exec_driver_sql(sql, tuple(ids)):
            self.campaigns[cid] = {
                "campaign_id": cid,
                "frozen": bool(frozen),
                "frozen_reason": reason,
                "config_version": version,
                "buckets": buckets,
            }

    def config(self, campaign_id: str) -> CampaignConfig:
        row = self.campaigns.get(campaign_id)
        if row is None:
            self.load_campaigns({campaign_id})
            row = self.campaigns.get(campaign_id)
        if row is None:
            raise NotFoundError(
                f"no campaign {campaign_id!r} is loaded; load it first (lantern campaign load)"
            )
        cfg = self.core.config(self.conn, campaign_id, row["config_version"])
        self.cfgs[campaign_id] = cfg
        return cfg

    def row(self, name: str, key: tuple[Any, ...], loader: Callable[[], Row | None]) -> Row | None:
        cache_key = (name, key)
        if cache_key not in self.rows:
            self.rows[cache_key] = loader()
        return self.rows[cache_key]

    def drained_buckets(self, campaign_id: str, drop_id: str) -> frozenset[int]:
        """The drop's buckets with no envelope left in committed state, read without locks.

        A drop bucket's ``count_left`` only ever goes down (grants; the end-of-campaign sweep
        sets it to 0), so a committed 0 is final: such buckets need no row lock to be passed
        over. This keeps committers from holding locks on empty buckets while they wait for
        others (the deadlock cycles near a drop's exhaustion), and lets a claim on an empty
        drop be refused without locking anything. One query per drop and batch."""
        key = (campaign_id, drop_id)
        if key not in self.drained:
            t = s.drop_bucket
            rows = self.conn.execute(
                select(t.c.bucket).where(
                    t.c.campaign_id == campaign_id, t.c.drop_id == drop_id, t.c.count_left == 0
                )
            ).scalars()
            self.drained[key] = frozenset(int(b) for b in rows)
        return self.drained[key]

    def fetch_one(self, table: Any, *, skip_locked: bool = False, **where: Any) -> Row | None:
        """One row by equality on ``where``'s columns, locked on PostgreSQL (``skip_locked``:
        None when another transaction holds it)."""
        stmt = _fetch_stmt(table, tuple(where), skip_locked)
        found = self.conn.execute(stmt, where).mappings().first()
        return dict(found) if found is not None else None

    def preload_rows(self, name: str, table: Any, key: str, ids: set[str]) -> list[Row]:
        """Lock and cache many rows by primary key with one query (None when absent)."""
        todo = sorted(i for i in ids if (name, (i,)) not in self.rows)
        if not todo:
            return []
        stmt = (
            select(table)
            .where(table.c[key].in_(bindparam("ids", expanding=True)))
            .with_for_update()
        )
        found = [dict(r) for r in self.conn.execute(stmt, {"ids": todo}).mappings()]
        for i in todo:
            self.rows[(name, (i,))] = None
        for row in found:
            self.rows[(name, (row[key],))] = row
        return found

    def preload_balances(self, campaign_id: str, accounts: set[str]) -> None:
        todo = sorted(a for a in accounts if (campaign_id, a) not in self.balances)
        if not todo:
            return
        t = s.account
        stmt = (
            select(t.c.account, t.c.balance_fen)
            .where(
                t.c.campaign_id == campaign_id, t.c.account.in_(bindparam("ids", expanding=True))
            )
            .with_for_update()
        )
        for account in todo:
            self.balances[(campaign_id, account)] = self.pending.get((campaign_id, account), 0)
        for account, balance in self.conn.execute(stmt, {"ids": todo}):
            key = (campaign_id, account)
            self.balances[key] = int(balance) + self.pending.get(key, 0)

    def preload_history(self, campaign_id: str, user_ids: set[str]) -> None:
        """Lock (PostgreSQL) and read the grants of many users with one query."""
        todo = sorted(u for u in user_ids if (campaign_id, u) not in self.history)
        if not todo:
            return
        lock_users(self.conn, campaign_id, todo)
        for user in todo:
            self.history[(campaign_id, user)] = []
        sql = (
            "SELECT user_id, drop_id, day, amount_fen, role FROM cmp_grant "
            f"WHERE campaign_id = {in_list(self.conn, [0])[1:-1]} "
            f"AND user_id IN {in_list(self.conn, todo)}"
        )
        for user, drop, day, amount, role in self.conn.exec_driver_sql(sql, (campaign_id, *todo)):
            self.history[(campaign_id, user)].append((drop, day, amount, role))

    def user_history(self, campaign_id: str, user_id: str) -> History:
        if (campaign_id, user_id) not in self.history:
            self.preload_history(campaign_id, {user_id})
        return self.history[(campaign_id, user_id)]

    def add_history(self, campaign_id: str, user_id: str, entry: tuple[str, str, int, str]) -> None:
        history = self.history[(campaign_id, user_id)]
        history.append(entry)
        self.undo.append(history.pop)

    def balance(self, campaign_id: str, account: str) -> int:
        """Current balance: the stored cached balance plus this batch's pending postings."""
        key = (campaign_id, account)
        if key not in self.balances:
            t = s.account
            stmt = select(t.c.balance_fen).where(
                t.c.campaign_id == campaign_id, t.c.account == account
            )
            found = self.conn.execute(stmt.with_for_update()).scalar()
            self.balances[key] = int(found or 0) + self.pending.get(key, 0)
        return self.balances[key] + self.deltas.get(key, 0)

    # --- flush ---------------------------------------------------------------------------
    def flush(self) -> None:
        """Write everything in one executemany per table (pre-rendered SQL, tuples)."""
        conn = self.conn
        mark = "%s" if self.pg else "?"
        for name in _INSERT_ORDER:
            rows = self.inserts[name]
            if not rows:
                continue
            if isinstance(rows[0], dict):
                rows = [tuple(row[c] for c in COLUMNS[name]) for row in rows]
            conn.exec_driver_sql(_insert_sql(name, mark), rows)
        for name, dirty in self.dirty.items():
            if not dirty:
                continue
            _, keys, cols = _UPDATABLE[name]
            params = [
                {**{f"k_{k}": row[k] for k in keys}, **{f"v_{c}": row[c] for c in cols}}
                for _, row in sorted(dirty.items())
            ]
            conn.execute(_UPDATE_STMTS[name], params)
        accounts = [
            (cid, acc, acc.split(":", 1)[0], delta)
            for (cid, acc), delta in sorted(self.deltas.items())
            if delta != 0
        ]
        if accounts:
            conn.exec_driver_sql(ACCOUNT_UPSERT.replace("?", mark), accounts)
