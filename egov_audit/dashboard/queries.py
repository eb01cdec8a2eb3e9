"""What the dashboard reads from the history store, as grouped SQL over its tables.

The store's own methods load whole runs; an overview of 25 services over the
last runs must not (100 runs × 5,000 findings), so these queries let the
database count: the newest run of each service, open findings per severity
grouped in SQL, the grade findings, and only the rows compliance needs.

Every query takes a :class:`Scope`: a viewer sees one owning unit (OPD) only,
and the filter is applied here, in the query, not in the templates.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..history.schema import FINDINGS, RESULTS, RUNS, TARGETS
from ..history.store import StoredRun
from ..model import Severity

SEVERITIES = tuple(s.value for s in Severity)
GRADE_CHECKS = {"headers.grade": "headers", "tls.grade": "tls"}
# "grade B+ (score 85)" / "host:443: grade A (...)"; anchored on a word, linear.
_GRADE = re.compile(r"\bgrade ([A-F][+-]?)")
GRADE_ORDER = ("A+", "A", "A-", "B", "C", "D", "E", "F", "T", "M")
TREND_RUNS = 10


@dataclass(frozen=True)
class Scope:
    """What the signed-in user may see: every unit (``opd`` None) or one unit."""

    opd: str | None = None

    def allows(self, opd: str | None) -> bool:
        return self.opd is None or self.opd == opd


ALL = Scope()


def zero() -> dict[str, int]:
    return {s: 0 for s in SEVERITIES}


@dataclass
class ServiceState:
    """A service (or a unit, summing its services) as its newest run left it."""

    opd: str | None
    name: str
    run_id: str
    seq: int
    started_at: str
    targets: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=zero)
    grades: dict[str, str] = field(default_factory=dict)  # headers | tls -> worst letter
    trend: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # oldest first

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def service_label() -> sa.ColumnElement[str]:
    # A target without a configured service name is shown under its host.
    return sa.func.coalesce(TARGETS.c.service, TARGETS.c.host)


def _scoped(query: sa.Select[tuple[object, ...]], scope: Scope) -> sa.Select[tuple[object, ...]]:
    return query if scope.opd is None else query.where(TARGETS.c.opd == scope.opd)


def worse_grade(a: str | None, b: str) -> str:
    if a is None:
        return b
    rank = {g: i for i, g in enumerate(GRADE_ORDER)}
    return a if rank.get(a, 99) >= rank.get(b, 99) else b


def grade_of(evidence: str) -> str | None:
    match = _GRADE.search(evidence[:400])
    return match.group(1) if match else None


def latest_services(conn: sa.Connection, scope: Scope) -> list[ServiceState]:
    """Each service in scope with its newest run, open findings, grades and trend."""
    label = service_label()
    newest = _scoped(
        sa.select(TARGETS.c.opd, label.label("name"), sa.func.max(RUNS.c.seq).label("seq"))
        .join(RUNS, RUNS.c.run_id == TARGETS.c.run_id)
        .group_by(TARGETS.c.opd, label), scope)
    rows = conn.execute(newest).all()
    if not rows:
        return []
    runs = {r.seq: r for r in conn.execute(
        sa.select(RUNS.c.seq, RUNS.c.run_id, RUNS.c.started_at)
        .where(RUNS.c.seq.in_({r.seq for r in rows}))).all()}
    states = {(r.opd, r.name): ServiceState(r.opd, r.name, runs[r.seq].run_id, r.seq,
                                            runs[r.seq].started_at) for r in rows}
    run_ids = {s.run_id for s in states.values()}
    owner: dict[tuple[str, str], ServiceState] = {}
    for t in conn.execute(_scoped(sa.select(TARGETS.c.run_id, TARGETS.c.spec, TARGETS.c.opd,
                                            label.label("name"))
                                  .where(TARGETS.c.run_id.in_(run_ids)), scope)).all():
        state = states.get((t.opd, t.name))
        if state is not None and state.run_id == t.run_id:
            state.targets.append(t.spec)
            owner[(t.run_id, t.spec)] = state
    counted = conn.execute(
        sa.select(FINDINGS.c.run_id, FINDINGS.c.target, FINDINGS.c.severity,
                  sa.func.count().label("n"))
        .where(FINDINGS.c.run_id.in_(run_ids))
        .group_by(FINDINGS.c.run_id, FINDINGS.c.target, FINDINGS.c.severity)).all()
    for c in counted:
        if (state := owner.get((c.run_id, c.target))) is not None:
            state.counts[c.severity] = state.counts.get(c.severity, 0) + int(c.n)
    graded = conn.execute(
        sa.select(FINDINGS.c.run_id, FINDINGS.c.target, FINDINGS.c.check_id,
                  FINDINGS.c.evidence)
        .where(FINDINGS.c.run_id.in_(run_ids), FINDINGS.c.check_id.in_(GRADE_CHECKS))).all()
    for g in graded:
        state = owner.get((g.run_id, g.target))
        letter = grade_of(g.evidence)
        if state is not None and letter is not None:
            kind = GRADE_CHECKS[g.check_id]
            state.grades[kind] = worse_grade(state.grades.get(kind), letter)
    _add_trends(conn, scope, states)
    return sorted(states.values(), key=lambda s: (s.opd is None, s.opd or "", s.name))


def last_runs(conn: sa.Connection, count: int) -> list[sa.Row[tuple[str, str]]]:
    """The newest ``count`` runs as (run_id, started_at), oldest first."""
    rows = conn.execute(sa.select(RUNS.c.run_id, RUNS.c.started_at)
                        .order_by(RUNS.c.seq.desc()).limit(count)).all()
    return list(reversed(rows))


def _add_trends(conn: sa.Connection, scope: Scope,
                states: dict[tuple[str | None, str], ServiceState]) -> None:
    window = last_runs(conn, TREND_RUNS)
    ids = [r.run_id for r in window]
    label = service_label()
    per_run: dict[tuple[str | None, str], dict[str, dict[str, int]]] = defaultdict(dict)
    owner: dict[tuple[str, str], tuple[str | None, str]] = {}
    audited = _scoped(sa.select(TARGETS.c.run_id, TARGETS.c.spec, TARGETS.c.opd,
                                label.label("name")).where(TARGETS.c.run_id.in_(ids)), scope)
    for a in conn.execute(audited).all():
        per_run[(a.opd, a.name)][a.run_id] = zero()
        owner[(a.run_id, a.spec)] = (a.opd, a.name)
    # Grouped per target without a join (the index covers it); targets map to
    # their service here, from the few target rows.
    grouped = (sa.select(FINDINGS.c.run_id, FINDINGS.c.target, FINDINGS.c.severity,
                         sa.func.count().label("n"))
               .where(FINDINGS.c.run_id.in_(ids))
               .group_by(FINDINGS.c.run_id, FINDINGS.c.target, FINDINGS.c.severity))
    for g in conn.execute(grouped).all():
        key = owner.get((g.run_id, g.target))
        if key is not None:
            counts = per_run[key][g.run_id]
            counts[g.severity] = counts.get(g.severity, 0) + int(g.n)
    for key, state in states.items():
        runs = per_run.get(key, {})
        state.trend = [(r.started_at, runs[r.run_id]) for r in window if r.run_id in runs]


def by_unit(services: Iterable[ServiceState]) -> list[ServiceState]:
    """One row per owning unit: counts summed, the worst grade, trends summed per run."""
    units: dict[str | None, ServiceState] = {}
    trends: dict[str | None, dict[str, dict[str, int]]] = defaultdict(dict)
    for s in services:
        unit = units.setdefault(s.opd, ServiceState(s.opd, s.opd or "", s.run_id, s.seq,
                                                    s.started_at))
        if s.seq > unit.seq:  # the unit's newest run is its newest service's
            unit.run_id, unit.seq, unit.started_at = s.run_id, s.seq, s.started_at
        unit.targets.extend(s.targets)
        for sev, n in s.counts.items():
            unit.counts[sev] = unit.counts.get(sev, 0) + n
        for kind, letter in s.grades.items():
            unit.grades[kind] = worse_grade(unit.grades.get(kind), letter)
        for started, counts in s.trend:
            total = trends[s.opd].setdefault(started, zero())
            for sev, n in counts.items():
                total[sev] = total.get(sev, 0) + n
    for opd, unit in units.items():
        unit.trend = sorted(trends[opd].items())
    return sorted(units.values(), key=lambda u: (u.opd is None, u.opd or ""))


RUNS_PER_PAGE = 20


def _runs_in_scope(scope: Scope) -> sa.Select[tuple[object, ...]]:
    query = sa.select(RUNS)
    if scope.opd is not None:
        query = query.where(RUNS.c.run_id.in_(
            sa.select(TARGETS.c.run_id).where(TARGETS.c.opd == scope.opd)))
    return query


def run_list(conn: sa.Connection, scope: Scope, *, before: int | None = None,
             limit: int = RUNS_PER_PAGE, run_ids: Sequence[str] | None = None,
             ) -> list[StoredRun]:
    """Runs newest first (older than seq ``before``), or the given ones, each with
    its findings per severity counted within the scope only."""
    query = _runs_in_scope(scope).order_by(RUNS.c.seq.desc())
    if run_ids is not None:
        query = query.where(RUNS.c.run_id.in_(run_ids))
    else:
        if before is not None:
            query = query.where(RUNS.c.seq < before)
        query = query.limit(limit)
    rows = conn.execute(query).mappings().all()
    ids = [r["run_id"] for r in rows]
    counts: dict[str, dict[str, int]] = {i: zero() for i in ids}
    grouped = (sa.select(FINDINGS.c.run_id, FINDINGS.c.severity, sa.func.count().label("n"))
               .where(FINDINGS.c.run_id.in_(ids))
               .group_by(FINDINGS.c.run_id, FINDINGS.c.severity))
    if scope.opd is not None:
        grouped = grouped.join(TARGETS, sa.and_(TARGETS.c.run_id == FINDINGS.c.run_id,
                                                TARGETS.c.spec == FINDINGS.c.target)
                               ).where(TARGETS.c.opd == scope.opd)
    for c in conn.execute(grouped).all():
        counts[c.run_id][c.severity] = int(c.n)
    return [StoredRun(seq=r["seq"], run_id=r["run_id"], started_at=r["started_at"],
                      finished_at=r["finished_at"], status=r["status"],
                      targets=r["target_count"], counts=counts[r["run_id"]],
                      signed_sha256=r["signed_sha256"]) for r in rows]


def run_choices(conn: sa.Connection, scope: Scope, limit: int = 200
                ) -> list[sa.RowMapping]:
    """(seq, run_id, started_at) of the newest runs in scope, for pickers."""
    query = (_runs_in_scope(scope).with_only_columns(RUNS.c.seq, RUNS.c.run_id,
                                                     RUNS.c.started_at)
             .order_by(RUNS.c.seq.desc()).limit(limit))
    return list(conn.execute(query).mappings().all())


def previous_run(conn: sa.Connection, scope: Scope, seq: int) -> str | None:
    query = (_runs_in_scope(scope).with_only_columns(RUNS.c.run_id)
             .where(RUNS.c.seq < seq).order_by(RUNS.c.seq.desc()).limit(1))
    found = conn.execute(query).scalar()
    return str(found) if found is not None else None


def run_targets(conn: sa.Connection, run_id: str) -> dict[str, str | None]:
    """target spec -> owning unit, for one run."""
    rows = conn.execute(sa.select(TARGETS.c.spec, TARGETS.c.opd)
                        .where(TARGETS.c.run_id == run_id)).all()
    return {r.spec: r.opd for r in rows}


@dataclass(frozen=True)
class Sighting:
    """A finding id in one run."""

    seq: int
    run_id: str
    started_at: str
    severity: str
    target: str
    opd: str | None


def finding_history(conn: sa.Connection, finding_id: str) -> list[Sighting]:
    """Every run a finding id was reported in, newest first."""
    rows = conn.execute(
        sa.select(RUNS.c.seq, RUNS.c.run_id, RUNS.c.started_at, FINDINGS.c.severity,
                  FINDINGS.c.target, TARGETS.c.opd)
        .join(RUNS, RUNS.c.run_id == FINDINGS.c.run_id)
        .outerjoin(TARGETS, sa.and_(TARGETS.c.run_id == FINDINGS.c.run_id,
                                    TARGETS.c.spec == FINDINGS.c.target))
        .where(FINDINGS.c.finding_id == finding_id)
        .order_by(RUNS.c.seq.desc())).all()
    return [Sighting(r.seq, r.run_id, r.started_at, r.severity, r.target, r.opd) for r in rows]


@dataclass
class CheckFacts:
    """What one run says about the checks on a set of targets (for compliance)."""

    statuses: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # (check, key, severity): one entry per target, check and severity; the key
    # stands for the finding ids of that group.
    findings: list[tuple[str, str, str]] = field(default_factory=list)


def check_facts(conn: sa.Connection, pairs: Sequence[tuple[str, str]]
                ) -> dict[tuple[str, str], CheckFacts]:
    """(run_id, target) -> the check statuses and findings recorded there."""
    out: dict[tuple[str, str], CheckFacts] = {p: CheckFacts() for p in pairs}
    run_ids = {p[0] for p in pairs}
    if not run_ids:
        return out
    for r in conn.execute(sa.select(RESULTS.c.run_id, RESULTS.c.target, RESULTS.c.check_id,
                                    RESULTS.c.status).distinct()
                          .where(RESULTS.c.run_id.in_(run_ids))).all():
        if (facts := out.get((r.run_id, r.target))) is not None:
            facts.statuses[r.check_id].add(r.status)
    # One row per (target, check, severity): compliance needs whether a check
    # failed and how seriously, not every finding; the group stands for its ids.
    for f in conn.execute(sa.select(FINDINGS.c.run_id, FINDINGS.c.target, FINDINGS.c.check_id,
                                    FINDINGS.c.severity)
                          .where(FINDINGS.c.run_id.in_(run_ids))
                          .group_by(FINDINGS.c.run_id, FINDINGS.c.target, FINDINGS.c.severity,
                                    FINDINGS.c.check_id)).all():
        if (facts := out.get((f.run_id, f.target))) is not None:
            facts.findings.append((f.check_id, f"{f.target}|{f.check_id}|{f.severity}",
                                   f.severity))
    return out
