"""Builders for prioritisation tests, on top of the shared factories in ``tests/factories.py``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from egov_audit.model import Confidence, Finding, RunReport, Severity, Target, TargetOutcome

from ..factories import make_finding, make_outcome, make_report, make_target

STARTED = "2026-01-30T23:30:00Z"


def finding(
    check: str = "https.hsts_missing",
    target: str = "https://portal.example.go.id/",
    *,
    severity: Severity = Severity.MEDIUM,
    confidence: Confidence = Confidence.CERTAIN,
    evidence: str = "no Strict-Transport-Security header",
    details: Mapping[str, Any] | None = None,
    cwe: tuple[int, ...] = (319,),
    location: str | None = None,
    title: str | None = None,
    remediation: str = "Fix it as the check says.",
) -> Finding:
    return make_finding(
        check, target, severity, confidence=confidence, evidence=evidence,
        details=details, cwe=cwe, location=location or target,
        title=title or f"{check} failed", description="", remediation=remediation,
    )


def target(spec: str, **service: Any) -> Target:
    return make_target(spec, both=True, **service)


def outcome(spec: str, findings: Iterable[Finding] = (), **service: Any) -> TargetOutcome:
    return make_outcome(target(spec, **service), findings)


def report(outcomes: Iterable[TargetOutcome], started_at: str = STARTED) -> RunReport:
    return make_report(outcomes, version="0.1.0", started_at=started_at,
                       finished_at=started_at, options={"config_sha256": None})


def single(f: Finding, **service: Any) -> RunReport:
    """A report with one target holding ``f``."""
    return report([outcome(f.target, [f], **service)])
