"""Alembic environment of the campaign engine: runs on the connection the engine passes in.

The version table is ``cmp_alembic_version`` so that other engines can keep their own
migrations in the same database.
"""

from __future__ import annotations

from alembic import context

from lantern.campaign._schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table="cmp_alembic_version",
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
