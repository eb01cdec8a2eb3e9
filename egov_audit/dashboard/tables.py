"""The dashboard's own table in the history database: its user accounts.

Defined on the history store's metadata so that one schema comparison covers
every table the migrations create (revision 0003 creates this one).
"""

from __future__ import annotations

import sqlalchemy as sa

from ..history.schema import METADATA

# A password is stored only as its argon2id hash (which carries its own salt
# and parameters). ``opd`` scopes a viewer to one owning unit; officers have none.
USERS = sa.Table(
    "dashboard_users", METADATA,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),  # viewer | officer
    sa.Column("opd", sa.Text, nullable=True),
    sa.Column("created_at", sa.String(40), nullable=False),
)
