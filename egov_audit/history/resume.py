"""Resuming a run that was killed: finished targets are kept, never re-audited.

While ``egov-audit run`` audits, every target that finishes is written to the
history store at once (a *checkpoint*, one short transaction each). If the
process is killed — ``kill -9``, a crash, a reboot, Ctrl-C or SIGTERM — the
checkpoints stay. The next run with the same plan (same configuration file,
targets and checks) finds them, audits only the targets without one, and
merges the two halves into one result. A run that completes clears its
checkpoints in the same transaction that stores it.

Targets abandoned at their own deadline count as finished (auditing them
again would hit the same deadline); targets cut off by the interruption do not.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..model import RunInfo, RunReport, Target, TargetOutcome
from ..result_io import dumps, parse_json, report_from_dict
from .connect import WRITE
from .schema import CHECKPOINTS, PENDING
from .store import HistoryStore

if TYPE_CHECKING:
    from ..observer import Observer
    from ..runner import AuditRequest


def plan_digest(request: AuditRequest) -> str:
    """What must be equal for a checkpoint to be reused: the configuration file,
    the targets and the selected checks."""
    plan = {"config": request.config_sha256, "targets": [t.spec for t in request.targets],
            "checks": sorted(c.id for c in request.checks)}
    return hashlib.sha256(json.dumps(plan, sort_keys=True).encode()).hexdigest()


def _outcome_json(outcome: TargetOutcome) -> str:
    # The result contract's own serialiser, on a one-target report: no second format.
    shell = RunReport(schema_version="1.1", tool={}, catalogue={},
                      run=RunInfo(id="checkpoint", started_at="", finished_at="",
                                  duration_s=0.0, options={}),
                      outcomes=(outcome,))
    return dumps(shell)


def _outcome(text: str) -> TargetOutcome:
    return report_from_dict(parse_json(text)).outcomes[0]


@dataclass(frozen=True)
class Resumption:
    """A pending run: its key, when it first started, and the targets it finished."""

    key: str
    started_at: str
    finished: Mapping[str, TargetOutcome]

    @property
    def resumed(self) -> bool:
        return bool(self.finished)

    def remaining(self, targets: Sequence[Target]) -> list[Target]:
        return [t for t in targets if t.spec not in self.finished]


def begin(store: HistoryStore, request: AuditRequest, *, fresh: bool = False) -> Resumption:
    """The pending run of this plan (newest), or a new one; ``fresh`` discards a
    pending run of the same plan and starts over."""
    digest = plan_digest(request)
    with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
        row = conn.execute(sa.select(PENDING).where(PENDING.c.plan_sha256 == digest)
                           .order_by(PENDING.c.started_at.desc()).limit(1)).mappings().first()
        if row is not None and fresh:
            _drop(conn, row["run_key"])
            row = None
        if row is not None:
            rows = conn.execute(sa.select(CHECKPOINTS.c.spec, CHECKPOINTS.c.outcome_json)
                                .where(CHECKPOINTS.c.run_key == row["run_key"])).all()
            finished = {spec: _outcome(text) for spec, text in rows}
            return Resumption(row["run_key"], row["started_at"], finished)
        key = str(uuid.uuid4())
        started = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        conn.execute(PENDING.insert().values(run_key=key, plan_sha256=digest,
                                             started_at=started,
                                             targets=len(request.targets)))
        return Resumption(key, started, {})


def checkpoint(store: HistoryStore, key: str, outcome: TargetOutcome) -> None:
    with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
        conn.execute(CHECKPOINTS.delete().where(sa.and_(CHECKPOINTS.c.run_key == key,
                                                        CHECKPOINTS.c.spec == outcome.target.spec)))
        conn.execute(CHECKPOINTS.insert().values(run_key=key, spec=outcome.target.spec,
                                                 outcome_json=_outcome_json(outcome)))


def _drop(conn: sa.Connection, key: str) -> None:
    conn.execute(CHECKPOINTS.delete().where(CHECKPOINTS.c.run_key == key))
    conn.execute(PENDING.delete().where(PENDING.c.run_key == key))


def merge(report: RunReport, resumption: Resumption, order: Sequence[Target]) -> RunReport:
    """This session's ``report`` with the checkpointed targets put back, in the
    configuration's order; the run starts when the first attempt started."""
    if not resumption.resumed:
        return report
    fresh = {o.target.spec: o for o in report.outcomes}
    outcomes = tuple(resumption.finished.get(t.spec) or fresh[t.spec] for t in order
                     if t.spec in resumption.finished or t.spec in fresh)
    section: dict[str, Any] = {"first_started_at": resumption.started_at,
                               "targets_reused": sorted(resumption.finished)}
    return replace(report, outcomes=outcomes,
                   run=replace(report.run, started_at=resumption.started_at),
                   extensions={**dict(report.extensions), "resume": section})


class CheckpointObserver:
    """Passes every event on to ``inner`` and checkpoints each finished target.

    A checkpoint that cannot be written (disk full, store locked past its busy
    timeout) is a warning: the run goes on, it just cannot be resumed from there.
    """

    def __init__(self, inner: Observer, store: HistoryStore, key: str) -> None:
        self.inner, self.store, self.key = inner, store, key

    def run_started(self, targets: int, checks: int) -> None:
        self.inner.run_started(targets, checks)

    def target_started(self, target: Target) -> None:
        self.inner.target_started(target)

    def target_finished(self, outcome: TargetOutcome) -> None:
        self.inner.target_finished(outcome)
        try:
            checkpoint(self.store, self.key, outcome)
        except sa.exc.SQLAlchemyError as exc:
            self.inner.warning(f"checkpoint of {outcome.target.spec} not written "
                               f"({exc.__class__.__name__}); a resumed run audits it again")

    def run_finished(self, report: RunReport) -> None:
        self.inner.run_finished(report)

    def warning(self, message: str) -> None:
        self.inner.warning(message)
