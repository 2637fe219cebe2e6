"""Initial campaign schema: campaigns, pacing, drop buckets, grants, vouchers,
reservations, payments, the journal, cached account balances and idempotency records.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cmp_account",
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("account", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("balance_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", "account"),
    )
    op.create_table(
        "cmp_campaign",
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("scenario_json", sa.Text(), nullable=False),
        sa.Column("scenario_hash", sa.String(length=64), nullable=False),
        sa.Column("budget_fen", sa.BigInteger(), nullable=False),
        sa.Column("buckets", sa.Integer(), nullable=False),
        sa.Column("frozen", sa.Boolean(), nullable=False),
        sa.Column("frozen_reason", sa.String(length=500), nullable=False),
        sa.Column("config_version", sa.Integer(), nullable=False),
        sa.Column("created_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id"),
    )
    op.create_table(
        "cmp_drop_bucket",
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("drop_id", sa.String(length=128), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("count_total", sa.BigInteger(), nullable=False),
        sa.Column("fen_total", sa.BigInteger(), nullable=False),
        sa.Column("count_left", sa.BigInteger(), nullable=False),
        sa.Column("fen_left", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", "drop_id", "bucket"),
    )
    op.create_table(
        "cmp_grant",
        sa.Column("grant_id", sa.String(length=128), nullable=False),
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("drop_id", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("user_seq", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("pool", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("peer_id", sa.String(length=128), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("at_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("grant_id"),
        sa.UniqueConstraint(
            "campaign_id", "drop_id", "user_id", "user_seq", name="uq_cmp_grant_seq"
        ),
    )
    op.create_index("ix_cmp_grant_user", "cmp_grant", ["campaign_id", "user_id"], unique=False)
    op.create_table(
        "cmp_idempotency",
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("op", sa.String(length=16), nullable=False),
        sa.Column("payload_hash", sa.String(length=32), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("at_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", "key"),
    )
    op.create_table(
        "cmp_journal",
        sa.Column(
            "entry_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("txn_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=128), nullable=False),
        sa.Column("account", sa.String(length=300), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("at_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id"),
    )
    op.create_index("ix_cmp_journal_txn", "cmp_journal", ["campaign_id", "txn_id"], unique=False)
    op.create_table(
        "cmp_pacing_bucket",
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("pool", sa.String(length=128), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("spent_fen", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("day_spent_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", "pool", "bucket"),
    )
    op.create_table(
        "cmp_pacing_plan",
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("pool", sa.String(length=128), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("plan_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", "pool", "day"),
    )
    op.create_table(
        "cmp_payment",
        sa.Column("payment_id", sa.String(length=128), nullable=False),
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("order_id", sa.String(length=128), nullable=False),
        sa.Column("merchant_id", sa.String(length=128), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("paid_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("payment_id"),
    )
    op.create_table(
        "cmp_reservation",
        sa.Column("reservation_id", sa.String(length=128), nullable=False),
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("voucher_id", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("order_id", sa.String(length=128), nullable=False),
        sa.Column("merchant_id", sa.String(length=128), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("order_total_fen", sa.BigInteger(), nullable=False),
        sa.Column("discount_fen", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("reservation_id"),
    )
    op.create_index(
        "ix_cmp_reservation_voucher", "cmp_reservation", ["campaign_id", "voucher_id"], unique=False
    )
    op.create_table(
        "cmp_voucher",
        sa.Column("voucher_id", sa.String(length=128), nullable=False),
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("grant_id", sa.String(length=128), nullable=False),
        sa.Column("pool", sa.String(length=128), nullable=False),
        sa.Column("template_id", sa.String(length=128), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("value_fen", sa.BigInteger(), nullable=False),
        sa.Column("threshold_fen", sa.BigInteger(), nullable=False),
        sa.Column("merchant_ids", sa.Text(), nullable=False),
        sa.Column("expires_us", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("voucher_id"),
    )
    op.create_index(
        "ix_cmp_voucher_state", "cmp_voucher", ["campaign_id", "state", "expires_us"], unique=False
    )
    op.create_index("ix_cmp_voucher_user", "cmp_voucher", ["campaign_id", "user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_cmp_voucher_user", table_name="cmp_voucher")
    op.drop_index("ix_cmp_voucher_state", table_name="cmp_voucher")
    op.drop_table("cmp_voucher")
    op.drop_index("ix_cmp_reservation_voucher", table_name="cmp_reservation")
    op.drop_table("cmp_reservation")
    op.drop_table("cmp_payment")
    op.drop_table("cmp_pacing_plan")
    op.drop_table("cmp_pacing_bucket")
    op.drop_index("ix_cmp_journal_txn", table_name="cmp_journal")
    op.drop_table("cmp_journal")
    op.drop_table("cmp_idempotency")
    op.drop_index("ix_cmp_grant_user", table_name="cmp_grant")
    op.drop_table("cmp_grant")
    op.drop_table("cmp_drop_bucket")
    op.drop_table("cmp_campaign")
    op.drop_table("cmp_account")
