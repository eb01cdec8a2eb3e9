"""tls.ocsp_stapling_missing"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import chain_details, deployment_key, deployments, get_scan


@check(
    id="tls.ocsp_stapling_missing",
    title="The server does not staple an OCSP response",
    severity=Severity.INFO,
    cwe=(299,),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Turn on OCSP stapling (the CA must publish an OCSP responder):
          nginx:  ssl_stapling on; ssl_stapling_verify on;
                  ssl_trusted_certificate /etc/ssl/chain.pem; resolver 192.0.2.53;
          Apache: SSLUseStapling on  and, outside the VirtualHost,
                  SSLStaplingCache "shmcb:logs/ssl_stapling(32768)"
          IIS:    stapling is on by default when the server can reach the CA's responder.
    """,
    references=("https://www.rfc-editor.org/rfc/rfc6066#section-8",
                "https://www.rfc-editor.org/rfc/rfc7633"),
    tags=("certificate",),
)
def ocsp_stapling_missing(ctx: CheckContext) -> Iterator[Issue]:
    """Without stapling, clients either skip revocation checks (a stolen key keeps
    working) or ask the CA themselves, which leaks every visit to the CA and
    slows the connection. A Must-Staple certificate without stapling is fatal."""
    scan = get_scan(ctx)
    for index, dep in enumerate(deployments(scan)):
        if dep.ocsp_stapled:
            continue
        must = dep.must_staple
        yield Issue(
            key=deployment_key(scan, index),
            evidence=f"{scan.endpoint}: no OCSP response stapled"
                     + (" although the certificate demands it (OCSP Must-Staple)"
                        if must else "") + f" — {dep.leaf.summary()}",
            severity=Severity.HIGH if must else None,
            details={**chain_details(dep), "must_staple": must},
        )
