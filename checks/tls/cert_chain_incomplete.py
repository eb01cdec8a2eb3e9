"""tls.cert_chain_incomplete"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import CERT_REFERENCES, chain_details, deployment_key, deployments, get_scan
from ._issuer import MISSING_INTERMEDIATE, issuer_problem


@check(
    id="tls.cert_chain_incomplete",
    title="The server does not send the intermediate certificates of its chain",
    severity=Severity.MEDIUM,
    cwe=(295, 296),
    needs=(TlsScan,),
    confidence=Confidence.FIRM,
    remediation="""
        Serve the full chain: the leaf first, then each intermediate (not the root).
          nginx:  ssl_certificate /etc/ssl/site-fullchain.pem;  (cat site.crt intermediate.crt)
          Apache: SSLCertificateFile /etc/ssl/site-fullchain.pem  (2.4.8+; older:
                  SSLCertificateChainFile intermediate.crt)
          IIS:    import the intermediate into the "Intermediate Certification
                  Authorities" store of the computer account.
    """,
    references=(*CERT_REFERENCES, "https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2"),
    tags=("certificate",),
)
def cert_chain_incomplete(ctx: CheckContext) -> Iterator[Issue]:
    """Without its intermediate, the chain cannot be built by many clients
    (Android apps, curl, Java, API consumers) and they refuse to connect, while
    desktop browsers that happen to cache the intermediate hide the problem."""
    scan = get_scan(ctx)
    for index, dep in enumerate(deployments(scan)):
        if issuer_problem(dep) != MISSING_INTERMEDIATE:
            continue  # an unknown or known-bad issuer is tls.cert_untrusted's finding
        yield Issue(
            key=deployment_key(scan, index),
            evidence=f"{scan.endpoint}: the server sends {len(dep.received)} certificate(s); "
                     f"the issuer '{dep.missing_issuer}' of '{dep.path[-1].subject}' is "
                     f"neither sent nor a known root; the certificate names where to fetch "
                     f"it ({', '.join(dep.path[-1].aia_ca_issuers)}), as public CAs do — "
                     f"{dep.leaf.summary()}",
            details={**chain_details(dep), "missing_issuer": dep.missing_issuer,
                     "ca_issuers": list(dep.path[-1].aia_ca_issuers)},
        )
