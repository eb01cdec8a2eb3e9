"""Certificate facts and chain trust, judged apart from hostname, dates and policy.

sslyze validates a chain with ``cryptography``'s web-PKI verifier, which
rejects a chain for any reason at once (expired, wrong host, SHA-1, small
key, unknown root). A report must say *which* problem it is, so here the
path is built from signatures alone: which trust stores anchor the chain,
and if none, whether the leaf is self-signed, the root is unknown, or an
intermediate is missing. The other problems are separate checks.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa
from cryptography.x509.oid import NameOID

from .tls_model import (
    MISSING_ISSUER,
    SELF_SIGNED,
    UNKNOWN_ROOT,
    CertificateDeployment,
    CertificateInfo,
)

CUSTOM_STORE = "custom CA bundle"
_MAX_DEPTH = 10


def describe(cert: x509.Certificate) -> CertificateInfo:
    key = cert.public_key()
    curve: str | None = None
    if isinstance(key, rsa.RSAPublicKey):
        key_type, key_size = "RSA", key.key_size
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key_type, key_size, curve = "EC", key.curve.key_size, key.curve.name
    elif isinstance(key, ed25519.Ed25519PublicKey):
        key_type, key_size = "Ed25519", 256
    elif isinstance(key, ed448.Ed448PublicKey):
        key_type, key_size = "Ed448", 456
    elif isinstance(key, dsa.DSAPublicKey):
        key_type, key_size = "DSA", key.key_size
    else:
        key_type, key_size = type(key).__name__, 0
    try:
        hash_alg = cert.signature_hash_algorithm
        signature_hash = hash_alg.name if hash_alg is not None else None
    except Exception:  # an algorithm cryptography cannot name (e.g. MD2)
        signature_hash = None
    self_issued = cert.subject == cert.issuer
    return CertificateInfo(
        subject=_name(cert.subject),
        issuer=_name(cert.issuer),
        common_names=tuple(
            str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        ),
        dns_names=_san(cert, x509.DNSName),
        ip_addresses=_san(cert, x509.IPAddress),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_type=key_type,
        key_size=key_size,
        curve=curve,
        signature_algorithm=getattr(cert.signature_algorithm_oid, "_name", None)
        or cert.signature_algorithm_oid.dotted_string,
        signature_hash=signature_hash,
        sha256=cert.fingerprint(hashes.SHA256()).hex(":").upper(),
        serial=format(cert.serial_number, "x"),
        is_ca=_is_ca(cert),
        self_issued=self_issued,
        self_signed=self_issued and _signed_by(cert, cert),
        aia_ca_issuers=_ca_issuers(cert),
        authority_key_id=_key_id(cert, x509.AuthorityKeyIdentifier),
        subject_key_id=_key_id(cert, x509.SubjectKeyIdentifier),
    )


# A hostile certificate could list thousands of URLs; a few say enough.
_MAX_AIA_URLS = 4


def _ca_issuers(cert: x509.Certificate) -> tuple[str, ...]:
    """The AIA caIssuers URLs: where a client may fetch the issuer."""
    try:
        ext = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
    except Exception:  # absent or malformed: no pointer either way
        return ()
    urls = [str(d.access_location.value)[:300] for d in ext.value
            if d.access_method == x509.oid.AuthorityInformationAccessOID.CA_ISSUERS
            and isinstance(d.access_location, x509.UniformResourceIdentifier)]
    return tuple(urls[:_MAX_AIA_URLS])


def _key_id(cert: x509.Certificate,
            kind: type[x509.AuthorityKeyIdentifier] | type[x509.SubjectKeyIdentifier]
            ) -> str | None:
    try:
        value = cert.extensions.get_extension_for_class(kind).value
    except Exception:
        return None
    raw = value.key_identifier if isinstance(value, x509.AuthorityKeyIdentifier) \
        else value.digest
    return raw.hex() if raw else None


def _name(name: x509.Name) -> str:
    try:
        return name.rfc4514_string()
    except Exception:
        return repr(name)


def _san(cert: x509.Certificate, kind: type[x509.DNSName] | type[x509.IPAddress]
         ) -> tuple[str, ...]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return ()
    except Exception:  # a malformed extension is reported as "no SANs"
        return ()
    return tuple(str(v) for v in ext.value.get_values_for_type(kind))


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except Exception:
        return False


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except Exception:
        # cryptography's X.509 layer refuses SHA-1/MD5 signatures outright; we
        # still need to know who signed such a certificate to name its problem.
        return _legacy_signature_ok(cert, issuer)


def _legacy_signature_ok(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        digest = cert.signature_hash_algorithm
        key = issuer.public_key()
        if isinstance(key, rsa.RSAPublicKey) and digest is not None:
            key.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), digest)
        elif isinstance(key, ec.EllipticCurvePublicKey) and digest is not None:
            key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(digest))
        else:
            return False
    except Exception:  # bad signature, or an algorithm nobody should still use
        return False
    return True


# -- trust stores -------------------------------------------------------------------

@dataclass(frozen=True)
class TrustAnchors:
    """Root certificates indexed by subject, each tagged with its store's name."""

    by_subject: dict[x509.Name, list[tuple[str, x509.Certificate]]]
    public_names: frozenset[str]

    def candidates(self, issuer: x509.Name) -> list[tuple[str, x509.Certificate]]:
        return self.by_subject.get(issuer, [])


def load_pem_file(path: Path) -> list[x509.Certificate]:
    with warnings.catch_warnings():
        # Some long-lived public roots carry non-positive serial numbers.
        warnings.simplefilter("ignore")
        return x509.load_pem_x509_certificates(path.read_bytes())


@lru_cache(maxsize=1)
def _public_stores() -> tuple[tuple[str, tuple[x509.Certificate, ...]], ...]:
    """sslyze's bundled stores (Mozilla, Apple, Android, Windows, Java), loaded once."""
    from sslyze.plugins.certificate_info.trust_stores.trust_store_repository import (
        TrustStoresRepository,
    )

    with warnings.catch_warnings():
        # Built here, in one thread, before any scan: sslyze's singleton is not
        # thread-safe, and one bundled root has a negative serial number that
        # makes cryptography warn on every run.
        warnings.simplefilter("ignore")
        stores = TrustStoresRepository.get_default().get_all_stores()
    return tuple((s.name, tuple(load_pem_file(s.path))) for s in stores)


def trust_anchors(custom_ca_file: str | None,
                  public: Iterable[tuple[str, Sequence[x509.Certificate]]] | None = None
                  ) -> TrustAnchors:
    stores = list(public if public is not None else _public_stores())
    if custom_ca_file:
        stores.append((CUSTOM_STORE, load_pem_file(Path(custom_ca_file))))
    index: dict[x509.Name, list[tuple[str, x509.Certificate]]] = {}
    for name, certs in stores:
        for cert in certs:
            index.setdefault(cert.subject, []).append((name, cert))
    return TrustAnchors(index, frozenset(n for n, _ in stores if n != CUSTOM_STORE))


@dataclass(frozen=True)
class ChainVerdict:
    path: tuple[x509.Certificate, ...]
    trust: str  # public | custom | none
    trusted_by: tuple[str, ...]
    untrusted_reason: str | None
    missing_issuer: str | None
    anchor_served: bool


def judge_chain(received: Sequence[x509.Certificate], anchors: TrustAnchors) -> ChainVerdict:
    """Walk leaf → root through the served certificates, noting every store that
    anchors a step. Walking on past the first anchor matters: a custom bundle may
    hold an intermediate of a chain the public stores also trust at the root."""
    leaf = received[0]
    pool = list(received[1:])
    path = [leaf]
    trusted: dict[str, None] = {}
    anchor_served = False
    current = leaf
    reason: str | None = None
    missing: str | None = None
    for _ in range(_MAX_DEPTH):
        for store, root in anchors.candidates(current.issuer):
            if root == current or _signed_by(current, root):
                trusted.setdefault(store, None)
                anchor_served = anchor_served or (current is not leaf and root == current)
        if current.subject == current.issuer and _signed_by(current, current):
            if not trusted:
                reason = SELF_SIGNED if current is leaf else UNKNOWN_ROOT
            break
        nxt = next((c for c in pool if c.subject == current.issuer and _signed_by(current, c)),
                   None)
        if nxt is None:
            if not trusted:
                # A leaf sent alone, by an unknown issuer, is the classic missing
                # intermediate. Once the server sends intermediates, an unknown
                # issuer above them is almost always a private root instead:
                # public intermediates chain to roots the stores hold.
                reason = MISSING_ISSUER if current is leaf else UNKNOWN_ROOT
                missing = _name(current.issuer)
            break
        pool.remove(nxt)
        path.append(nxt)
        current = nxt
    names = tuple(trusted)
    if any(n in anchors.public_names for n in names):
        trust = "public"
    elif names:
        trust = "custom"
    else:
        trust = "none"
    return ChainVerdict(tuple(path), trust, names, reason, missing, anchor_served)


def deployment(received: Sequence[x509.Certificate], anchors: TrustAnchors, *,
               valid_order: bool | None, validation_errors: Mapping[str, str] | None = None,
               ocsp_stapled: bool = False, ocsp_status: str | None = None,
               must_staple: bool = False) -> CertificateDeployment:
    """One served chain as the checks read it: what was sent, the path built
    from it and our verdict on its trust, plus what the prober observed about
    it (order, stapled OCSP, must-staple). sslyze's converter and the fallback
    prober both build deployments here, so the two judge trust alike."""
    verdict = judge_chain(received, anchors)
    return CertificateDeployment(
        received=tuple(describe(c) for c in received),
        path=tuple(describe(c) for c in verdict.path),
        trust=verdict.trust,
        trusted_by=verdict.trusted_by,
        untrusted_reason=verdict.untrusted_reason,
        missing_issuer=verdict.missing_issuer,
        anchor_served=verdict.anchor_served,
        valid_order=valid_order,
        validation_errors=dict(validation_errors or {}),
        ocsp_stapled=ocsp_stapled,
        ocsp_status=ocsp_status,
        must_staple=must_staple,
    )
