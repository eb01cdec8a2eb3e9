"""tls.heartbleed"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import get_scan, require


@check(
    id="tls.heartbleed",
    title="The server is vulnerable to Heartbleed (CVE-2014-0160)",
    severity=Severity.CRITICAL,
    cwe=(125, 119),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Upgrade OpenSSL (1.0.1g or later; today, a supported 3.x release) and restart
        every service linked against it. Then assume the private key and session
        secrets leaked: generate a new key, get a new certificate, revoke the old one,
        and reset passwords and session cookies used on the service.
    """,
    references=("https://heartbleed.com/", "https://nvd.nist.gov/vuln/detail/CVE-2014-0160"),
    tags=("vulnerability",),
)
def heartbleed(ctx: CheckContext) -> Iterator[Issue]:
    """Heartbleed lets anyone read chunks of the server's memory, including
    private keys, passwords and other users' data, without leaving a trace."""
    scan = get_scan(ctx)
    require(scan, "heartbleed")
    if scan.heartbleed:
        yield Issue(evidence=f"{scan.endpoint} answered a malformed heartbeat request "
                             f"with memory contents (sslyze heartbleed test)")
