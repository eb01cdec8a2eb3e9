"""tls.cert_weak_signature"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import CertificateInfo, TlsScan

from ._common import CERT_REFERENCES, chain_details, get_scan
from ._validity import key_for, role, served

WEAK_HASHES = ("md2", "md4", "md5", "sha1")


def weak_hash(cert: CertificateInfo) -> str | None:
    if cert.signature_hash is not None:
        return cert.signature_hash if cert.signature_hash.lower() in WEAK_HASHES else None
    name = cert.signature_algorithm.lower()
    return next((h for h in WEAK_HASHES if name.startswith(h) or f"-{h}" in name), None)


@check(
    id="tls.cert_weak_signature",
    title="A certificate in the served chain is signed with SHA-1 or MD5",
    severity=Severity.HIGH,
    cwe=(327, 328),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Have the CA re-issue the certificate (and any intermediate) with a SHA-256 or
        stronger signature, then install the new chain. Root certificates are
        exempt: clients trust them by their presence in the store, not by their
        signature.
    """,
    references=(*CERT_REFERENCES, "https://shattered.io/"),
    tags=("certificate",),
)
def cert_weak_signature(ctx: CheckContext) -> Iterator[Issue]:
    """SHA-1 and MD5 signatures can be forged with chosen-prefix collisions
    (Flame, SHAttered), so such a certificate does not prove who issued it;
    browsers reject them."""
    scan = get_scan(ctx)
    for index, dep, cert in served(scan):
        digest = weak_hash(cert)
        if digest is None:
            continue
        yield Issue(
            key=key_for(scan, index, dep, cert),
            evidence=f"{scan.endpoint}: {role(dep, cert)} is signed with "
                     f"{cert.signature_algorithm} ({digest.upper()}) — {cert.summary()}",
            details={**chain_details(dep), "certificate": cert.evidence(), "hash": digest},
        )
