"""The dashboard's additions to the history database: accounts, and one index.

Defined on the history store's metadata so that one schema comparison covers
everything the migrations create (revision 0003 creates these).
"""

from __future__ import annotations

import sqlalchemy as sa

from ..history.schema import FINDINGS, METADATA

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

# Covers the dashboard's grouped counts (open findings per target and severity,
# per check for compliance) so they are read from the index alone: the
# overview of 100 runs × 5,000 findings stays under 300 ms (benchmarks/).
FINDINGS_BY_TARGET = sa.Index("ix_run_findings_dashboard", FINDINGS.c.run_id,
                              FINDINGS.c.target, FINDINGS.c.severity, FINDINGS.c.check_id)
