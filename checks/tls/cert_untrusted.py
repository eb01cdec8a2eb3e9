"""tls.cert_untrusted"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import SELF_SIGNED, UNKNOWN_ROOT, TlsScan

from ._common import CERT_REFERENCES, chain_details, deployment_key, deployments, get_scan


@check(
    id="tls.cert_untrusted",
    title="The server's certificate is not trusted (self-signed or unknown CA)",
    severity=Severity.HIGH,
    cwe=(295,),
    needs=(TlsScan,),
    confidence=Confidence.FIRM,
    remediation="""
        Public services: install a certificate from a publicly trusted CA (a free
        ACME certificate works), with its intermediate chain.
        Intranet services signed by the institution's own CA: distribute that root
        to the institution's devices, and audit with `--ca-bundle root.pem` so the
        chain is judged against it. Never ask users to accept a self-signed
        certificate.
    """,
    references=(*CERT_REFERENCES, "https://letsencrypt.org/getting-started/"),
    tags=("certificate",),
)
def cert_untrusted(ctx: CheckContext) -> Iterator[Issue]:
    """A certificate no trust store vouches for cannot prove the server's
    identity: clients see a warning, and an attacker's self-signed certificate
    looks exactly the same to a user who clicks through it."""
    scan = get_scan(ctx)
    for index, dep in enumerate(deployments(scan)):
        key = deployment_key(scan, index)
        leaf = dep.leaf
        if dep.trust == "public":
            continue
        if dep.trust == "custom":
            if ctx.target.service.exposure == "internal":
                continue
            yield Issue(
                key=key,
                evidence=f"{scan.endpoint}: the chain is trusted only by the supplied CA "
                         f"bundle, not by public trust stores; citizens' browsers will "
                         f"reject it — {leaf.summary()}",
                severity=Severity.parse(str(ctx.setting("private_ca_severity", "info"))),
                details={**chain_details(dep), "reason": "custom_only"},
            )
            continue
        if dep.untrusted_reason == SELF_SIGNED:
            why = "the certificate is self-signed"
        elif dep.untrusted_reason == UNKNOWN_ROOT and dep.missing_issuer:
            why = (f"the chain ends at '{dep.path[-1].subject}', issued by "
                   f"'{dep.missing_issuer}', which no trust store holds")
        elif dep.untrusted_reason == UNKNOWN_ROOT:
            why = (f"the chain ends at root '{dep.path[-1].subject}', which no trust store "
                   f"holds")
        else:
            continue  # a missing intermediate is tls.cert_chain_incomplete's finding
        stores = "public trust stores" + (" or the supplied CA bundle" if scan.custom_ca
                                          else " (no --ca-bundle was given)")
        yield Issue(
            key=key,
            evidence=f"{scan.endpoint}: not trusted by {stores}: {why} — {leaf.summary()}",
            details={**chain_details(dep), "reason": dep.untrusted_reason,
                     "validation_errors": dict(dep.validation_errors)},
        )
