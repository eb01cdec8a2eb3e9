"""Checkpoints of unfinished runs, so a killed run resumes without re-auditing.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_runs",
        sa.Column("run_key", sa.String(64), primary_key=True),
        sa.Column("plan_sha256", sa.String(64), nullable=False),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("targets", sa.Integer, nullable=False),
    )
    op.create_index("ix_pending_runs_plan_sha256", "pending_runs", ["plan_sha256"])
    op.create_table(
        "pending_outcomes",
        sa.Column("run_key", sa.String(64),
                  sa.ForeignKey("pending_runs.run_key", ondelete="CASCADE"), primary_key=True),
        sa.Column("spec", sa.Text, primary_key=True),
        sa.Column("outcome_json", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pending_outcomes")
    op.drop_table("pending_runs")
