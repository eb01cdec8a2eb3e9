"""tls.cert_untrusted"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import SELF_SIGNED, UNKNOWN_ROOT, TlsScan

from ._common import CERT_REFERENCES, chain_details, deployment_key, deployments, get_scan
from ._issuer import KNOWN_UNTRUSTED_CA, UNKNOWN_ISSUER, issuer_problem, known_ca


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
        problem = issuer_problem(dep)
        known = known_ca(dep)
        if dep.untrusted_reason == SELF_SIGNED:
            why = "the certificate is self-signed"
        elif dep.untrusted_reason == UNKNOWN_ROOT and dep.missing_issuer:
            why = (f"the chain ends at '{dep.path[-1].subject}', issued by "
                   f"'{dep.missing_issuer}', which no trust store holds")
        elif dep.untrusted_reason == UNKNOWN_ROOT:
            why = (f"the chain ends at root '{dep.path[-1].subject}', which no trust store "
                   f"holds")
        elif problem == UNKNOWN_ISSUER:
            why = (f"its issuer '{dep.missing_issuer}' is neither sent nor a known root, and "
                   f"'{dep.path[-1].subject}' names no place to fetch it (no AIA caIssuers), "
                   f"as certificates of public CAs do: a private or ad-hoc CA issued it; "
                   f"replace the certificate (sending an intermediate will not help)")
        elif problem == KNOWN_UNTRUSTED_CA:
            why = f"its issuer '{dep.missing_issuer}' is neither sent nor a known root"
        else:
            continue  # a missing intermediate is tls.cert_chain_incomplete's finding
        if known is not None:
            why += (f"; the chain leads to the {known.label}, a known {known.kind} "
                    f"certificate" + (" whose private key is public" if known.key_public
                                      else "") + f" ({known.reference})")
        stores = "public trust stores" + (" or the supplied CA bundle" if scan.custom_ca
                                          else " (no --ca-bundle was given)")
        yield Issue(
            key=key,
            evidence=f"{scan.endpoint}: not trusted by {stores}: {why} — {leaf.summary()}",
            details={**chain_details(dep), "reason": problem or dep.untrusted_reason,
                     "known_ca": known.id if known else None,
                     "validation_errors": dict(dep.validation_errors)},
        )
