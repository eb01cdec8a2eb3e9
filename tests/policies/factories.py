"""Small builders for policy tests: packs and run reports made directly, no network."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from egov_audit.model import Finding, RunReport, Severity, Status, Target
from egov_audit.policy.model import Control, Pack

from ..factories import finding_id as shared_id
from ..factories import make_finding, make_outcome, make_report

# One row per check x target: (target, check, status, severities of its findings)
Row = tuple[str, str, Status, Sequence[Severity]]


def finding_id(check: str, target: str, n: int = 0) -> str:
    return shared_id(check, target, n)


def finding(check: str, target: str, severity: Severity, n: int = 0) -> Finding:
    return make_finding(check, target, severity, id=finding_id(check, target, n),
                        title=f"{check} failed", evidence="seen", remediation="fix")


def report(rows: Iterable[Row], catalogue: Iterable[str] = ()) -> RunReport:
    """A RunReport whose results and findings are exactly ``rows``."""
    by_target: dict[str, tuple[list[tuple[str, Status]], list[Finding]]] = {}
    for target, check, status, severities in rows:
        results, findings = by_target.setdefault(target, ([], []))
        results.append((check, status))
        findings.extend(finding(check, target, s, n) for n, s in enumerate(severities))
    outcomes = [
        make_outcome(Target(t, "portal.example.go.id", None, t), found, res)
        for t, (res, found) in by_target.items()
    ]
    return make_report(outcomes, catalogue={
        "sha256": "0" * 64,
        "checks": [{"id": c, "title": c, "severity": "low", "cwe": [], "distribution": "test"}
                   for c in catalogue],
    })


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
