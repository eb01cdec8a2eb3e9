"""Factories for findings, outcomes and reports: one place, so tests stay short."""

from __future__ import annotations

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


def make_target(spec: str = "https://portal.example.go.id/", **service: Any) -> Target:
    host = spec.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return Target(spec, host, None, spec, Service(**service))


def make_finding(
    check: str = "https.hsts_missing",
    target: str = "https://portal.example.go.id/",
    severity: Severity = Severity.MEDIUM,
    **fields: Any,
) -> Finding:
    values: dict[str, Any] = {
        "id": fields.pop("id", f"{abs(hash((check, target))) % 10**20:020d}"[:20]),
        "check": check,
        "title": f"title of {check}",
        "severity": severity,
        "confidence": Confidence.FIRM,
        "cwe": (319,),
        "target": target,
        "location": target,
        "evidence": Evidence("observed"),
        "description": "risk",
        "remediation": "fix it",
        "references": (),
    }
    values.update(fields)
    return Finding(**values)


def make_report(
    outcomes: list[TargetOutcome] | None = None, **run: Any
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
        schema_version="1.0",
        tool={"name": "egov-audit", "version": "0.0.0"},
        run=RunInfo(**info),
        outcomes=tuple(outcomes or ()),
        catalogue={"sha256": "0" * 64, "checks": []},
    )


def make_outcome(
    target: Target | None = None,
    findings: list[Finding] | None = None,
    results: list[tuple[str, Status]] | None = None,
    status: TargetStatus = TargetStatus.OK,
) -> TargetOutcome:
    target = target or make_target()
    found = tuple(findings or ())
    res = tuple(CheckResult(c, target.spec, s) for c, s in (results or []))
    return TargetOutcome(target, status, None, (), res, found)
