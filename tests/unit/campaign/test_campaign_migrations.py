"""The Alembic migrations create exactly the tables the engine's Core schema describes."""

from __future__ import annotations

import pytest
import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lantern.campaign._schema import metadata
from lantern.campaign._store import migrate


@pytest.mark.parametrize(
    "backend", ["sqlite_url", pytest.param("pg_url", marks=pytest.mark.postgres)]
)
def test_migrations_match_the_schema(backend: str, request: pytest.FixtureRequest) -> None:
    """After `migrate`, autogenerate finds no difference; migrating again is a no-op (on
    SQLite and on PostgreSQL: the same migrations)."""
    url: str = request.getfixturevalue(backend)
    migrate(url)
    migrate(url)
    db = sqlalchemy.create_engine(url)
    with db.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": "cmp_alembic_version"})
        diff = compare_metadata(context, metadata)
        version = conn.exec_driver_sql("SELECT version_num FROM cmp_alembic_version").scalar()
    db.dispose()
    assert diff == []
    assert version == "0001"
