"""One unit of work: a target, its probes and its checks.

A :class:`TargetTask` is plain data (picklable, and JSON-able via
``to_dict``) so that a distributed executor can ship the same units to worker
machines; :func:`execute_task` is all a worker needs to run one.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from . import deadline
from .check import Check, CheckContext, Skip, Snapshot
from .findings import build_finding
from .model import (
    CheckResult,
    Finding,
    ProbeRecord,
    Reason,
    Service,
    SiteMapEntry,
    Status,
    Target,
    TargetOutcome,
    TargetStatus,
)
from .options import ScanOptions
from .probes.base import Probe, ProbeEnv, ProbeError, ProbeSession
from .probes.crawl import Crawl
from .redaction import Redactor


@dataclass(frozen=True)
class TargetTask:
    target: Target
    check_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"target": asdict(self.target), "check_ids": list(self.check_ids)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TargetTask:
        t = dict(data["target"])
        t["service"] = Service(**t.get("service", {}))
        return cls(Target(**t), tuple(data["check_ids"]))


def probe_items(checks: list[Check]) -> dict[str, frozenset[str]]:
    """The probes the checks need, each with the union of the items asked for."""
    items: dict[str, set[str]] = defaultdict(set)
    for c in checks:
        for n in c.needs:
            items[n.probe] |= n.items
    return {name: frozenset(v) for name, v in items.items()}


@dataclass
class Worker:
    """What executing tasks needs: the run-wide environment and the catalogue."""

    env: ProbeEnv
    checks: Mapping[str, Check]
    probes: Mapping[str, Probe]
    redactor: Redactor
    options: ScanOptions


class TaskProgress:
    """What a task has finished so far, readable from another thread.

    The runner reads it when it abandons a task at its deadline (or on
    Ctrl-C), so the probes and checks that did finish are kept in the report
    instead of the whole target being thrown away.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[ProbeRecord] = []
        self._results: dict[str, tuple[CheckResult, tuple[Finding, ...]]] = {}
        self._running: tuple[str, float] | None = None

    def probe_started(self, probe: str) -> None:
        with self._lock:
            self._running = (probe, time.monotonic())

    def probe_done(self, record: ProbeRecord) -> None:
        with self._lock:
            self._records.append(record)
            self._running = None

    def check_done(self, result: CheckResult, findings: list[Finding]) -> None:
        with self._lock:
            self._results[result.check] = (result, tuple(findings))

    def snapshot(self) -> tuple[list[ProbeRecord],
                                dict[str, tuple[CheckResult, tuple[Finding, ...]]],
                                tuple[str, float] | None]:
        with self._lock:
            return list(self._records), dict(self._results), self._running

    @property
    def running_probe(self) -> str | None:
        with self._lock:
            return self._running[0] if self._running else None


def execute_task(
    task: TargetTask,
    worker: Worker,
    *,
    deadline_at: float | None = None,
    progress: TaskProgress | None = None,
) -> TargetOutcome:
    """Audit one target under its deadline: ``deadline_at`` (a ``time.monotonic()``
    value), by default ``options.target_deadline`` from now, never past the run's.

    The deadline is put in force as the context deadline, so every probe and
    request below sees it; ``progress`` lets the caller keep what finished.
    """
    if deadline_at is None:
        deadline_at = time.monotonic() + worker.options.target_deadline
    at = min(deadline_at, worker.env.deadline)
    with deadline.bounded(at=at):
        outcome = _execute(task, worker, progress or TaskProgress())
    if time.monotonic() < at:
        return outcome
    # Work cut short at the deadline (a body truncated by the HTTP client's
    # clock, a probe that gave up) can look complete: a target that ran into
    # its deadline is never reported as ok, and its reason says so first.
    reason = deadline_reached_reason(worker.options, by_run=deadline_at >= worker.env.deadline)
    stopped = [p.probe for p in outcome.probes
               if not p.ok and p.reason_code is Reason.DEADLINE]
    others = [f"{p.probe}: {p.error}" for p in outcome.probes
              if not p.ok and p.probe not in stopped and not _unobservable(p)]
    parts = [reason, *([f"stopped at the deadline: {', '.join(stopped)}"] if stopped else []),
             *others]
    status = TargetStatus.PARTIAL if outcome.status is TargetStatus.OK else outcome.status
    return replace(outcome, status=status, error="; ".join(parts), reason_code=Reason.DEADLINE)


def deadline_reached_reason(options: ScanOptions, *, by_run: bool, doing: str = "") -> str:
    """Why a target is incomplete when a deadline ended its work; ``doing`` says
    what was still running when the runner stopped waiting for it."""
    detail = f" ({doing})" if doing else ""
    if by_run:
        return (f"the run's deadline of {options.deadline:g} s was reached before this "
                f"target finished{detail}")
    return f"did not finish within its deadline of {options.target_deadline:g} s{detail}"


def _execute(task: TargetTask, worker: Worker, progress: TaskProgress) -> TargetOutcome:
    target = task.target
    checks = [worker.checks[cid] for cid in task.check_ids]
    wanted = probe_items(checks)
    session = ProbeSession(target, worker.env, worker.probes, wanted)

    snapshots: dict[type[Snapshot], Snapshot] = {}
    failures: dict[str, ProbeRecord] = {}  # the failed probes' records, by probe
    records: list[ProbeRecord] = []
    kinds = {n.kind for c in checks for n in c.needs}
    waiting = _run_ready(checks, target, snapshots, failures, worker, progress)
    for kind in sorted(kinds, key=lambda k: k.probe):
        started = time.monotonic()
        progress.probe_started(kind.probe)
        try:
            snapshots[kind] = session.get(kind)
            record = ProbeRecord(kind.probe, True, None, _ms(started))
        except ProbeError as exc:
            # Reasons come from exceptions, which may quote what a probe read:
            # they pass the redactor like any evidence.
            record = ProbeRecord(kind.probe, False, worker.redactor.redact_text(str(exc)),
                                 _ms(started), exc.code or Reason.PROBE_FAILED)
            failures[kind.probe] = record
        records.append(record)
        progress.probe_done(record)
        # Checks run as soon as their snapshots are in: if a later probe is
        # abandoned at the deadline, their results are already kept.
        waiting = _run_ready(waiting, target, snapshots, failures, worker, progress)

    _, done, _ = progress.snapshot()
    results = [done[c.id][0] for c in checks]
    findings = [f for c in checks for f in done[c.id][1]]

    # A certificate that cannot be verified is the TLS checks' finding, not a
    # scanner failure: the HTTP checks it prevents are skipped, the target is fine.
    real = {k: r for k, r in failures.items() if not _unobservable(r)}
    detail = "; ".join(f"{k}: {r.error}" for k, r in real.items())
    if real and len(real) == len(records):
        status, error = TargetStatus.ERROR, detail
    elif real or any(r.status is Status.ERROR for r in results):
        status, error = TargetStatus.PARTIAL, detail
    else:
        status, error = TargetStatus.OK, None
    return TargetOutcome(
        target=target,
        status=status,
        error=error or None,
        probes=tuple(records),
        results=tuple(results),
        findings=tuple(_dedupe(findings)),
        site_map=_site_map(session, worker.redactor),
        reason_code=_common_code(r.reason_code for r in real.values()) if error else None,
    )


def _site_map(session: ProbeSession, redactor: Redactor) -> tuple[SiteMapEntry, ...]:
    """The crawl's site map, with every URL redacted: a query string or a file
    name can carry a NIK (``/detail?nik=…``, ``ktp_<NIK>.jpg``)."""
    crawl = session.collected(Crawl)
    if crawl is None:
        return ()
    return tuple(replace(e, url=redactor.redact_text(e.url)) for e in crawl.site_map)


def _run_ready(
    checks: list[Check],
    target: Target,
    snapshots: Mapping[type[Snapshot], Snapshot],
    failures: Mapping[str, ProbeRecord],
    worker: Worker,
    progress: TaskProgress,
) -> list[Check]:
    """Run the checks whose probes have all answered or failed; return the others."""
    waiting = []
    for c in checks:
        if all(n.kind in snapshots or n.probe in failures for n in c.needs):
            progress.check_done(*_run_check(c, target, snapshots, failures, worker))
        else:
            waiting.append(c)
    return waiting


def unfinished_outcome(task: TargetTask, progress: TaskProgress, reason: str,
                       code: Reason = Reason.DEADLINE) -> TargetOutcome:
    """The outcome of a task the runner stopped waiting for: what finished is kept,
    the probe still running and every check not yet run are errors with ``reason``
    and ``code`` (the deadline, or an interrupt).

    ``partial`` when at least one probe answered, else ``error``.
    """
    records, done, running = progress.snapshot()
    if running is not None:
        records.append(ProbeRecord(running[0], False, reason, _ms(running[1]), code))
    results: list[CheckResult] = []
    findings: list[Finding] = []
    for cid in task.check_ids:
        if cid in done:
            results.append(done[cid][0])
            findings.extend(done[cid][1])
        else:
            results.append(CheckResult(cid, task.target.spec, Status.ERROR, reason,
                                       reason_code=code))
    status = TargetStatus.PARTIAL if any(r.ok for r in records) else TargetStatus.ERROR
    return TargetOutcome(task.target, status, reason, tuple(records), tuple(results),
                         tuple(_dedupe(findings)), reason_code=code)


def _run_check(
    c: Check,
    target: Target,
    snapshots: Mapping[type[Snapshot], Snapshot],
    failures: Mapping[str, ProbeRecord],
    worker: Worker,
) -> tuple[CheckResult, list[Finding]]:
    missing = [failures.get(n.probe) or ProbeRecord(n.probe, False, None)
               for n in c.needs if n.kind not in snapshots]
    if missing:
        if all(_unobservable(p) for p in missing):
            return CheckResult(c.id, target.spec, Status.SKIPPED, UNVERIFIED_REASON,
                               reason_code=Reason.CERT_UNVERIFIED), []
        if all(p.reason_code is Reason.OVER_BUDGET for p in missing):
            # the per-host budget's cut, said as such
            return CheckResult(c.id, target.spec, Status.SKIPPED, missing[0].error,
                               reason_code=Reason.OVER_BUDGET), []
        reason = "; ".join(f"probe {p.probe} failed: {p.error or 'not run'}" for p in missing)
        return CheckResult(c.id, target.spec, Status.ERROR, reason,
                           reason_code=_common_code(p.reason_code for p in missing)), []
    started = time.monotonic()
    ctx = CheckContext(target, snapshots, worker.options.settings_for(c.id), needs=c.needs)
    try:
        issues = c.run(ctx)
    except Skip as skip:
        reason = worker.redactor.redact_text(skip.reason)
        return CheckResult(c.id, target.spec, Status.SKIPPED, reason, _ms(started),
                           skip.code), []
    except Exception as exc:  # a crashing check is a result, not the end of the run
        reason = worker.redactor.redact_text(f"check crashed: {type(exc).__name__}: {exc}")[:300]
        return CheckResult(c.id, target.spec, Status.ERROR, reason, _ms(started),
                           Reason.CHECK_CRASHED), []
    findings = [build_finding(c, issue, target, worker.redactor) for issue in issues]
    status = Status.FAIL if findings else Status.PASS
    return CheckResult(c.id, target.spec, status, None, _ms(started)), findings


UNVERIFIED_REASON = (
    "the HTTPS certificate cannot be verified, so HTTP content was not fetched "
    "(the tls checks report why; --ca-bundle trusts a private CA, --insecure audits "
    "the content anyway)"
)


def _unobservable(record: ProbeRecord) -> bool:
    """Did the probe fail only because the certificate cannot be verified?"""
    return record.reason_code is Reason.CERT_UNVERIFIED


def _common_code(codes: Iterable[Reason | None]) -> Reason:
    """The one code shared by several failures, else the general probe failure."""
    distinct = set(codes)
    if len(distinct) == 1:
        only = distinct.pop()
        if only is not None:
            return only
    return Reason.PROBE_FAILED


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: dict[str, Finding] = {}
    for f in findings:
        seen.setdefault(f.id, f)
    return list(seen.values())


def _ms(start: float) -> float:
    return round((time.monotonic() - start) * 1000, 2)
