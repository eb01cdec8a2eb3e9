"""tls.cert_hostname_mismatch"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import (
    CERT_REFERENCES,
    chain_details,
    deployment_key,
    deployments,
    get_scan,
    hostname_matches,
)


@check(
    id="tls.cert_hostname_mismatch",
    title="The server's certificate does not name the host it serves",
    severity=Severity.HIGH,
    cwe=(297, 295),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Issue the certificate with every name the service is reached by in its
        Subject Alternative Name (SAN) extension (the CN alone is ignored by
        browsers); a wildcard *.example.go.id covers one label only. Serve the
        right certificate per name (nginx: one server block per server_name;
        Apache: one VirtualHost per ServerName; IIS: SNI bindings).
    """,
    references=("https://www.rfc-editor.org/rfc/rfc6125", *CERT_REFERENCES),
    tags=("certificate",),
)
def cert_hostname_mismatch(ctx: CheckContext) -> Iterator[Issue]:
    """A certificate for another name does not prove this server's identity:
    clients reject the connection, and users who click through cannot tell an
    attacker's server from the real one."""
    scan = get_scan(ctx)
    host = ctx.target.host
    for index, dep in enumerate(deployments(scan)):
        leaf = dep.leaf
        if hostname_matches(host, leaf):
            continue
        names = [*leaf.dns_names, *leaf.ip_addresses]
        note = "" if names else " (the certificate has no SAN extension; the CN is not used)"
        yield Issue(
            key=deployment_key(scan, index),
            evidence=f"{scan.endpoint}: '{host}' is not among the certificate's names "
                     f"{', '.join(names) or 'none'}{note} — {leaf.summary()}",
            details={**chain_details(dep), "host": host, "names": names,
                     "common_names": list(leaf.common_names)},
        )
