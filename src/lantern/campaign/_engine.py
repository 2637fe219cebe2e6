"""CampaignEngine: the service facade over storage, the group committer and the ledger."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from datetime import datetime
from types import TracebackType
from typing import Any

from lantern.campaign._scenario import Drop, Scenario
from lantern.campaign._types import (
    AuditReport,
    CampaignStatus,
    CashPayment,
    ExpiryResult,
    Grant,
    ReferralGrant,
    Refund,
    Reservation,
    Wallet,
)
from lantern.campaign.errors import StorageUnavailable
from lantern.clock import Clock, SystemClock

__all__ = ["CampaignEngine"]


class CampaignEngine:
    """The campaign engine of one process, bound to one database.

    Every mutating call takes an ``idempotency_key`` (unique per campaign): a retry with the
    same key and payload returns the identical result; the same key with another payload
    raises :class:`~lantern.campaign.errors.IdempotencyConflict`. Mutations go through a
    group committer thread that commits many requests per durable transaction and answers
    each only after its commit. ``submit_*`` methods return a ``concurrent.futures.Future``;
    the ``*_async`` ones await it on the running event loop; the plain ones block.

    Thread-safe: share one engine per process (it owns a connection pool and one committer).
    """

    def __init__(
        self,
        url: str,
        *,
        clock: Clock | None = None,
        batch_max: int = 256,
        committers: int | None = None,
        buckets: int | None = None,
    ) -> None:
        from lantern.campaign._core import EngineCore

        self.url = url
        self.clock: Clock = clock or SystemClock()
        self._core = EngineCore(
            url, self.clock, batch_max=batch_max, committers=committers, buckets=buckets
        )

    @classmethod
    def open(
        cls,
        url: str,
        *,
        clock: Clock | None = None,
        batch_max: int = 256,
        committers: int | None = None,
        buckets: int | None = None,
    ) -> CampaignEngine:
        """Create or migrate the schema (Alembic) and start the engine.

        ``url``: ``sqlite:///path`` or ``postgresql+psycopg://...``. ``batch_max``: most
        requests per commit. ``committers``: committer threads (1 on SQLite, 4 on PostgreSQL
        by default). ``buckets``: shards of each drop and pacing counter for new campaigns
        (1 on SQLite, 16 on PostgreSQL by default)."""
        from sqlalchemy.exc import ArgumentError, OperationalError

        from lantern.campaign._store import migrate

        try:
            migrate(url)
        except (OperationalError, ArgumentError, OSError) as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StorageUnavailable(
                f"cannot open the campaign database {_safe_url(url)}: {reason}; check "
                "LANTERN_DATABASE_URL (the directory must exist and be writable, the "
                "PostgreSQL server must be running)"
            ) from None
        return cls(url, clock=clock, batch_max=batch_max, committers=committers, buckets=buckets)

    def close(self) -> None:
        """Finish queued requests, stop the committers and dispose of the connections."""
        self._core.close()

    def __enter__(self) -> CampaignEngine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- operator ---------------------------------------------------------------------
    def load(self, scenario: Scenario, *, replace: bool = False) -> CampaignStatus:
        """Load a scenario as a campaign: fund its pools, split its drops into buckets and
        store its pacing plan. Loading the same scenario again is a no-op; a different one
        under an existing id raises InvalidScenario unless ``replace`` (which deletes the old
        campaign's data first: for tests and replays only)."""
        return self._core.load(scenario, replace=replace)

    def campaigns(self) -> list[str]:
        """Ids of the loaded campaigns."""
        return self._core.campaigns()

    def scenario(self, campaign_id: str) -> Scenario:
        """The scenario a campaign was loaded from (drops, pools, quotas, pacing)."""
        return self._core.scenario(campaign_id)

    def freeze(
        self, campaign_id: str, *, reason: str = "", idempotency_key: str | None = None
    ) -> CampaignStatus:
        """Stop grants, reservations and payments of a campaign until ``unfreeze``."""
        self._core.call("freeze", campaign_id, idempotency_key, {"reason": reason}).result()
        return self.status(campaign_id)

    def unfreeze(self, campaign_id: str, *, idempotency_key: str | None = None) -> CampaignStatus:
        self._core.call("unfreeze", campaign_id, idempotency_key, {}).result()
        return self.status(campaign_id)

    def set_pacing(
        self,
        campaign_id: str,
        pool: str,
        plan_fen: dict[Any, int],
        *,
        idempotency_key: str | None = None,
    ) -> CampaignStatus:
        """Replace a pool's daily plan (operator pacing): ``{date: fen}`` for every day."""
        payload = {"pool": pool, "plan": {str(k): v for k, v in plan_fen.items()}}
        self._core.call("set_pacing", campaign_id, idempotency_key, payload).result()
        return self.status(campaign_id)

    def add_drop(
        self, campaign_id: str, drop: Drop, *, idempotency_key: str | None = None
    ) -> CampaignStatus:
        """Schedule a new drop, funded from its pool's unallocated budget; raises
        InvalidScenario if it does not fit the campaign, BudgetExhausted if the pool lacks
        the money. Its days' pacing plan stays as it is: raise it with ``set_pacing``."""
        payload = {"drop": drop.model_dump(mode="json")}
        self._core.call("add_drop", campaign_id, idempotency_key, payload).result()
        return self.status(campaign_id)

    def expire(
        self, campaign_id: str, now: datetime | None = None, *, idempotency_key: str | None = None
    ) -> ExpiryResult:
        """Move expired unused vouchers, and after the campaign's end the unclaimed drop
        money and unallocated pool budget, to the expired account."""
        payload = {"now": (now or self.clock.now()).isoformat()}
        result: ExpiryResult = self._core.call(
            "expire", campaign_id, idempotency_key, payload
        ).result()
        return result

    def status(self, campaign_id: str) -> CampaignStatus:
        """Budget identity and spend per pool and day against the plan."""
        return self._core.status(campaign_id)

    def audit(self, campaign_id: str) -> AuditReport:
        """Check every money invariant of one campaign against the journal."""
        return self._core.audit(campaign_id)

    # --- users --------------------------------------------------------------------------
    def submit_claim(
        self, campaign_id: str, user_id: str, *, drop_id: str | None = None, idempotency_key: str
    ) -> Future[Grant]:
        """Claim one envelope of ``drop_id`` (or of the first open drop the user may still
        claim): cash to the wallet or a voucher issued."""
        payload = {"user_id": user_id, "drop_id": drop_id}
        future: Future[Any] = self._core.call("claim", campaign_id, idempotency_key, payload)
        return future

    def claim(
        self, campaign_id: str, user_id: str, *, drop_id: str | None = None, idempotency_key: str
    ) -> Grant:
        return self.submit_claim(
            campaign_id, user_id, drop_id=drop_id, idempotency_key=idempotency_key
        ).result()

    async def claim_async(
        self, campaign_id: str, user_id: str, *, drop_id: str | None = None, idempotency_key: str
    ) -> Grant:
        """``claim`` for asyncio servers: answered with one loop wake-up per committed batch."""
        payload = {"user_id": user_id, "drop_id": drop_id}
        loop = asyncio.get_running_loop()
        grant: Grant = await self._core.call("claim", campaign_id, idempotency_key, payload, loop)
        return grant

    def submit_referral(
        self, campaign_id: str, inviter_id: str, invitee_id: str, *, idempotency_key: str
    ) -> Future[ReferralGrant]:
        payload = {"inviter_id": inviter_id, "invitee_id": invitee_id}
        future: Future[Any] = self._core.call("referral", campaign_id, idempotency_key, payload)
        return future

    def grant_referral(
        self, campaign_id: str, inviter_id: str, invitee_id: str, *, idempotency_key: str
    ) -> ReferralGrant:
        """Both sides of a referral get one card of the referral drop (capped per inviter,
        once per invitee, and by the campaign's quotas)."""
        return self.submit_referral(
            campaign_id, inviter_id, invitee_id, idempotency_key=idempotency_key
        ).result()

    def submit_reserve(
        self,
        campaign_id: str,
        voucher_id: str,
        user_id: str,
        *,
        order_id: str,
        order_total_fen: int,
        merchant_id: str,
        category: str,
        idempotency_key: str,
    ) -> Future[Reservation]:
        payload = {
            "voucher_id": voucher_id,
            "user_id": user_id,
            "order_id": order_id,
            "order_total_fen": order_total_fen,
            "merchant_id": merchant_id,
            "category": category,
        }
        future: Future[Any] = self._core.call("reserve", campaign_id, idempotency_key, payload)
        return future

    def reserve_voucher(
        self,
        campaign_id: str,
        voucher_id: str,
        user_id: str,
        *,
        order_id: str,
        order_total_fen: int,
        merchant_id: str,
        category: str,
        idempotency_key: str,
    ) -> Reservation:
        """Hold the user's voucher against an order; ``discount_fen`` = min(value, total)."""
        return self.submit_reserve(
            campaign_id,
            voucher_id,
            user_id,
            order_id=order_id,
            order_total_fen=order_total_fen,
            merchant_id=merchant_id,
            category=category,
            idempotency_key=idempotency_key,
        ).result()

    def submit_capture(
        self, campaign_id: str, reservation_id: str, *, idempotency_key: str
    ) -> Future[Reservation]:
        payload = {"reservation_id": reservation_id}
        future: Future[Any] = self._core.call("capture", campaign_id, idempotency_key, payload)
        return future

    def capture(
        self, campaign_id: str, reservation_id: str, *, idempotency_key: str
    ) -> Reservation:
        """The order was paid: the discount goes to the merchant's settlement account."""
        return self.submit_capture(
            campaign_id, reservation_id, idempotency_key=idempotency_key
        ).result()

    def submit_release(
        self, campaign_id: str, reservation_id: str, *, idempotency_key: str
    ) -> Future[Reservation]:
        payload = {"reservation_id": reservation_id}
        future: Future[Any] = self._core.call("release", campaign_id, idempotency_key, payload)
        return future

    def release(
        self, campaign_id: str, reservation_id: str, *, idempotency_key: str
    ) -> Reservation:
        """The order was cancelled: the voucher is usable again."""
        return self.submit_release(
            campaign_id, reservation_id, idempotency_key=idempotency_key
        ).result()

    def submit_spend_cash(
        self,
        campaign_id: str,
        user_id: str,
        amount_fen: int,
        *,
        order_id: str,
        merchant_id: str,
        idempotency_key: str,
    ) -> Future[CashPayment]:
        payload = {
            "user_id": user_id,
            "amount_fen": amount_fen,
            "order_id": order_id,
            "merchant_id": merchant_id,
        }
        future: Future[Any] = self._core.call("spend_cash", campaign_id, idempotency_key, payload)
        return future

    def spend_cash(
        self,
        campaign_id: str,
        user_id: str,
        amount_fen: int,
        *,
        order_id: str,
        merchant_id: str,
        idempotency_key: str,
    ) -> CashPayment:
        """Pay (part of) an order from the user's campaign wallet, to the merchant."""
        return self.submit_spend_cash(
            campaign_id,
            user_id,
            amount_fen,
            order_id=order_id,
            merchant_id=merchant_id,
            idempotency_key=idempotency_key,
        ).result()

    def submit_refund(
        self,
        campaign_id: str,
        *,
        reservation_id: str | None = None,
        payment_id: str | None = None,
        idempotency_key: str,
    ) -> Future[Refund]:
        payload = {"reservation_id": reservation_id, "payment_id": payment_id}
        future: Future[Any] = self._core.call("refund", campaign_id, idempotency_key, payload)
        return future

    def refund(
        self,
        campaign_id: str,
        *,
        reservation_id: str | None = None,
        payment_id: str | None = None,
        idempotency_key: str,
    ) -> Refund:
        """Refund a captured reservation (discount back to its pool; the voucher stays used)
        or a cash payment (cash back to the wallet). Give exactly one of the two ids."""
        return self.submit_refund(
            campaign_id,
            reservation_id=reservation_id,
            payment_id=payment_id,
            idempotency_key=idempotency_key,
        ).result()

    def wallet(self, campaign_id: str, user_id: str) -> Wallet:
        """The user's cash balance and vouchers (with their states) in one campaign."""
        return self._core.wallet(campaign_id, user_id)


def _safe_url(url: str) -> str:
    """The URL without its password, for error messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as given: it holds no usable password
        return url
