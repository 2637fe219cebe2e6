"""The raw baseline of the bench: the bare SQL claim transaction over DB-API (see _bench)."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime
from typing import Any

from lantern.campaign._config import to_us
from lantern.campaign._envelopes import bucket_seed, envelope_amount
from lantern.campaign._scenario import Scenario
from lantern.campaign._unit import new_id

__all__ = ["raw_claims"]

_STATEMENTS = [
    "SELECT 1 FROM cmp_idempotency WHERE campaign_id = {p} AND key = {p}",
    "SELECT count(*) FROM cmp_grant WHERE campaign_id = {p} AND user_id = {p}",
    "SELECT count_total, count_left, fen_left FROM cmp_drop_bucket "
    "WHERE campaign_id = {p} AND drop_id = {p} AND bucket = 0",
    "UPDATE cmp_drop_bucket SET count_left = count_left - 1, fen_left = fen_left - {p} "
    "WHERE campaign_id = {p} AND drop_id = {p} AND bucket = 0 AND count_left > 0",
    "UPDATE cmp_pacing_bucket SET spent_fen = spent_fen + {p}, day = {p}, "
    "day_spent_fen = day_spent_fen + {p} WHERE campaign_id = {p} AND pool = {p} AND bucket = 0",
    "INSERT INTO cmp_grant (grant_id, campaign_id, drop_id, user_id, user_seq, bucket, pool, "
    "kind, role, peer_id, amount_fen, day, at_us) "
    "VALUES ({p}, {p}, {p}, {p}, 1, 0, 'cash', 'cash', 'claim', NULL, {p}, {p}, {p})",
    "INSERT INTO cmp_journal (campaign_id, txn_id, kind, ref, account, amount_fen, at_us) "
    "VALUES ({p}, {p}, 'grant', {p}, {p}, {p}, {p})",
    "INSERT INTO cmp_account (campaign_id, account, kind, balance_fen) VALUES ({p}, {p}, {p}, {p}) "
    "ON CONFLICT (campaign_id, account) DO UPDATE SET balance_fen = cmp_account.balance_fen + "
    "excluded.balance_fen",
    "INSERT INTO cmp_idempotency (campaign_id, key, op, payload_hash, result_json, at_us) "
    "VALUES ({p}, {p}, 'claim', 'raw', {p}, {p})",
]


def _connect(url: str) -> tuple[Any, str]:
    conn: Any
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        return conn, "?"
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    options = parsed.query.get("options")
    conn = psycopg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.database,
        options=options if isinstance(options, str) else None,
    )
    return conn, "%s"


def raw_claims(url: str, scenario: Scenario, now: datetime, batch_max: int) -> float:
    """Claims per second of the bare SQL claim transaction, ``batch_max`` per commit."""
    from lantern.campaign._loader import load_campaign
    from lantern.campaign._store import make_engine
    from lantern.clock import FakeClock

    db = make_engine(url)
    load_campaign(db, scenario, 1, FakeClock(now), replace=False)
    db.dispose()
    conn, p = _connect(url)
    sql = [stmt.format(p=p) for stmt in _STATEMENTS]
    cid, drop = scenario.id, scenario.drops[0]
    cap = drop.cap_fen or drop.total_fen
    seed = bucket_seed(scenario.seed, drop.id, 0)
    now_us, day = to_us(now), now.astimezone(scenario.calendar.zone).date().isoformat()
    account = f"drop:{drop.id}#0"
    cur = conn.cursor()
    start = time.perf_counter()
    for first in range(0, drop.count, batch_max):
        if p == "?":
            cur.execute("BEGIN IMMEDIATE")
        for i in range(first, min(first + batch_max, drop.count)):
            user, key, gid = f"u{i}", f"k{i}", new_id("g")
            cur.execute(sql[0], (cid, key))
            assert cur.fetchone() is None
            cur.execute(sql[1], (cid, user))
            assert cur.fetchone()[0] == 0
            cur.execute(sql[2], (cid, drop.id))
            total, left, fen_left = cur.fetchone()
            amount = envelope_amount(seed, total - left, fen_left, left, cap)
            cur.execute(sql[3], (amount, cid, drop.id))
            cur.execute(sql[4], (amount, day, amount, cid, "cash"))
            cur.execute(sql[5], (gid, cid, drop.id, user, amount, day, now_us))
            cur.execute(sql[6], (cid, gid, gid, account, -amount, now_us))
            cur.execute(sql[6], (cid, gid, gid, f"wallet:{user}", amount, now_us))
            cur.execute(sql[7], (cid, account, "drop", -amount))
            cur.execute(sql[7], (cid, f"wallet:{user}", "wallet", amount))
            cur.execute(sql[8], (cid, key, gid, now_us))
        conn.commit() if p == "%s" else cur.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return drop.count / elapsed
