"""Factories for findings, targets, outcomes and reports: one place, so tests stay short.

Family test packages keep only the shapes particular to them (the policy tests'
result rows, the report tests' golden run) and build on these.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from egov_audit.model import (
    CheckResult,
    Confidence,
    Evidence,
    Finding,
    RunInfo,
    RunReport,
    Service,
    Severity,
    Status,
    Target,
    TargetOutcome,
    TargetStatus,
)


def finding_id(*parts: object) -> str:
    """A deterministic 20-hex finding id from any identifying parts."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:20]


def make_target(spec: str = "https://portal.example.go.id/", *, both: bool = False,
                **service: Any) -> Target:
    """A target for ``spec``; ``both`` gives it host-level HTTP and HTTPS entry points."""
    host = spec.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    if both:
        return Target(spec, host, f"http://{host}/", f"https://{host}/", Service(**service))
    return Target(spec, host, None, spec, Service(**service))


def make_finding(
    check: str = "https.hsts_missing",
    target: str = "https://portal.example.go.id/",
    severity: Severity = Severity.MEDIUM,
    **fields: Any,
) -> Finding:
    """A finding with every contract field; any field may be overridden.

    ``evidence`` may be given as text; ``details`` as any mapping.
    """
    location = fields.get("location", target)
    values: dict[str, Any] = {
        "id": finding_id(check, target, location),
        "check": check,
        "title": f"title of {check}",
        "severity": severity,
        "confidence": Confidence.FIRM,
        "cwe": (319,),
        "target": target,
        "location": location,
        "evidence": Evidence("observed"),
        "description": "risk",
        "remediation": "fix it",
        "references": (),
    }
    values.update(fields)
    if isinstance(values["evidence"], str):
        values["evidence"] = Evidence(values["evidence"])
    values["details"] = dict(values.get("details") or {})
    return Finding(**values)


def make_outcome(
    target: Target | None = None,
    findings: Iterable[Finding] | None = None,
    results: Iterable[tuple[str, Status]] | None = None,
    status: TargetStatus = TargetStatus.OK,
) -> TargetOutcome:
    target = target or make_target()
    res = tuple(CheckResult(c, target.spec, s) for c, s in (results or []))
    return TargetOutcome(target, status, None, (), res, tuple(findings or ()))


def make_report(
    outcomes: Iterable[TargetOutcome] | None = None,
    *,
    catalogue: Mapping[str, Any] | None = None,
    version: str = "0.0.0",
    **run: Any,
) -> RunReport:
    info = {
        "id": "run-1",
        "started_at": "2026-11-29T00:00:00Z",
        "finished_at": "2026-11-29T00:00:01Z",
        "duration_s": 1.0,
        "options": {},
        "interrupted": False,
        **run,
    }
    return RunReport(
        schema_version="1.1",
        tool={"name": "egov-audit", "version": version},
        run=RunInfo(**info),
        outcomes=tuple(outcomes or ()),
        catalogue=dict(catalogue or {"sha256": "0" * 64, "checks": []}),
    )


class InterruptAfterFirst:
    """An observer standing in for Ctrl-C: interrupts once the first target is done."""

    def run_started(self, targets: int, checks: int) -> None: ...
    def target_started(self, target: object) -> None: ...
    def run_finished(self, report: object) -> None: ...
    def warning(self, message: str) -> None: ...

    def target_finished(self, outcome: object) -> None:
        raise KeyboardInterrupt
