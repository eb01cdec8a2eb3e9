"""One unit of work: a target, its probes and its checks.

A :class:`TargetTask` is plain data (picklable, and JSON-able via
``to_dict``) so that a distributed executor can ship the same units to worker
machines; :func:`execute_task` is all a worker needs to run one.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from .check import Check, CheckContext, Skip, Snapshot
from .findings import build_finding
from .model import (
    CheckResult,
    Finding,
    ProbeRecord,
    Service,
    Status,
    Target,
    TargetOutcome,
    TargetStatus,
)
from .options import ScanOptions
from .probes.base import Probe, ProbeEnv, ProbeError, ProbeSession
from .probes.http import CERT_UNVERIFIED
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


def execute_task(task: TargetTask, worker: Worker) -> TargetOutcome:
    target = task.target
    checks = [worker.checks[cid] for cid in task.check_ids]
    wanted = probe_items(checks)
    session = ProbeSession(target, worker.env, worker.probes, wanted)

    snapshots: dict[type[Snapshot], Snapshot] = {}
    failures: dict[str, str] = {}
    records: list[ProbeRecord] = []
    kinds = {n.kind for c in checks for n in c.needs}
    for kind in sorted(kinds, key=lambda k: k.probe):
        started = time.monotonic()
        try:
            snapshots[kind] = session.get(kind)
            records.append(ProbeRecord(kind.probe, True, None, _ms(started)))
        except ProbeError as exc:
            # Reasons come from exceptions, which may quote what a probe read:
            # they pass the redactor like any evidence.
            failures[kind.probe] = worker.redactor.redact_text(str(exc))
            records.append(ProbeRecord(kind.probe, False, failures[kind.probe], _ms(started)))

    results: list[CheckResult] = []
    findings: list[Finding] = []
    for c in checks:
        result, found = _run_check(c, target, snapshots, failures, worker)
        results.append(result)
        findings.extend(found)

    # A certificate that cannot be verified is the TLS checks' finding, not a
    # scanner failure: the HTTP checks it prevents are skipped, the target is fine.
    real = {k: v for k, v in failures.items() if not _unobservable(v)}
    detail = "; ".join(f"{k}: {v}" for k, v in real.items())
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
    )


def _run_check(
    c: Check,
    target: Target,
    snapshots: Mapping[type[Snapshot], Snapshot],
    failures: Mapping[str, str],
    worker: Worker,
) -> tuple[CheckResult, list[Finding]]:
    missing = [n.probe for n in c.needs if n.kind not in snapshots]
    if missing:
        if all(_unobservable(failures.get(p, "")) for p in missing):
            return CheckResult(c.id, target.spec, Status.SKIPPED, UNVERIFIED_REASON), []
        reason = "; ".join(f"probe {p} failed: {failures.get(p, 'not run')}" for p in missing)
        return CheckResult(c.id, target.spec, Status.ERROR, reason), []
    started = time.monotonic()
    ctx = CheckContext(target, snapshots, worker.options.settings_for(c.id), needs=c.needs)
    try:
        issues = c.run(ctx)
    except Skip as skip:
        reason = worker.redactor.redact_text(skip.reason)
        return CheckResult(c.id, target.spec, Status.SKIPPED, reason, _ms(started)), []
    except Exception as exc:  # a crashing check is a result, not the end of the run
        reason = worker.redactor.redact_text(f"check crashed: {type(exc).__name__}: {exc}")[:300]
        return CheckResult(c.id, target.spec, Status.ERROR, reason, _ms(started)), []
    findings = [build_finding(c, issue, target, worker.redactor) for issue in issues]
    status = Status.FAIL if findings else Status.PASS
    return CheckResult(c.id, target.spec, status, None, _ms(started)), findings


UNVERIFIED_REASON = (
    "the HTTPS certificate cannot be verified, so HTTP content was not fetched "
    "(the tls checks report why; --ca-bundle trusts a private CA, --insecure audits "
    "the content anyway)"
)


def _unobservable(message: str) -> bool:
    return CERT_UNVERIFIED in message


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: dict[str, Finding] = {}
    for f in findings:
        seen.setdefault(f.id, f)
    return list(seen.values())


def _ms(start: float) -> float:
    return round((time.monotonic() - start) * 1000, 2)
