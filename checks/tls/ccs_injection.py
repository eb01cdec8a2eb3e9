"""tls.ccs_injection"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import get_scan, require


@check(
    id="tls.ccs_injection",
    title="The server is vulnerable to OpenSSL CCS injection (CVE-2014-0224)",
    severity=Severity.HIGH,
    cwe=(841, 327),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Upgrade OpenSSL (0.9.8za / 1.0.0m / 1.0.1h or later; today a supported 3.x)
        and restart the services that use it.
    """,
    references=("https://nvd.nist.gov/vuln/detail/CVE-2014-0224",),
    tags=("vulnerability",),
)
def ccs_injection(ctx: CheckContext) -> Iterator[Issue]:
    """An early ChangeCipherSpec makes vulnerable OpenSSL use a predictable key,
    so a network attacker can read and alter the session."""
    scan = get_scan(ctx)
    require(scan, "openssl_ccs_injection")
    if scan.ccs_injection:
        yield Issue(evidence=f"{scan.endpoint} accepted an early ChangeCipherSpec "
                             f"(sslyze openssl_ccs_injection test)")
