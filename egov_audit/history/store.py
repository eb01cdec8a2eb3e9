"""The history store: every run kept, so a weekly audit can say what changed.

One transaction per run: a run is stored whole or not at all, and concurrent
writers queue on the database's write lock (see :mod:`.connect`). The rows
hold only what the result already holds, and findings are redacted before they
are ever built, so the store contains no raw identifier either.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from ..model import RunReport, Severity
from ..result_io import dumps, parse_json, report_from_dict
from .connect import WRITE, HistoryError, display_location, make_engine, migrate, scrub
from .schema import CHECKPOINTS, DOCUMENTS, FINDINGS, PENDING, RESULTS, RUNS, TARGETS

SEVERITIES = tuple(s.value for s in Severity)


@dataclass(frozen=True)
class StoredRun:
    """One stored run, with its open findings counted per severity."""

    seq: int
    run_id: str
    started_at: str
    finished_at: str
    status: str
    targets: int
    counts: dict[str, int]
    signed_sha256: str | None = None

    @property
    def findings(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class TrendPoint:
    run_id: str
    started_at: str
    counts: dict[str, int] = field(default_factory=dict)


def run_status(report: RunReport) -> str:
    if report.run.interrupted:
        return "interrupted"
    return "incomplete" if report.incomplete else "complete"


def options_digest(report: RunReport) -> str:
    text = json.dumps(dict(report.run.options), sort_keys=True, default=str,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _zero() -> dict[str, int]:
    return {s: 0 for s in SEVERITIES}


def _store_error(what: str, exc: sa.exc.SQLAlchemyError, location: str) -> HistoryError:
    """One line of the database's reason, never the URL's password."""
    reason = scrub(str(exc).splitlines()[0] if str(exc) else "", location)
    return HistoryError(f"{what}: {exc.__class__.__name__}: {reason}",
                        source=display_location(location))


def _text(value: str | None) -> str | None:
    """Server-quoted text as PostgreSQL can hold it: its text type has no NUL
    character, and one NUL in a banner must not cost the whole run. The exact
    text stays in the stored JSON result, which escapes it."""
    return value.replace("\x00", "\ufffd") if value and "\x00" in value else value


def _check_lengths(table: sa.Table, *rows: dict[str, str]) -> None:
    """Refuse a value longer than its column on every backend alike: SQLite
    would keep it, PostgreSQL refuse the whole run with a less helpful error
    (this matters for result files added from elsewhere, not for our own runs)."""
    for row in rows:
        for name, value in row.items():
            limit = getattr(table.c[name].type, "length", None)
            if limit is not None and len(value) > limit:
                raise HistoryError(f"cannot store this run: its {name} is longer than "
                                   f"{limit} characters ({value[:40]!r}…)")


class HistoryStore:
    """Open with :meth:`open`; the schema is migrated on every open."""

    def __init__(self, engine: sa.Engine, location: str | None = None) -> None:
        self.engine = engine
        # For messages only, and only as display_location() shows it.
        self.location = location or engine.url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, location: str) -> HistoryStore:
        engine = make_engine(location)
        try:
            migrate(engine)
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            raise _store_error("cannot open the history store", exc, location) from None
        return cls(engine, location)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------

    def record(self, report: RunReport, *, signed_sha256: str | None = None,
               keep_runs: int | None = None, finishes: str | None = None) -> StoredRun:
        """Store ``report`` in one transaction; then drop all but the newest
        ``keep_runs`` runs and, with ``finishes``, that pending run's checkpoints
        (:mod:`.resume`), in the same transaction."""
        try:
            self._record(report, signed_sha256, keep_runs, finishes)
        except sa.exc.DBAPIError as exc:  # the server went away, a value it refused …
            raise _store_error(f"run {report.run.id} was not stored", exc,
                               self.location) from None
        return self.resolve(report.run.id)

    def _record(self, report: RunReport, signed_sha256: str | None, keep_runs: int | None,
                finishes: str | None) -> None:
        run = report.run
        findings = list({f.id: f for f in report.findings}.values())
        _check_lengths(RUNS, {"run_id": run.id, "started_at": run.started_at,
                              "finished_at": run.finished_at,
                              "tool_version": str(report.tool.get("version", "")),
                              "schema_version": report.schema_version})
        _check_lengths(FINDINGS, *({"check_id": f.check} for f in findings))
        _check_lengths(RESULTS, *({"check_id": r.check} for r in report.results))
        with self.engine.connect().execution_options(**WRITE) as conn, conn.begin():
            if conn.execute(sa.select(RUNS.c.seq).where(RUNS.c.run_id == run.id)).first():
                raise HistoryError(f"run {run.id} is already stored")
            conn.execute(RUNS.insert().values(
                run_id=run.id, started_at=run.started_at, finished_at=run.finished_at,
                duration_s=run.duration_s, stored_at=_now(), status=run_status(report),
                options_sha256=options_digest(report),
                config_sha256=run.options.get("config_sha256"),
                tool_version=str(report.tool.get("version", "")),
                schema_version=report.schema_version, signed_sha256=signed_sha256,
                target_count=len(report.outcomes), finding_count=len(findings),
            ))
            targets = {o.target.spec: o for o in report.outcomes}
            if targets:
                conn.execute(TARGETS.insert(), [
                    {"run_id": run.id, "spec": spec, "host": o.target.host,
                     "service": o.target.service.name, "opd": o.target.service.opd,
                     "status": o.status.value, "error": _text(o.error)}
                    for spec, o in targets.items()])
            if report.results:
                conn.execute(RESULTS.insert(), [
                    {"run_id": run.id, "check_id": r.check, "target": r.target,
                     "status": r.status.value, "reason": _text(r.reason)}
                    for r in report.results])
            if findings:
                conn.execute(FINDINGS.insert(), [
                    {"run_id": run.id, "finding_id": f.id, "check_id": f.check,
                     "target": f.target, "severity": f.severity.value,
                     "title": _text(f.title), "location": _text(f.location),
                     "evidence": _text(f.evidence.text)} for f in findings])
            conn.execute(DOCUMENTS.insert().values(run_id=run.id, result_json=dumps(report)))
            if keep_runs is not None:
                self._retain(conn, keep_runs)
            if finishes is not None:
                conn.execute(CHECKPOINTS.delete().where(CHECKPOINTS.c.run_key == finishes))
                conn.execute(PENDING.delete().where(PENDING.c.run_key == finishes))

    def _retain(self, conn: sa.Connection, keep_runs: int) -> None:
        cutoff = conn.execute(sa.select(RUNS.c.seq).order_by(RUNS.c.seq.desc())
                              .offset(keep_runs).limit(1)).scalar()
        if cutoff is None:
            return
        old = sa.select(RUNS.c.run_id).where(RUNS.c.seq <= cutoff)
        # Children first, explicitly: correct whether or not the database
        # enforces ON DELETE CASCADE.
        for table in (DOCUMENTS, FINDINGS, RESULTS, TARGETS):
            conn.execute(table.delete().where(table.c.run_id.in_(old)))
        conn.execute(RUNS.delete().where(RUNS.c.seq <= cutoff))

    # -- reading ---------------------------------------------------------------

    def runs(self, *, service: str | None = None, opd: str | None = None,
             limit: int | None = None) -> list[StoredRun]:
        """Stored runs, newest first; with ``service``/``opd`` only the runs that
        audited it, and only its findings counted."""
        query = sa.select(RUNS).order_by(RUNS.c.seq.desc())
        scope = self._target_filter(service, opd)
        if scope is not None:
            query = query.where(RUNS.c.run_id.in_(sa.select(TARGETS.c.run_id).where(scope)))
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
            counts = self._counts(conn, [r["run_id"] for r in rows], scope)
        return [self._stored(r, counts.get(r["run_id"], _zero())) for r in rows]

    def resolve(self, ref: str) -> StoredRun:
        """A run by id, unique id prefix (8+ characters), ``last`` or ``previous``."""
        with self.engine.connect() as conn:
            row = self._find(conn, ref)
            counts = self._counts(conn, [row["run_id"]], None)
        return self._stored(row, counts.get(row["run_id"], _zero()))

    def load(self, ref: str) -> RunReport:
        """The stored result of a run, as the JSON file would give it."""
        with self.engine.connect() as conn:
            run_id = self._find(conn, ref)["run_id"]
            text = conn.execute(sa.select(DOCUMENTS.c.result_json)
                                .where(DOCUMENTS.c.run_id == run_id)).scalar_one()
        return report_from_dict(parse_json(text))

    def finding_ids_before(self, ref: str) -> frozenset[str]:
        """Every finding id seen in a run stored before ``ref``."""
        with self.engine.connect() as conn:
            seq = self._find(conn, ref)["seq"]
            earlier = sa.select(RUNS.c.run_id).where(RUNS.c.seq < seq)
            ids = conn.execute(sa.select(FINDINGS.c.finding_id).distinct()
                               .where(FINDINGS.c.run_id.in_(earlier))).scalars()
            return frozenset(ids)

    def trend(self, by: str, *, last: int = 10) -> dict[str, list[TrendPoint]]:
        """Open findings per severity for each service (``by="service"``) or owning
        unit (``by="opd"``) over the newest ``last`` runs, oldest first; a group
        audited without findings in a run gets zero counts, one not audited none."""
        if by not in ("service", "opd"):
            raise ValueError(by)
        group_col = TARGETS.c.service if by == "service" else TARGETS.c.opd
        with self.engine.connect() as conn:
            runs = conn.execute(sa.select(RUNS.c.run_id, RUNS.c.started_at)
                                .order_by(RUNS.c.seq.desc()).limit(last)).all()
            ids = [r.run_id for r in runs]
            groups = conn.execute(sa.select(TARGETS.c.run_id, TARGETS.c.spec, group_col)
                                  .where(TARGETS.c.run_id.in_(ids))).all()
            found = conn.execute(sa.select(FINDINGS.c.run_id, FINDINGS.c.target,
                                           FINDINGS.c.severity)
                                 .where(FINDINGS.c.run_id.in_(ids))).all()
        label = {(g[0], g[1]): g[2] or f"(no {by})" for g in groups}
        table: dict[str, dict[str, dict[str, int]]] = {}
        for (run_id, _spec), name in label.items():
            table.setdefault(name, {}).setdefault(run_id, _zero())
        for run_id, target, severity in found:
            name = label.get((run_id, target), f"(no {by})")
            table.setdefault(name, {}).setdefault(run_id, _zero())[severity] += 1
        order = list(reversed(runs))
        return {name: [TrendPoint(r.run_id, r.started_at, per_run[r.run_id])
                       for r in order if r.run_id in per_run]
                for name, per_run in sorted(table.items())}

    # -- helpers ---------------------------------------------------------------

    @staticmethod
    def _target_filter(service: str | None, opd: str | None) -> Any:
        clauses = []
        if service is not None:
            clauses.append(TARGETS.c.service == service)
        if opd is not None:
            clauses.append(TARGETS.c.opd == opd)
        return sa.and_(*clauses) if clauses else None

    @staticmethod
    def _counts(conn: sa.Connection, run_ids: Sequence[str],
                scope: Any) -> dict[str, dict[str, int]]:
        if not run_ids:
            return {}
        query = (sa.select(FINDINGS.c.run_id, FINDINGS.c.severity, sa.func.count())
                 .where(FINDINGS.c.run_id.in_(run_ids))
                 .group_by(FINDINGS.c.run_id, FINDINGS.c.severity))
        if scope is not None:
            query = query.join(TARGETS, sa.and_(TARGETS.c.run_id == FINDINGS.c.run_id,
                                                TARGETS.c.spec == FINDINGS.c.target)).where(scope)
        out: dict[str, dict[str, int]] = {}
        for run_id, severity, count in conn.execute(query):
            out.setdefault(run_id, _zero())[severity] = int(count)
        return out

    @staticmethod
    def _find(conn: sa.Connection, ref: str) -> sa.RowMapping:
        ref = ref.strip()
        newest = sa.select(RUNS).order_by(RUNS.c.seq.desc())
        if ref in ("last", "previous"):
            rows = conn.execute(newest.limit(2)).mappings().all()
            index = 0 if ref == "last" else 1
            if len(rows) <= index:
                raise HistoryError(f"no {ref} run in the history store (it holds "
                                   f"{len(rows)} run(s))")
            return rows[index]
        row = conn.execute(sa.select(RUNS).where(RUNS.c.run_id == ref)).mappings().first()
        if row is not None:
            return row
        if len(ref) >= 8:
            like = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = conn.execute(sa.select(RUNS).where(RUNS.c.run_id.like(like, escape="\\"))
                                .limit(2)).mappings().all()
            if len(rows) == 1:
                return rows[0]
            if rows:
                raise HistoryError(f"run id prefix {ref!r} is ambiguous")
        raise HistoryError(f"no stored run {ref!r}",
                           expected="a run id, 'last' or 'previous' (see 'egov-audit history')")

    @staticmethod
    def _stored(row: sa.RowMapping, counts: dict[str, int]) -> StoredRun:
        return StoredRun(seq=row["seq"], run_id=row["run_id"], started_at=row["started_at"],
                         finished_at=row["finished_at"], status=row["status"],
                         targets=row["target_count"], counts=counts,
                         signed_sha256=row["signed_sha256"])

