"""tls.cert_not_yet_valid"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import CERT_REFERENCES, chain_details, get_scan
from ._validity import key_for, role, served


@check(
    id="tls.cert_not_yet_valid",
    title="The server's certificate is not valid yet",
    severity=Severity.HIGH,
    cwe=(298, 295),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Check the server's clock (NTP) and the certificate's notBefore date; install a
        certificate that is valid now. A certificate dated in the future usually means
        a wrong clock on the machine that generated it or on the server.
    """,
    references=CERT_REFERENCES,
    tags=("certificate",),
)
def cert_not_yet_valid(ctx: CheckContext) -> Iterator[Issue]:
    """Clients reject a certificate before its notBefore date, so the service is
    unreachable for them, and users learn to ignore certificate warnings."""
    scan = get_scan(ctx)
    for index, dep, cert in served(scan):
        if cert.not_before <= scan.scanned_at:
            continue
        yield Issue(
            key=key_for(scan, index, dep, cert),
            evidence=f"{scan.endpoint}: {role(dep, cert)} becomes valid only on "
                     f"{cert.not_before:%Y-%m-%d %H:%M}Z — {cert.summary()}",
            details={**chain_details(dep), "certificate": cert.evidence()},
        )
