"""Several processes claiming one campaign at once, and kill -9 in the middle of claiming:
no overspend, no double grant, every acknowledged claim in the ledger, audit passes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy

from lantern.campaign import CampaignEngine
from lantern.campaign._bench import DROP, bench_scenario
from lantern.campaign._stress import STRESS_NOW
from lantern.clock import FakeClock


def _worker(
    url: str, acks: Path, first: int, last: int, prefix: str, *, keep_stderr: bool = True
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lantern.campaign._stress",
            url,
            "bench",
            DROP,
            str(acks),
            str(first),
            str(last),
            "--prefix",
            prefix,
        ],
        stderr=subprocess.PIPE if keep_stderr else subprocess.DEVNULL,
    )


def _acks(path: Path) -> dict[str, tuple[str, int]]:
    """Complete acknowledged grants in an ack file: key -> (grant id, amount)."""
    out = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] != "-":
            out[parts[0]] = (parts[1], int(parts[2]))
    return out


def _ledger(url: str) -> dict[str, tuple[str, int]]:
    db = sqlalchemy.create_engine(url)
    with db.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT i.key, g.grant_id, g.amount_fen FROM cmp_idempotency i "
            "JOIN cmp_grant g ON g.grant_id = i.result_json WHERE i.op = 'claim'"
        ).all()
    db.dispose()
    return {key: (gid, amount) for key, gid, amount in rows}


def _many_processes(url: str, tmp_path: Path, envelopes: int) -> None:
    with CampaignEngine.open(url, clock=FakeClock(STRESS_NOW)) as engine:
        engine.load(bench_scenario(envelopes))
    workers = [_worker(url, tmp_path / f"acks{n}", 0, 150, f"p{n}") for n in range(4)]
    try:
        for w in workers:
            _, err = w.communicate(timeout=240)
            assert w.returncode == 0, err.decode()[-2000:]
    finally:  # a failure must not leave workers running against the next test's schema
        for w in workers:
            if w.poll() is None:
                w.kill()
            w.communicate()
    with CampaignEngine(url, clock=FakeClock(STRESS_NOW)) as engine:
        report = engine.audit("bench")
        status = engine.status("bench")
    assert report.passed, [c for c in report.checks if not c.passed]
    granted = min(150, envelopes)
    assert status.grants == granted
    acked = {}
    for n in range(4):
        acked.update(_acks(tmp_path / f"acks{n}"))
    assert len(acked) == granted
    users = [key.split("-", 1)[1] for key in acked]
    assert len(set(users)) == granted
    if envelopes <= 150:
        assert sum(amount for _, amount in acked.values()) == envelopes * 500


@pytest.mark.slow
@pytest.mark.parametrize("envelopes", [100, 400])
def test_processes_on_sqlite(sqlite_url: str, tmp_path: Path, envelopes: int) -> None:
    """Four processes claim for the same 150 users: each user gets at most one envelope,
    the drop never pays more than its total, and the audit passes."""
    _many_processes(sqlite_url, tmp_path, envelopes)


@pytest.mark.slow
@pytest.mark.postgres
def test_processes_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    """The same race on the real PostgreSQL server (sharded buckets, advisory user locks)."""
    _many_processes(pg_url, tmp_path, 100)


def _kill_and_check(url: str, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    acks = tmp_path / f"acks-{seed}"
    worker = _worker(url, acks, 0, 3000, "k", keep_stderr=False)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not acks.exists() or acks.stat().st_size < 200):
        time.sleep(0.02)
    time.sleep(rng.uniform(0.0, 0.5))
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    acked = _acks(acks)
    assert acked, "the worker acknowledged nothing before it was killed"
    ledger = _ledger(url)
    missing = {k: v for k, v in acked.items() if ledger.get(k) != v}
    assert not missing, f"acknowledged but not in the ledger: {list(missing.items())[:5]}"
    with CampaignEngine.open(url, clock=FakeClock(STRESS_NOW)) as engine:
        report = engine.audit("bench")
        assert report.passed, [c for c in report.checks if not c.passed]
        key = next(iter(acked))
        user = key.split("-", 1)[1]
        grant = engine.claim("bench", user, drop_id=DROP, idempotency_key=key)
        assert (grant.grant_id, grant.amount_fen) == acked[key]


@pytest.mark.slow
def test_kill_9_on_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    """kill -9 a claiming process at random points (three times), reopen: every
    acknowledged claim is in the ledger with its amount, a retry returns it, audit passes."""
    with CampaignEngine.open(sqlite_url, clock=FakeClock(STRESS_NOW)) as engine:
        engine.load(bench_scenario(10_000))
    for seed in range(3):
        _kill_and_check(sqlite_url, tmp_path, seed)


@pytest.mark.slow
@pytest.mark.postgres
def test_kill_9_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    """The same crash test on PostgreSQL."""
    with CampaignEngine.open(pg_url, clock=FakeClock(STRESS_NOW)) as engine:
        engine.load(bench_scenario(10_000))
    for seed in range(2):
        _kill_and_check(pg_url, tmp_path, seed)
