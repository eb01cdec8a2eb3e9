"""tls.robot"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import get_scan, require


@check(
    id="tls.robot",
    title="The server is vulnerable to ROBOT (RSA padding oracle)",
    severity=Severity.HIGH,
    cwe=(203, 327),
    needs=(TlsScan,),
    confidence=Confidence.FIRM,
    remediation="""
        Update the TLS stack or load balancer firmware (vendor advisories list the
        fixed versions), and remove RSA key-exchange suites (TLS_RSA_WITH_*) so the
        oracle cannot be reached:
          nginx/Apache: keep only ECDHE suites in ssl_ciphers / SSLCipherSuite.
    """,
    references=("https://robotattack.org/",),
    tags=("vulnerability",),
)
def robot(ctx: CheckContext) -> Iterator[Issue]:
    """A Bleichenbacher padding oracle lets an attacker decrypt recorded RSA
    key-exchange sessions and sign messages with the server's key."""
    scan = get_scan(ctx)
    require(scan, "robot")
    if scan.robot is None or not scan.robot.startswith("VULNERABLE"):
        return
    strong = scan.robot == "VULNERABLE_STRONG_ORACLE"
    yield Issue(
        evidence=f"{scan.endpoint}: sslyze ROBOT test found a "
                 f"{'strong' if strong else 'weak'} oracle ({scan.robot})",
        severity=Severity.CRITICAL if strong else None,
        details={"robot": scan.robot},
    )
