"""Tables of the campaign engine (SQLAlchemy Core); the Alembic migrations create them.

Times are integer microseconds since the Unix epoch (``*_us``), days are ISO dates in the
campaign's time zone, amounts are integer fen. Journal amounts are signed: money moving
into an account is positive (a debit), out of an account negative (a credit); every
transaction sums to zero.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "account",
    "campaign",
    "drop_bucket",
    "grant",
    "idempotency",
    "journal",
    "metadata",
    "pacing_bucket",
    "pacing_plan",
    "payment",
    "reservation",
    "voucher",
]

metadata = MetaData()
ID = String(128)
_BigId = BigInteger().with_variant(Integer, "sqlite")  # SQLite's rowid alias must be INTEGER

campaign = Table(
    "cmp_campaign",
    metadata,
    Column("campaign_id", ID, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("scenario_json", Text, nullable=False),
    Column("scenario_hash", String(64), nullable=False),
    Column("budget_fen", BigInteger, nullable=False),
    Column("buckets", Integer, nullable=False),
    Column("frozen", Boolean, nullable=False),
    Column("frozen_reason", String(500), nullable=False),
    Column("config_version", Integer, nullable=False),
    Column("created_us", BigInteger, nullable=False),
)

pacing_plan = Table(
    "cmp_pacing_plan",
    metadata,
    Column("campaign_id", ID, primary_key=True),
    Column("pool", ID, primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("plan_fen", BigInteger, nullable=False),
)

pacing_bucket = Table(
    "cmp_pacing_bucket",
    metadata,
    Column("campaign_id", ID, primary_key=True),
    Column("pool", ID, primary_key=True),
    Column("bucket", Integer, primary_key=True),
    Column("spent_fen", BigInteger, nullable=False),
    Column("day", String(10), nullable=False),
    Column("day_spent_fen", BigInteger, nullable=False),
)

drop_bucket = Table(
    "cmp_drop_bucket",
    metadata,
    Column("campaign_id", ID, primary_key=True),
    Column("drop_id", ID, primary_key=True),
    Column("bucket", Integer, primary_key=True),
    Column("count_total", BigInteger, nullable=False),
    Column("fen_total", BigInteger, nullable=False),
    Column("count_left", BigInteger, nullable=False),
    Column("fen_left", BigInteger, nullable=False),
)

grant = Table(
    "cmp_grant",
    metadata,
    Column("grant_id", ID, primary_key=True),
    Column("campaign_id", ID, nullable=False),
    Column("drop_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    Column("user_seq", Integer, nullable=False),
    Column("bucket", Integer, nullable=False),
    Column("pool", ID, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("role", String(16), nullable=False),
    Column("peer_id", ID, nullable=True),
    Column("amount_fen", BigInteger, nullable=False),
    Column("day", String(10), nullable=False),
    Column("at_us", BigInteger, nullable=False),
    UniqueConstraint("campaign_id", "drop_id", "user_id", "user_seq", name="uq_cmp_grant_seq"),
    Index("ix_cmp_grant_user", "campaign_id", "user_id"),
)

voucher = Table(
    "cmp_voucher",
    metadata,
    Column("voucher_id", ID, primary_key=True),
    Column("campaign_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    Column("grant_id", ID, nullable=False),
    Column("pool", ID, nullable=False),
    Column("template_id", ID, nullable=False),
    Column("category", String(32), nullable=False),
    Column("value_fen", BigInteger, nullable=False),
    Column("threshold_fen", BigInteger, nullable=False),
    Column("merchant_ids", Text, nullable=False),
    Column("expires_us", BigInteger, nullable=False),
    Column("state", String(16), nullable=False),
    Index("ix_cmp_voucher_user", "campaign_id", "user_id"),
    Index("ix_cmp_voucher_state", "campaign_id", "state", "expires_us"),
)

reservation = Table(
    "cmp_reservation",
    metadata,
    Column("reservation_id", ID, primary_key=True),
    Column("campaign_id", ID, nullable=False),
    Column("voucher_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    Column("order_id", ID, nullable=False),
    Column("merchant_id", ID, nullable=False),
    Column("category", String(32), nullable=False),
    Column("order_total_fen", BigInteger, nullable=False),
    Column("discount_fen", BigInteger, nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_us", BigInteger, nullable=False),
    Index("ix_cmp_reservation_voucher", "campaign_id", "voucher_id"),
)

payment = Table(
    "cmp_payment",
    metadata,
    Column("payment_id", ID, primary_key=True),
    Column("campaign_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    Column("order_id", ID, nullable=False),
    Column("merchant_id", ID, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("state", String(16), nullable=False),
    Column("paid_us", BigInteger, nullable=False),
)

journal = Table(
    "cmp_journal",
    metadata,
    Column("entry_id", _BigId, primary_key=True, autoincrement=True),
    Column("campaign_id", ID, nullable=False),
    Column("txn_id", ID, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("ref", ID, nullable=False),
    Column("account", String(300), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("at_us", BigInteger, nullable=False),
    Index("ix_cmp_journal_txn", "campaign_id", "txn_id"),
)

account = Table(
    "cmp_account",
    metadata,
    Column("campaign_id", ID, primary_key=True),
    Column("account", String(300), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("balance_fen", BigInteger, nullable=False),
)

idempotency = Table(
    "cmp_idempotency",
    metadata,
    Column("campaign_id", ID, primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("op", String(16), nullable=False),
    Column("payload_hash", String(32), nullable=False),
    Column("result_json", Text, nullable=False),
    Column("at_us", BigInteger, nullable=False),
)
