"""Stateful property test: random claim/referral/reserve/capture/release/refund/spend/expire
sequences over time, with every money invariant (the audit) checked after every step."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule

from lantern.campaign import CampaignEngine, CampaignError, load_scenario
from lantern.campaign._schema import metadata
from lantern.clock import SHANGHAI, FakeClock

CID = "example"
USERS = st.sampled_from(["u0", "u1", "u2", "u3", "u4"])


class CampaignMachine(RuleBasedStateMachine):
    """Drives one engine; refused calls must leave no trace, accepted ones must balance."""

    vouchers = Bundle("vouchers")
    reservations = Bundle("reservations")
    payments = Bundle("payments")

    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.mkdtemp(prefix="lantern-stateful-")
        self.clock = FakeClock(datetime(2026, 2, 6, 9, tzinfo=SHANGHAI))
        self.engine = CampaignEngine.open(f"sqlite:///{self.dir}/c.db", clock=self.clock)
        self.engine.load(load_scenario("example"))
        self.db = sqlalchemy.create_engine(f"sqlite:///{self.dir}/c.db")
        self.keys = 0
        self.last: tuple[str, dict[str, Any], Any] | None = None

    def teardown(self) -> None:
        self.engine.close()
        self.db.dispose()
        shutil.rmtree(self.dir, ignore_errors=True)

    def snapshot(self) -> list[Any]:
        with self.db.connect() as conn:
            counts = [
                conn.execute(sqlalchemy.select(sqlalchemy.func.count()).select_from(t)).scalar()
                for t in metadata.sorted_tables
            ]
            rows = conn.exec_driver_sql(
                "SELECT account, balance_fen FROM cmp_account ORDER BY 1"
            ).all()
            states = conn.exec_driver_sql("SELECT state FROM cmp_voucher ORDER BY voucher_id").all()
        return [counts, rows, states]

    def call(self, method: str, **kwargs: Any) -> Any:
        """Call the engine; a refusal must change nothing; remember the call for a retry."""
        self.keys += 1
        kwargs["idempotency_key"] = f"k{self.keys}"
        before = self.snapshot()
        try:
            result = getattr(self.engine, method)(CID, **kwargs)
        except CampaignError:
            assert self.snapshot() == before
            return None
        self.last = (method, kwargs, result)
        return result

    @rule(target=vouchers, user=USERS, drop=st.sampled_from([None, "cards", "food", "cash-13"]))
    def claim(self, user: str, drop: str | None) -> Any:
        grant = self.call("claim", user_id=user, drop_id=drop)
        if grant is not None and grant.voucher is not None:
            return (grant.voucher.voucher_id, user)
        return ("none", user)

    @rule(inviter=USERS, invitee=USERS)
    def referral(self, inviter: str, invitee: str) -> None:
        self.call("grant_referral", inviter_id=inviter, invitee_id=invitee)

    @rule(
        target=reservations,
        voucher=vouchers,
        owner=st.booleans(),
        total=st.integers(1, 3_000),
        merchant=st.sampled_from(["m1", "m2", "m3"]),
    )
    def reserve(self, voucher: tuple[str, str], owner: bool, total: int, merchant: str) -> Any:
        vid, user = voucher
        res = self.call(
            "reserve_voucher",
            voucher_id=vid,
            user_id=user if owner else "intruder",
            order_id=f"o{self.keys}",
            order_total_fen=total,
            merchant_id=merchant,
            category="gastronomy",
        )
        return res.reservation_id if res is not None else "rnone"

    @rule(res=reservations)
    def capture(self, res: str) -> None:
        self.call("capture", reservation_id=res)

    @rule(res=consumes(reservations))
    def release(self, res: str) -> None:
        self.call("release", reservation_id=res)

    @rule(res=reservations)
    def refund_reservation(self, res: str) -> None:
        self.call("refund", reservation_id=res)

    @rule(target=payments, user=USERS, amount=st.integers(1, 2_500))
    def spend(self, user: str, amount: int) -> Any:
        pay = self.call(
            "spend_cash",
            user_id=user,
            amount_fen=amount,
            order_id=f"o{self.keys}",
            merchant_id="m1",
        )
        return pay.payment_id if pay is not None else "pnone"

    @rule(pay=payments)
    def refund_payment(self, pay: str) -> None:
        self.call("refund", payment_id=pay)

    @rule(hours=st.integers(1, 72))
    def advance(self, hours: int) -> None:
        self.clock.advance(timedelta(hours=hours))

    @rule()
    def expire(self) -> None:
        self.engine.expire(CID)

    @rule()
    def retry_last(self) -> None:
        """A client that lost the response retries: it must get the identical result."""
        if self.last is None:
            return
        method, kwargs, result = self.last
        before = self.snapshot()
        again = getattr(self.engine, method)(CID, **kwargs)
        if method in ("capture", "release"):
            assert again.reservation_id == result.reservation_id
        else:
            assert again == result
        assert self.snapshot() == before

    @invariant()
    def audit_passes(self) -> None:
        report = self.engine.audit(CID)
        assert report.passed, [c for c in report.checks if not c.passed]


CampaignMachine.TestCase.settings = settings(
    max_examples=12,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCampaignMachine = CampaignMachine.TestCase
TestCampaignMachine.__doc__ = "Random operation sequences keep every money invariant."
