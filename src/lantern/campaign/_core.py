"""EngineCore: connections, committers, argument checks, config cache and read paths."""

from __future__ import annotations

import asyncio
import hashlib
import json
import queue
import threading
from concurrent.futures import Future
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from lantern.campaign import _schema as s
from lantern.campaign._codec import decode
from lantern.campaign._committer import Committer, Request
from lantern.campaign._config import CampaignConfig
from lantern.campaign._scenario import CATEGORIES, Scenario
from lantern.campaign._store import make_engine
from lantern.campaign._types import AuditReport, CampaignStatus, Wallet
from lantern.campaign.errors import InvalidAmount, InvalidRequest, NotFoundError
from lantern.clock import Clock

__all__ = ["MAX_AMOUNT_FEN", "EngineCore"]

MAX_AMOUNT_FEN = 10**11  # one billion yuan: larger amounts are refused as INVALID_AMOUNT
_ID_FIELDS = (
    "user_id",
    "inviter_id",
    "invitee_id",
    "voucher_id",
    "order_id",
    "merchant_id",
    "reservation_id",
    "payment_id",
    "drop_id",
    "pool",
)
_KEYED_OPS = {"claim", "referral", "reserve", "capture", "release", "spend_cash", "refund"}


def _check_id(name: str, value: object) -> None:
    if not isinstance(value, str) or not 0 < len(value) <= 128 or not value.isprintable():
        raise InvalidRequest(
            f"{name} must be a printable string of 1 to 128 characters, got {value!r}"
        )


def _check_amount(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAmount(f"{name} must be a whole number of fen, got {value!r}")
    if not 0 < value <= MAX_AMOUNT_FEN:
        raise InvalidAmount(f"{name} must be between 1 and {MAX_AMOUNT_FEN} fen, got {value}")


def payload_digest(op: str, payload: dict[str, Any]) -> str:
    """A digest of the operation and its payload (what an idempotency key is bound to)."""
    if op == "claim":  # the hot path: no JSON encoding
        text = f"claim\x1f{payload['user_id']}\x1f{payload['drop_id']}"
    else:
        text = json.dumps([op, payload], sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def check_request(op: str, campaign_id: str, key: str | None, payload: dict[str, Any]) -> None:
    """Refuse malformed arguments before anything is queued."""
    _check_id("campaign_id", campaign_id)
    if op == "claim":  # the hot path
        if key is None or not 0 < len(key) <= 200:
            raise InvalidRequest(
                f"idempotency_key must be a string of 1 to 200 characters, got {key!r}"
            )
        _check_id("user_id", payload["user_id"])
        if payload["drop_id"] is not None:
            _check_id("drop_id", payload["drop_id"])
        return
    if key is None and op in _KEYED_OPS:
        raise InvalidRequest(f"{op} needs an idempotency key")
    if key is not None and not 0 < len(key) <= 200:
        raise InvalidRequest(
            f"idempotency_key must be a string of 1 to 200 characters, got {key!r}"
        )
    for name in _ID_FIELDS:
        if name in payload and not (
            payload[name] is None and name in ("drop_id", "reservation_id", "payment_id")
        ):
            _check_id(name, payload[name])
    for name in ("amount_fen", "order_total_fen"):
        if name in payload:
            _check_amount(name, payload[name])
    if "category" in payload and payload["category"] not in CATEGORIES:
        raise InvalidRequest(
            f"category must be one of {', '.join(CATEGORIES)}, got {payload['category']!r}"
        )
    if op == "refund" and (payload["reservation_id"] is None) == (payload["payment_id"] is None):
        raise InvalidRequest("refund needs exactly one of reservation_id and payment_id")


class EngineCore:
    """The engine's machinery behind :class:`~lantern.campaign.CampaignEngine`."""

    def __init__(
        self, url: str, clock: Clock, *, batch_max: int, committers: int | None, buckets: int | None
    ) -> None:
        if not 1 <= batch_max <= 10_000:
            raise InvalidRequest(f"batch_max must be 1 to 10000, got {batch_max}")
        self.pg = url.startswith("postgresql")
        n = committers or (4 if self.pg else 1)
        self.db = make_engine(url, pool_size=n + 4)
        self.clock = clock
        self.buckets = buckets or (16 if self.pg else 1)
        self.inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._configs: dict[str, CampaignConfig] = {}
        self._config_lock = threading.Lock()
        self._closed = False
        if not self.pg and n == 1:
            from lantern.campaign._pipeline import PipelinedCommitter

            self.committers: list[Committer] = [PipelinedCommitter(self, self.inbox, 0, batch_max)]
        else:
            self.committers = [Committer(self, self.inbox, i, batch_max) for i in range(n)]
        for committer in self.committers:
            committer.start()

    # --- requests ----------------------------------------------------------------------
    def call(
        self,
        op: str,
        campaign_id: str,
        key: str | None,
        payload: dict[str, Any],
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> Any:
        """Queue a request; a ``concurrent.futures.Future``, or an asyncio future of ``loop``."""
        future: Future[Any] | asyncio.Future[Any] = (
            Future() if loop is None else loop.create_future()
        )
        try:
            check_request(op, campaign_id, key, payload)
        except (InvalidRequest, InvalidAmount) as exc:
            future.set_exception(exc)
            return future
        if self._closed:
            raise RuntimeError("the campaign engine is closed")
        digest = payload_digest(op, payload)
        self.inbox.put(Request(op, campaign_id, key, payload, digest, future, loop))
        return future

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for committer in self.committers:
            committer.stop()
        for committer in self.committers:
            committer.join()
        self.db.dispose()

    # --- inside a batch ----------------------------------------------------------------
    def config(self, conn: Connection, campaign_id: str, version: int) -> CampaignConfig:
        cfg = self._configs.get(campaign_id)
        if cfg is not None and cfg.version == version:
            return cfg
        t = s.campaign
        row = conn.execute(
            select(t.c.scenario_json, t.c.buckets).where(t.c.campaign_id == campaign_id)
        ).one()
        scenario = Scenario.model_validate_json(row.scenario_json)
        p = s.pacing_plan
        plan: dict[str, dict[str, int]] = {pool.id: {} for pool in scenario.pools}
        for pool, day, fen in conn.execute(
            select(p.c.pool, p.c.day, p.c.plan_fen).where(p.c.campaign_id == campaign_id)
        ):
            plan[pool][day] = fen
        cfg = CampaignConfig(scenario, version, row.buckets, plan)
        with self._config_lock:
            self._configs[campaign_id] = cfg
        return cfg

    def load_idempotency(
        self, conn: Connection, batch: list[Request]
    ) -> dict[tuple[str, str], tuple[str, str, str, Any]]:
        keys = {req.key for req in batch if req.key is not None}
        if not keys:
            return {}
        from lantern.campaign._unit import in_list

        cids = sorted({req.campaign_id for req in batch})
        ordered = sorted(keys)
        sql = (
            "SELECT campaign_id, key, op, payload_hash, result_json FROM cmp_idempotency "
            f"WHERE campaign_id IN {in_list(conn, cids)} AND key IN {in_list(conn, ordered)}"
        )
        wanted = {(req.campaign_id, req.key) for req in batch}
        return {
            (cid, key): (op, phash, text, None)
            for cid, key, op, phash, text in conn.exec_driver_sql(sql, (*cids, *ordered))
            if (cid, key) in wanted
        }

    def decode_result(self, conn: Connection, op: str, text: str) -> Any:
        from lantern.campaign._readers import load_grants

        if op == "claim":
            return load_grants(conn, [text])[0]
        if op == "referral":
            first, second = load_grants(conn, text.split(","))
            from lantern.campaign._types import ReferralGrant

            return ReferralGrant(first, second)
        return decode(op, text)

    # --- operator and reads ----------------------------------------------------------------
    def load(self, scenario: Scenario, *, replace: bool) -> CampaignStatus:
        from lantern.campaign._loader import load_campaign

        load_campaign(self.db, scenario, self.buckets, self.clock, replace=replace)
        with self._config_lock:
            self._configs.pop(scenario.id, None)
        return self.status(scenario.id)

    def campaigns(self) -> list[str]:
        with self.db.connect().execution_options(readonly=True) as conn:
            return list(
                conn.execute(
                    select(s.campaign.c.campaign_id).order_by(s.campaign.c.campaign_id)
                ).scalars()
            )

    def scenario(self, campaign_id: str) -> Scenario:
        with self.db.connect().execution_options(readonly=True) as conn:
            text = conn.execute(
                select(s.campaign.c.scenario_json).where(s.campaign.c.campaign_id == campaign_id)
            ).scalar()
        if text is None:
            raise NotFoundError(f"no campaign {campaign_id!r} is loaded")
        return Scenario.model_validate_json(text)

    def status(self, campaign_id: str) -> CampaignStatus:
        from lantern.campaign._readers import campaign_status

        with self.db.connect().execution_options(readonly=True) as conn, conn.begin():
            return campaign_status(conn, campaign_id, self.clock.now())

    def wallet(self, campaign_id: str, user_id: str) -> Wallet:
        from lantern.campaign._readers import wallet

        _check_id("user_id", user_id)
        with self.db.connect().execution_options(readonly=True) as conn, conn.begin():
            return wallet(conn, campaign_id, user_id)

    def audit(self, campaign_id: str) -> AuditReport:
        from lantern.campaign._audit import audit

        options: dict[str, Any] = {"readonly": True}
        if self.pg:
            options["isolation_level"] = "REPEATABLE READ"
        with self.db.connect().execution_options(**options) as conn, conn.begin():
            return audit(conn, campaign_id)
