"""Small builders for policy tests: packs and run reports made directly, no network."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from egov_audit.model import (
    CheckResult,
    Confidence,
    Evidence,
    Finding,
    RunInfo,
    RunReport,
    Severity,
    Status,
    Target,
    TargetOutcome,
    TargetStatus,
)
from egov_audit.policy.model import Control, Pack

# One row per check x target: (target, check, status, severities of its findings)
Row = tuple[str, str, Status, Sequence[Severity]]


def finding_id(check: str, target: str, n: int = 0) -> str:
    return hashlib.sha256(f"{check}|{target}|{n}".encode()).hexdigest()[:20]


def finding(check: str, target: str, severity: Severity, n: int = 0) -> Finding:
    return Finding(
        id=finding_id(check, target, n), check=check, title=f"{check} failed",
        severity=severity, confidence=Confidence.FIRM, cwe=(319,), target=target,
        location=target, evidence=Evidence("seen"), description="risk",
        remediation="fix", references=(),
    )


def report(rows: Iterable[Row], catalogue: Iterable[str] = ()) -> RunReport:
    """A RunReport whose results and findings are exactly ``rows``."""
    by_target: dict[str, tuple[list[CheckResult], list[Finding]]] = {}
    for target, check, status, severities in rows:
        results, findings = by_target.setdefault(target, ([], []))
        results.append(CheckResult(check, target, status))
        findings.extend(finding(check, target, s, n) for n, s in enumerate(severities))
    outcomes = tuple(
        TargetOutcome(Target(t, "portal.example.go.id", None, t), TargetStatus.OK, None, (),
                      tuple(res), tuple(found))
        for t, (res, found) in by_target.items()
    )
    return RunReport(
        schema_version="1.0",
        tool={"name": "egov-audit", "version": "0.0.0"},
        run=RunInfo("run-1", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", 1.0, {}),
        outcomes=outcomes,
        catalogue={"sha256": "0" * 64,
                   "checks": [{"id": c, "title": c, "severity": "low", "cwe": [],
                               "distribution": "test"} for c in catalogue]},
    )


def pack(*controls: tuple[str, Sequence[str]], verdict: str | None = None,
         pack_id: str = "test-pack") -> Pack:
    return Pack(
        id=pack_id, title="Test pack", version="1", source="tests", languages=("en",),
        controls=tuple(Control(id=cid, title=f"control {cid}", checks=tuple(checks))
                       for cid, checks in controls),
        verdict=verdict,
    )


A = "https://a.example.go.id/"
B = "https://b.example.go.id/"
