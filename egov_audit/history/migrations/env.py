"""Alembic environment: migrate on the connection the store hands over.

The store opens the connection (with its SQLite pragmas and its write lock)
and passes it in ``config.attributes["connection"]``; this file never builds
an engine of its own, so the same code serves SQLite and PostgreSQL.
"""

from __future__ import annotations

from alembic import context

from egov_audit.history.schema import METADATA

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=METADATA,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
