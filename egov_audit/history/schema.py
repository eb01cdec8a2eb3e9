"""The tables of the history store, as SQLAlchemy Core metadata.

The queries in :mod:`egov_audit.history.store` read these objects; the DDL
that creates them lives in the Alembic revisions under ``migrations/``, which
must agree with this file (a test compares them). Column types are portable
(SQLite by default, PostgreSQL for a shared deployment).
"""

from __future__ import annotations

import sqlalchemy as sa

METADATA = sa.MetaData()

# One row per stored run. ``seq`` orders runs as they were stored, which is
# what "last" and "previous" mean; the run id is the result's own id.
RUNS = sa.Table(
    "runs", METADATA,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(64), nullable=False, unique=True),
    sa.Column("started_at", sa.String(40), nullable=False),
    sa.Column("finished_at", sa.String(40), nullable=False),
    sa.Column("duration_s", sa.Float, nullable=False),
    sa.Column("stored_at", sa.String(40), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # complete | incomplete | interrupted
    sa.Column("options_sha256", sa.String(64), nullable=False),
    sa.Column("config_sha256", sa.String(64), nullable=True),
    sa.Column("tool_version", sa.String(40), nullable=False),
    sa.Column("schema_version", sa.String(16), nullable=False),
    sa.Column("signed_sha256", sa.String(64), nullable=True),
    sa.Column("target_count", sa.Integer, nullable=False),
    sa.Column("finding_count", sa.Integer, nullable=False),
)

TARGETS = sa.Table(
    "run_targets", METADATA,
    sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("spec", sa.Text, primary_key=True),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("service", sa.Text, nullable=True),
    sa.Column("opd", sa.Text, nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("error", sa.Text, nullable=True),
)

RESULTS = sa.Table(
    "run_results", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("check_id", sa.String(200), nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
)

# Findings keyed by their stable id; evidence is the already-redacted text.
FINDINGS = sa.Table(
    "run_findings", METADATA,
    sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("finding_id", sa.String(64), primary_key=True),
    sa.Column("check_id", sa.String(200), nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("location", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Index("ix_run_findings_finding_id", "finding_id"),
)

# The full JSON result, so any stored run renders, diffs and re-evaluates
# exactly like the file it came from.
DOCUMENTS = sa.Table(
    "run_documents", METADATA,
    sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("result_json", sa.Text, nullable=False),
)

# A run in progress (or killed): what it is auditing, identified by a digest of
# its plan (configuration, targets, checks), and each target it finished.
PENDING = sa.Table(
    "pending_runs", METADATA,
    sa.Column("run_key", sa.String(64), primary_key=True),
    sa.Column("plan_sha256", sa.String(64), nullable=False, index=True),
    sa.Column("started_at", sa.String(40), nullable=False),
    sa.Column("targets", sa.Integer, nullable=False),
)

CHECKPOINTS = sa.Table(
    "pending_outcomes", METADATA,
    sa.Column("run_key", sa.String(64),
              sa.ForeignKey("pending_runs.run_key", ondelete="CASCADE"), primary_key=True),
    sa.Column("spec", sa.Text, primary_key=True),
    sa.Column("outcome_json", sa.Text, nullable=False),
)
