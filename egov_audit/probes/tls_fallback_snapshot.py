"""The fallback prober's findings → the :class:`TlsScan` the checks read.

Everything the prober did not ask is ``None`` with the reason in
``TlsScan.errors`` (keyed like sslyze's scan commands, so the checks' skip
logic is the same for both probers); a suite list the handshake budget cut
short says "partial list"; ``errors["prober"]`` says who graded the endpoint.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module

from cryptography import x509

from .tls_chain import TrustAnchors, deployment
from .tls_convert import MOZILLA_PROFILES, kex_of
from .tls_hello import GROUPS, VERSION_NAMES, ServerAnswer
from .tls_hello_suites import key_bits
from .tls_model import PROTOCOLS, CertificateDeployment, CipherSuite, TlsScan

PROBER = "fallback"
MAX_CHAINS = 3  # distinct certificate chains kept (RSA, ECDSA, DSA)
_COMMAND = {"SSL 2.0": "ssl_2_0_cipher_suites", "SSL 3.0": "ssl_3_0_cipher_suites",
            "TLS 1.0": "tls_1_0_cipher_suites", "TLS 1.1": "tls_1_1_cipher_suites",
            "TLS 1.2": "tls_1_2_cipher_suites", "TLS 1.3": "tls_1_3_cipher_suites"}
# sslyze scan commands whose questions the fallback does not ask.
_NOT_ASKED = ("heartbleed", "openssl_ccs_injection", "robot", "session_renegotiation",
              "tls_extended_master_secret", "elliptic_curves")


@dataclass
class VersionEnumeration:
    """The enumeration of one protocol version: what is left to offer, what was chosen."""

    version: int
    left: dict[int, str]
    chosen: list[tuple[str, ServerAnswer]] = field(default_factory=list)
    accepted: bool | None = None  # None until a hello got an answer we could read
    problem: str | None = None
    weak_done: bool = False  # every weak suite it accepts is known
    done: bool = False  # every suite it accepts is known (or it cannot be asked again)

    @property
    def name(self) -> str:
        return VERSION_NAMES[self.version]


def to_snapshot(*, host: str, port: int, ip: str, server_name: str | None,
                versions: list[VersionEnumeration], handshakes: int, limit: int,
                answers: Mapping[str, bool], unanswered: Mapping[str, str],
                anchors: TrustAnchors, custom_ca: bool, why: str) -> TlsScan:
    """The snapshot checks read, from what the prober learnt (``limit``: its
    handshake budget; ``answers``: one-hello questions by sslyze command name)."""
    note = (f"not tested: sslyze could not connect ({why}); the fallback prober "
            "tests protocol versions, cipher suites, certificates, TLS_FALLBACK_SCSV "
            "and compression only")
    errors: dict[str, str] = dict.fromkeys(_NOT_ASKED, note)
    protocols: dict[str, bool | None] = dict.fromkeys(PROTOCOLS)
    suites: list[CipherSuite] = []
    for state in versions:
        command = _COMMAND[state.name]
        protocols[state.name] = state.accepted
        if state.accepted is None:
            errors[command] = state.problem or (
                f"not tested: the fallback prober's limit of {limit} handshakes "
                "or its deadline was reached first")
        elif not state.done:
            errors[command] = (f"partial list: the fallback prober's limit of "
                               f"{limit} handshakes or its deadline was reached")
        elif state.problem:
            errors[command] = f"partial list: {state.problem}"
        suites.extend(_suite(state.name, name, answer) for name, answer in state.chosen)
    chosen = [a for s in versions for _, a in s.chosen]
    deployments: list[CertificateDeployment] = []
    for answer in _distinct_chains(chosen):
        try:
            deployments.append(_deployment(answer, anchors))
        except Exception as exc:  # a certificate cryptography cannot read
            errors["certificate_info"] = f"the server's certificate could not be read: " \
                f"{type(exc).__name__}: {exc}"[:300]
    if not deployments and "certificate_info" not in errors:
        errors["certificate_info"] = ("no certificate seen: the fallback prober reads "
                                      "certificates from TLS 1.2 and older handshakes only")
    for command in ("tls_fallback_scsv", "tls_compression"):
        if command not in answers:
            errors[command] = unanswered.get(command, note)
    errors["prober"] = (f"graded by egov-audit's fallback prober ({handshakes} "
                        f"handshakes): sslyze could not connect ({why})")
    return TlsScan(
        host=host, port=port, sni=server_name or host, ip_address=ip,
        scanned_at=dt.datetime.now(dt.UTC),
        protocols=protocols, suites=tuple(suites), curves=None,
        deployments=tuple(deployments),
        fallback_scsv=answers.get("tls_fallback_scsv"),
        compression=answers.get("tls_compression"),
        custom_ca=custom_ca, errors=errors,
        mozilla={}, mozilla_errors=dict.fromkeys(MOZILLA_PROFILES, note),
        prober=PROBER,
    )


def _suite(protocol: str, name: str, answer: ServerAnswer) -> CipherSuite:
    kex = kex_of(name)
    kind: str | None = None
    size: int | None = None
    curve: str | None = None
    dh: dict[str, int | None] = {}
    if kex in ("ECDHE", "TLS13") and answer.group in GROUPS:
        kind, (curve, size) = "ECDH", GROUPS[answer.group]
    elif kex == "DHE" and answer.dh_bits:
        kind, size = "DH", answer.dh_bits
        dh = {"dh_prime": answer.dh_prime, "dh_generator": answer.dh_generator}
    return CipherSuite(
        protocol=protocol, name=name, openssl_name=_openssl_names().get(name, name),
        key_size=key_bits(name), anonymous="_anon_" in name, kex=kex,
        ephemeral_type=kind, ephemeral_size=size, ephemeral_curve=curve, **dh,
    )


@lru_cache(maxsize=1)
def _openssl_names() -> dict[str, str]:
    """IANA → OpenSSL suite names from sslyze's table, when sslyze is there."""
    try:
        table = import_module("sslyze.plugins.openssl_cipher_suites.cipher_suites")
        mapping = getattr(table, "_TLS_OPENSSL_TO_RFC_NAMES_MAPPING", {})
        return {str(rfc): str(openssl) for openssl, rfc in dict(mapping).items()}
    except Exception:  # a cosmetic name: the IANA one serves as well
        return {}


def _distinct_chains(answers: list[ServerAnswer]) -> Iterator[ServerAnswer]:
    seen: set[bytes] = set()
    for answer in answers:
        if answer.certificates and answer.certificates[0] not in seen and \
                len(seen) < MAX_CHAINS:
            seen.add(answer.certificates[0])
            yield answer


def _deployment(answer: ServerAnswer, anchors: TrustAnchors) -> CertificateDeployment:
    received: list[x509.Certificate] = []
    for der in answer.certificates:
        try:
            received.append(x509.load_der_x509_certificate(der))
        except ValueError:
            break  # a chain is judged as far as it parses
    if not received:
        raise ValueError("the leaf certificate is not valid DER")
    return deployment(
        received, anchors,
        valid_order=all(a.issuer == b.subject for a, b in itertools.pairwise(received)),
        ocsp_stapled=answer.ocsp_response is not None,
        ocsp_status=_ocsp_status(answer.ocsp_response),
        must_staple=_must_staple(received[0]),
    )


def _ocsp_status(der: bytes | None) -> str | None:
    if der is None:
        return None
    from cryptography.x509 import ocsp

    try:
        return ocsp.load_der_ocsp_response(der).response_status.name
    except ValueError:
        return "MALFORMED"


def _must_staple(cert: x509.Certificate) -> bool:
    try:
        features = cert.extensions.get_extension_for_class(x509.TLSFeature).value
    except (x509.ExtensionNotFound, ValueError):
        return False
    return x509.TLSFeatureType.status_request in features
