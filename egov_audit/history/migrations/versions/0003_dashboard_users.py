"""Accounts of the officers' dashboard (egov-audit serve), and an index for its counts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_users",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("opd", sa.Text, nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_run_findings_dashboard", "run_findings",
                    ["run_id", "target", "severity", "check_id"])


def downgrade() -> None:
    op.drop_index("ix_run_findings_dashboard", table_name="run_findings")
    op.drop_table("dashboard_users")
