"""tls.grade"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import get_scan
from ._grade import GRADES, grade


@check(
    id="tls.grade",
    title="TLS grade of the endpoint (A+ to F)",
    severity=Severity.INFO,
    cwe=(327,),
    needs=(TlsScan,),
    confidence=Confidence.FIRM,
    remediation="""
        The grade is capped by the worst weakness; each cap names its reason and the
        tls.* finding that explains the fix. See docs/tls.md for the table of caps.
        Set `[settings."tls.grade"] fail_below = "B"` to turn grades worse than B
        into a high-severity finding.
    """,
    references=("https://github.com/ssllabs/research/wiki/SSL-Server-Rating-Guide",),
    tags=("grade",),
)
def tls_grade(ctx: CheckContext) -> Iterator[Issue]:
    """A single letter summarises the TLS configuration for management reports;
    every point lost is explained by the individual tls.* findings."""
    scan = get_scan(ctx)
    if not scan.suites and not scan.deployments:
        raise Skip("nothing was scanned successfully enough to grade: "
                   + "; ".join(f"{k}: {v}" for k, v in scan.errors.items()))
    letter, found = grade(scan, ctx.target.host)
    threshold = ctx.setting("fail_below", None)
    severity = None
    if threshold and GRADES.index(letter) > GRADES.index(str(threshold)):
        severity = Severity.HIGH
    reasons = "; ".join(f"{c.grade}: {c.reason}" for c in found) or "no weakness found"
    yield Issue(
        evidence=f"{scan.endpoint}: grade {letter} ({reasons})",
        severity=severity,
        details={"grade": letter, "caps": [{"grade": c.grade, "reason": c.reason}
                                           for c in found],
                 "untested": dict(scan.errors)},
    )
