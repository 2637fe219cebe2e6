"""Order storage: three tables of commerce's own on the campaign's database URL.

Tables (``commerce_orders``, ``commerce_order_events``, ``commerce_stock``) live in their own
SQLAlchemy ``MetaData`` and are created with ``create_all(checkfirst=True)``: they are new,
additive tables that no other engine reads or writes, so there is nothing to migrate yet;
the first change of their shape will add an Alembic environment with its own version table
(``commerce_alembic_version``) so it never collides with the campaign's migrations.

Every state change is one transaction guarded by the state it expects (compare-and-set), so
two processes can never move one order twice; stock is taken with a conditional UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    event,
    insert,
    select,
    update,
)

from lantern.commerce._orders import Order, OrderEvent, check_transition, format_order_id
from lantern.commerce.errors import IdempotencyConflict, OrderNotFound, OutOfStock

__all__ = ["METADATA", "OrderStore", "insert_ignore", "make_engine"]

METADATA = MetaData()

orders = Table(
    "commerce_orders",
    METADATA,
    Column("number", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(16), unique=True, nullable=True),
    Column("user_id", String(64), nullable=False, index=True),
    Column("idempotency_key", String(128), nullable=False),
    Column("request", String(200), nullable=False),
    Column("offer_id", String(8), nullable=False),
    Column("merchant_id", String(8), nullable=False),
    Column("category", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_fen", Integer, nullable=False),
    Column("total_fen", Integer, nullable=False),
    Column("state", String(24), nullable=False),
    Column("voucher_id", String(64)),
    Column("reservation_id", String(64)),
    Column("payment_id", String(64)),
    Column("voucher_fen", Integer, nullable=False, default=0),
    Column("cash_fen", Integer, nullable=False, default=0),
    Column("external_fen", Integer, nullable=False, default=0),
    Column("ticket_code", String(16)),
    Column("delivery_id", String(64)),
    Column("failure", String(400)),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    UniqueConstraint("user_id", "idempotency_key", name="uq_commerce_orders_user_key"),
)
events = Table(
    "commerce_order_events",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", Integer, ForeignKey("commerce_orders.number"), nullable=False, index=True),
    Column("state", String(24), nullable=False),
    Column("at", String(40), nullable=False),
    Column("note", String(400), nullable=False, default=""),
)
stock = Table(
    "commerce_stock",
    METADATA,
    Column("offer_id", String(8), primary_key=True),
    Column("sold", Integer, nullable=False),
)


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for ``url`` (``options`` go to ``create_engine``); SQLite gets WAL,
    synchronous=FULL and a busy timeout."""
    engine = create_engine(url, **options)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()

    return engine


def _iso(at: datetime) -> str:
    assert at.tzinfo is not None, "stored times are timezone-aware"
    return at.astimezone(UTC).isoformat()


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


class OrderStore:
    """Orders, their events and sold counts in one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        METADATA.create_all(engine, checkfirst=True)

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    def _load(self, conn: Connection, number: int) -> tuple[Order, dict[str, Any]]:
        row = conn.execute(select(orders).where(orders.c.number == number)).mappings().first()
        if row is None:
            raise OrderNotFound(f"no order {format_order_id(number)}")
        history = conn.execute(
            select(events.c.state, events.c.at, events.c.note)
            .where(events.c.number == number)
            .order_by(events.c.id)
        ).all()
        fields = {k: row[k] for k in Order.__slots__ if k in row and k not in ("events",)}
        fields["created_at"] = _at(row["created_at"])
        fields["updated_at"] = _at(row["updated_at"])
        order = Order(**fields, events=tuple(OrderEvent(s, _at(a), n) for s, a, n in history))
        return order, dict(row)

    def get(self, number: int) -> tuple[Order, dict[str, Any]]:
        """The order and its raw row (with reservation and payment ids)."""
        with self.engine.connect() as conn:
            return self._load(conn, number)

    def by_key(self, user_id: str, key: str, request: str) -> Order | None:
        """The order created earlier with this idempotency key, if any."""
        with self.engine.connect() as conn:
            number = conn.execute(
                select(orders.c.number, orders.c.request).where(
                    orders.c.user_id == user_id, orders.c.idempotency_key == key
                )
            ).first()
            if number is None:
                return None
            if number.request != request:
                raise IdempotencyConflict(
                    f"idempotency key {key!r} was used for another order ({number.request}); "
                    "use a new key for a new order"
                )
            return self._load(conn, number.number)[0]

    def create(self, values: dict[str, Any], offer_stock: int, at: datetime) -> Order:
        """Insert a ``created`` order and take its stock, in one transaction."""
        with self._tx() as conn:
            qty = values["quantity"]
            conn.execute(_insert_stock_row(conn.dialect.name, values["offer_id"]))
            taken = conn.execute(
                update(stock)
                .where(stock.c.offer_id == values["offer_id"], stock.c.sold + qty <= offer_stock)
                .values(sold=stock.c.sold + qty)
            ).rowcount
            if taken != 1:
                raise OutOfStock(f"offer {values['offer_id']} has fewer than {qty} left")
            stamp = _iso(at)
            key = conn.execute(
                insert(orders).values(**values, state="created", created_at=stamp, updated_at=stamp)
            ).inserted_primary_key
            assert key is not None, "the database returned no order number"
            number = int(key[0])
            conn.execute(
                update(orders)
                .where(orders.c.number == number)
                .values(order_id=format_order_id(number))
            )
            conn.execute(insert(events).values(number=number, state="created", at=stamp, note=""))
            return self._load(conn, number)[0]

    def move(
        self,
        number: int,
        expect: str,
        target: str,
        at: datetime,
        *,
        note: str = "",
        restock: bool = False,
        **values: Any,
    ) -> Order:
        """Move an order from ``expect`` to ``target`` (compare-and-set), setting ``values``."""
        with self._tx() as conn:
            current, _ = self._load(conn, number)
            if current.state != expect:
                check_transition(current.order_id, current.state, target)
            check_transition(current.order_id, expect, target)
            done = conn.execute(
                update(orders)
                .where(orders.c.number == number, orders.c.state == expect)
                .values(state=target, updated_at=_iso(at), **values)
            ).rowcount
            if done != 1:
                check_transition(current.order_id, self._load(conn, number)[0].state, target)
            if restock:
                conn.execute(
                    update(stock)
                    .where(stock.c.offer_id == current.offer_id)
                    .values(sold=stock.c.sold - current.quantity)
                )
            conn.execute(
                insert(events).values(number=number, state=target, at=_iso(at), note=note[:400])
            )
            return self._load(conn, number)[0]

    def set_values(self, number: int, expect: str, **values: Any) -> None:
        """Record payment progress on an order still in ``expect``."""
        with self._tx() as conn:
            done = conn.execute(
                update(orders)
                .where(orders.c.number == number, orders.c.state == expect)
                .values(**values)
            ).rowcount
            assert done == 1, f"order {format_order_id(number)} left {expect} mid-payment"

    def sold(self) -> dict[str, int]:
        """Units sold per offer (offers with none sold are absent)."""
        with self.engine.connect() as conn:
            return {r.offer_id: r.sold for r in conn.execute(select(stock).where(stock.c.sold > 0))}

    def numbers_of(self, user_id: str, limit: int = 20) -> list[int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(orders.c.number)
                .where(orders.c.user_id == user_id)
                .order_by(orders.c.number.desc())
                .limit(limit)
            )
            return [r.number for r in rows]


def _insert_stock_row(dialect: str, offer_id: str) -> Any:
    """A zero sold-count row for the offer unless it exists."""
    return insert_ignore(dialect, stock, {"offer_id": offer_id, "sold": 0})


def insert_ignore(dialect: str, table: Table, values: dict[str, Any]) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING (SQLite or PostgreSQL)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).values(**values).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).values(**values).on_conflict_do_nothing()
