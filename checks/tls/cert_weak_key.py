"""tls.cert_weak_key"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import CertificateInfo, TlsScan

from ._common import CERT_REFERENCES, chain_details, get_scan
from ._validity import key_for, role, served

MINIMUM = {"RSA": 2048, "DSA": 2048, "EC": 256}


def too_weak(cert: CertificateInfo) -> bool:
    minimum = MINIMUM.get(cert.key_type)
    # DSA certificates are gone from the web PKI whatever their size.
    return cert.key_type == "DSA" or (minimum is not None and cert.key_size < minimum)


@check(
    id="tls.cert_weak_key",
    title="A certificate in the served chain has a weak key (RSA < 2048, EC < 256 bits)",
    severity=Severity.HIGH,
    cwe=(326,),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Generate a new key and certificate: ECDSA P-256 (preferred) or RSA 2048+.
          openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \\
                  -keyout site.key -out site.csr -subj "/CN=www.example.go.id"
        Then install the new certificate (nginx ssl_certificate/ssl_certificate_key,
        Apache SSLCertificateFile/SSLCertificateKeyFile, IIS site binding).
    """,
    references=(*CERT_REFERENCES, "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final"),
    tags=("certificate",),
)
def cert_weak_key(ctx: CheckContext) -> Iterator[Issue]:
    """Keys below 2048-bit RSA or 256-bit EC are within reach of factoring or
    discrete-log attacks, and current clients and CAs reject them."""
    scan = get_scan(ctx)
    for index, dep, cert in served(scan):
        if not too_weak(cert):
            continue
        minimum = MINIMUM.get(cert.key_type, 0)
        yield Issue(
            key=key_for(scan, index, dep, cert),
            evidence=f"{scan.endpoint}: {role(dep, cert)} has a {cert.key_type} "
                     f"{cert.key_size}-bit key (minimum {minimum}) — {cert.summary()}",
            details={**chain_details(dep), "certificate": cert.evidence(),
                     "minimum_bits": minimum},
        )
