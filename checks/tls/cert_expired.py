"""tls.cert_expired"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import CERT_REFERENCES, chain_details, get_scan
from ._validity import key_for, role, served


@check(
    id="tls.cert_expired",
    title="The server's certificate has expired",
    severity=Severity.HIGH,
    cwe=(298, 295),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Renew the certificate now and install it with its intermediate chain; then
        automate renewal (ACME/certbot, or the CA's renewal reminders) so it cannot
        lapse again:
          nginx:  ssl_certificate /etc/ssl/site-fullchain.pem; then `nginx -s reload`
          Apache: SSLCertificateFile /etc/ssl/site-fullchain.pem; then `apachectl graceful`
          IIS:    import the new PFX, then bind it to the site (Site Bindings > https).
    """,
    references=CERT_REFERENCES,
    tags=("certificate",),
)
def cert_expired(ctx: CheckContext) -> Iterator[Issue]:
    """Browsers block a site whose certificate has expired; users who are taught
    to click through the warning will also click through a real attack."""
    scan = get_scan(ctx)
    for index, dep, cert in served(scan):
        if cert.not_after >= scan.scanned_at:
            continue
        days = (scan.scanned_at - cert.not_after).days
        yield Issue(
            key=key_for(scan, index, dep, cert),
            evidence=f"{scan.endpoint}: {role(dep, cert)} expired "
                     f"{cert.not_after:%Y-%m-%d %H:%M}Z ({days} day(s) ago) — {cert.summary()}",
            details={**chain_details(dep), "certificate": cert.evidence(),
                     "days_expired": days},
        )
