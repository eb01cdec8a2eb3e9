"""tls.cert_expiring"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import CERT_REFERENCES, chain_details, get_scan
from ._validity import key_for, role, served


@check(
    id="tls.cert_expiring",
    title="The server's certificate expires soon",
    severity=Severity.MEDIUM,
    cwe=(298,),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Renew the certificate before it expires and automate renewal (ACME/certbot
        renews 30 days ahead). The horizon is configurable:
        `[settings.tls] expiry_warning_days = 30` (medium) and
        `expiry_critical_days = 7` (high).
    """,
    references=CERT_REFERENCES,
    tags=("certificate",),
)
def cert_expiring(ctx: CheckContext) -> Iterator[Issue]:
    """A certificate about to expire will take the service down for every
    client on the day it lapses unless someone renews it in time."""
    scan = get_scan(ctx)
    warning = int(ctx.setting("expiry_warning_days", 30))
    critical = int(ctx.setting("expiry_critical_days", 7))
    for index, dep, cert in served(scan):
        if cert.not_after < scan.scanned_at or cert.not_before > scan.scanned_at:
            continue  # tls.cert_expired / tls.cert_not_yet_valid report these
        left = cert.not_after - scan.scanned_at
        days = left.days
        if left.total_seconds() > warning * 86400:
            continue
        yield Issue(
            key=key_for(scan, index, dep, cert),
            evidence=f"{scan.endpoint}: {role(dep, cert)} expires "
                     f"{cert.not_after:%Y-%m-%d %H:%M}Z, in {days} day(s) — {cert.summary()}",
            severity=Severity.HIGH if left.total_seconds() <= critical * 86400 else None,
            details={**chain_details(dep), "certificate": cert.evidence(),
                     "days_left": days, "warning_days": warning, "critical_days": critical},
        )
