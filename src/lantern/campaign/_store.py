"""Database engines for SQLite and PostgreSQL, schema migration, and dialect helpers.

SQLite: WAL journal, ``synchronous=FULL`` (a commit is on disk before it returns), a busy
timeout, and ``BEGIN IMMEDIATE`` for writing transactions so that a batch holds the write
lock from its first read (no lost updates between processes). PostgreSQL: READ COMMITTED
with row locks (``SELECT ... FOR UPDATE``) and per-user advisory locks.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from lantern.campaign.errors import InvalidRequest

__all__ = [
    "is_retriable",
    "lock_users",
    "make_engine",
    "migrate",
]

MIGRATIONS = Path(__file__).parent / "migrations"
_migrate_lock = threading.Lock()
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = "DEFERRED" if conn.get_execution_options().get("readonly") else "IMMEDIATE"
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, *, pool_size: int = 8) -> Engine:
    """An SQLAlchemy engine configured for durable, multi-process-safe use."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if not path or path == ":memory:":
            raise InvalidRequest("the campaign engine needs a SQLite file (sqlite:///path.db)")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=pool_size,
            max_overflow=pool_size,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("postgresql"):
        return create_engine(
            url, pool_size=pool_size, max_overflow=pool_size, isolation_level="READ COMMITTED"
        )
    raise InvalidRequest(
        f"unsupported database URL {url!r}: use sqlite:/// or postgresql+psycopg://"
    )


def migrate(url: str) -> None:
    """Create or upgrade the campaign schema to the newest Alembic revision."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = make_engine(url, pool_size=1)
    try:
        with _migrate_lock, engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(744201)"))
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def lock_users(conn: Connection, campaign_id: str, user_ids: list[str]) -> None:
    """PostgreSQL: take per-user transaction advisory locks in a fixed order, so that two
    processes never check the same user's quotas at once. SQLite needs none (one writer)."""
    if conn.dialect.name != "postgresql" or not user_ids:
        return
    keys = sorted({f"{campaign_id}/{u}" for u in user_ids})
    conn.execute(
        text(
            "SELECT pg_advisory_xact_lock(hashtextextended(k, 7)) "
            "FROM (SELECT unnest(CAST(:keys AS text[])) AS k ORDER BY 1) AS s"
        ),
        {"keys": keys},
    )


def is_retriable(exc: BaseException) -> bool:
    """Errors after which the whole batch may simply run again: deadlocks, serialization
    failures, unique-key races between processes, a busy SQLite file."""
    if isinstance(exc, IntegrityError):
        return True
    if isinstance(exc, OperationalError):
        return True
    if isinstance(exc, DBAPIError):
        code = getattr(exc.orig, "sqlstate", None)
        return code in {"40001", "40P01", "55P03", "23505"}
    return False
