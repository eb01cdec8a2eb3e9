"""Factories for constructed reports: findings, outcomes and runs built directly from the model."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from egov_audit.model import (
    Confidence,
    Evidence,
    Finding,
    RunInfo,
    RunReport,
    Service,
    Severity,
    Target,
    TargetOutcome,
    TargetStatus,
)

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
    location = location or target
    fid = hashlib.sha256(f"{check}|{target}|{location}".encode()).hexdigest()[:20]
    return Finding(
        id=fid, check=check, title=title or f"{check} failed", severity=severity,
        confidence=confidence, cwe=cwe, target=target, location=location,
        evidence=Evidence(evidence), description="", remediation=remediation,
        references=(), details=dict(details or {}),
    )


def target(spec: str, **service: Any) -> Target:
    host = spec.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return Target(spec=spec, host=host, http_url=f"http://{host}/", https_url=f"https://{host}/",
                  service=Service(**service))


def outcome(spec: str, findings: Iterable[Finding] = (), **service: Any) -> TargetOutcome:
    return TargetOutcome(target=target(spec, **service), status=TargetStatus.OK, error=None,
                         probes=(), results=(), findings=tuple(findings))


def report(outcomes: Iterable[TargetOutcome], started_at: str = STARTED) -> RunReport:
    return RunReport(
        schema_version="1.0",
        tool={"name": "egov-audit", "version": "0.1.0"},
        run=RunInfo(id="run-1", started_at=started_at, finished_at=started_at, duration_s=1.0,
                    options={"config_sha256": None}),
        outcomes=tuple(outcomes),
        catalogue={"sha256": "0" * 64, "checks": []},
    )


def single(f: Finding, **service: Any) -> RunReport:
    """A report with one target holding ``f``."""
    return report([outcome(f.target, [f], **service)])
