"""The first schema: runs, their targets, results, findings and JSON results.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
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
        "runs",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(64), nullable=False, unique=True),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40), nullable=False),
        sa.Column("duration_s", sa.Float, nullable=False),
        sa.Column("stored_at", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("options_sha256", sa.String(64), nullable=False),
        sa.Column("config_sha256", sa.String(64), nullable=True),
        sa.Column("tool_version", sa.String(40), nullable=False),
        sa.Column("schema_version", sa.String(16), nullable=False),
        sa.Column("signed_sha256", sa.String(64), nullable=True),
        sa.Column("target_count", sa.Integer, nullable=False),
        sa.Column("finding_count", sa.Integer, nullable=False),
    )
    op.create_table(
        "run_targets",
        sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("spec", sa.Text, primary_key=True),
        sa.Column("host", sa.Text, nullable=False),
        sa.Column("service", sa.Text, nullable=True),
        sa.Column("opd", sa.Text, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text, nullable=True),
    )
    op.create_table(
        "run_results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("check_id", sa.String(200), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
    )
    op.create_index("ix_run_results_run_id", "run_results", ["run_id"])
    op.create_table(
        "run_findings",
        sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("finding_id", sa.String(64), primary_key=True),
        sa.Column("check_id", sa.String(200), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
    )
    op.create_index("ix_run_findings_finding_id", "run_findings", ["finding_id"])
    op.create_table(
        "run_documents",
        sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("result_json", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("run_documents", "run_findings", "run_results", "run_targets", "runs"):
        op.drop_table(table)
