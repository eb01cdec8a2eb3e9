"""What the TLS probe saw on one endpoint, as plain frozen data.

Nothing here imports sslyze: checks, tests and recorded snapshots use these
types without the scanner installed. :mod:`egov_audit.probes.tls_convert`
fills them from an sslyze result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..check import Snapshot

# Oldest first; the names are the ones reports show.
PROTOCOLS = ("SSL 2.0", "SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3")
LEGACY_SSL = ("SSL 2.0", "SSL 3.0")
LEGACY_TLS = ("TLS 1.0", "TLS 1.1")


@dataclass(frozen=True)
class CipherSuite:
    """A suite the server accepted under one protocol version."""

    protocol: str  # "TLS 1.2"
    name: str  # IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    openssl_name: str
    key_size: int  # symmetric key bits
    anonymous: bool
    kex: str  # ECDHE | DHE | RSA | ECDH | DH | PSK | TLS13 | other
    ephemeral_type: str | None = None  # "DH" | "ECDH" from the server's key share
    ephemeral_size: int | None = None  # bits of the DH group or curve
    ephemeral_curve: str | None = None
    # The server's finite-field DH group, when it sent one (None: not observed).
    dh_prime: int | None = None
    dh_generator: int | None = None

    @property
    def forward_secret(self) -> bool:
        return self.kex in ("ECDHE", "DHE", "TLS13")

    @property
    def aead(self) -> bool:
        return any(m in self.name for m in ("_GCM_", "_CCM", "CHACHA20_POLY1305"))


@dataclass(frozen=True)
class CertificateInfo:
    """One certificate, reduced to what an auditor quotes."""

    subject: str
    issuer: str
    common_names: tuple[str, ...]
    dns_names: tuple[str, ...]
    ip_addresses: tuple[str, ...]
    not_before: dt.datetime  # aware, UTC
    not_after: dt.datetime
    key_type: str  # RSA | EC | Ed25519 | Ed448 | DSA | other
    key_size: int
    curve: str | None
    signature_algorithm: str  # e.g. sha256WithRSAEncryption
    signature_hash: str | None  # sha1, sha256, md5 ... (None for Ed25519)
    sha256: str  # colon-separated upper-case hex
    serial: str  # hex
    is_ca: bool
    self_issued: bool  # subject == issuer
    self_signed: bool  # self-issued and its own key verifies its signature
    # Where the issuer can be fetched (AIA caIssuers URLs); () when none is named.
    aia_ca_issuers: tuple[str, ...] = ()
    authority_key_id: str | None = None  # hex; None when the extension is absent
    subject_key_id: str | None = None

    def summary(self) -> str:
        names = ", ".join((*self.dns_names, *self.ip_addresses)) or "none"
        key = f"{self.key_type} {self.key_size}" + (f" ({self.curve})" if self.curve else "")
        return (
            f"subject {self.subject}; issuer {self.issuer}; SANs {names}; "
            f"valid {self.not_before:%Y-%m-%d %H:%M}Z → {self.not_after:%Y-%m-%d %H:%M}Z; "
            f"key {key}; signature {self.signature_algorithm}; SHA-256 {self.sha256}"
        )

    def evidence(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "dns_names": list(self.dns_names),
            "ip_addresses": list(self.ip_addresses),
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "key_type": self.key_type,
            "key_size": self.key_size,
            "curve": self.curve,
            "signature_algorithm": self.signature_algorithm,
            "sha256": self.sha256,
        }


# Why a chain is not trusted, in the order a person would fix it.
SELF_SIGNED = "self_signed"  # the leaf signs itself
UNKNOWN_ROOT = "unknown_root"  # the chain ends at a root no trust store knows
# The leaf's issuer is neither sent nor a known root. Whether that is a missing
# intermediate or an untrusted issuer is the checks' call (checks/tls/_issuer.py):
# they weigh the AIA pointer and the known interception and development CAs.
MISSING_ISSUER = "missing_issuer"


@dataclass(frozen=True)
class CertificateDeployment:
    """One certificate chain the server sends (RSA and ECDSA chains are separate)."""

    received: tuple[CertificateInfo, ...]  # as sent, leaf first
    path: tuple[CertificateInfo, ...]  # leaf → as far as a path could be built
    trust: str  # "public" | "custom" | "none"
    trusted_by: tuple[str, ...]  # store names, e.g. ("Mozilla", "Apple") or ("custom CA bundle",)
    untrusted_reason: str | None  # SELF_SIGNED | UNKNOWN_ROOT | MISSING_ISSUER
    missing_issuer: str | None  # the issuer name nobody supplied
    anchor_served: bool  # the server also sends its root (harmless, wasteful)
    valid_order: bool | None
    validation_errors: Mapping[str, str] = field(default_factory=dict)  # sslyze, per store
    ocsp_stapled: bool = False
    ocsp_status: str | None = None  # "SUCCESSFUL" etc. when stapled
    must_staple: bool = False

    @property
    def leaf(self) -> CertificateInfo:
        return self.received[0]


@dataclass(frozen=True)
class TlsScan(Snapshot):
    """Everything the sslyze scan found on the target's TLS endpoint.

    A ``None`` in a yes/no field means the test could not run; ``errors``
    then says why (keyed by sslyze scan command name), so checks can skip
    with a reason instead of guessing.
    """

    probe = "tls"

    host: str
    port: int
    sni: str
    ip_address: str
    scanned_at: dt.datetime  # checks judge validity at this moment, not "now"
    protocols: Mapping[str, bool | None]  # each of PROTOCOLS → accepted?
    suites: tuple[CipherSuite, ...]
    curves: tuple[str, ...] | None
    deployments: tuple[CertificateDeployment, ...]
    heartbleed: bool | None = None
    ccs_injection: bool | None = None
    robot: str | None = None  # sslyze RobotScanResultEnum name
    secure_renegotiation: bool | None = None
    client_renegotiation_dos: bool | None = None
    compression: bool | None = None
    fallback_scsv: bool | None = None
    extended_master_secret: bool | None = None
    custom_ca: bool = False  # a --ca-bundle took part in validation
    errors: Mapping[str, str] = field(default_factory=dict)
    # Mozilla profile → deviations (criterion, message); a profile missing here
    # could not be judged, and mozilla_errors says why.
    mozilla: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    mozilla_errors: Mapping[str, str] = field(default_factory=dict)
    # Set when there was nothing to scan (no HTTPS entry point); checks skip.
    not_applicable: str | None = None
    # "fallback" when sslyze could not handshake and egov-audit's own hellos
    # (probes/tls_fallback.py) filled this snapshot; every finding then says so.
    prober: str = "sslyze"

    @classmethod
    def absent(cls, host: str, reason: str) -> TlsScan:
        return cls(host=host, port=0, sni=host, ip_address="", scanned_at=dt.datetime.now(dt.UTC),
                   protocols={}, suites=(), curves=None, deployments=(), not_applicable=reason)

    @property
    def endpoint(self) -> str:
        """``host:port`` as every TLS finding's evidence starts, naming the
        fallback prober when it, not sslyze, saw what follows."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        via = (" (found by the fallback prober: sslyze could not handshake)"
               if self.prober == "fallback" else "")
        return f"{host}:{self.port}{via}"

    @property
    def accepted_protocols(self) -> tuple[str, ...]:
        return tuple(p for p in PROTOCOLS if self.protocols.get(p))

    def protocol_known(self, name: str) -> bool:
        return self.protocols.get(name) is not None

    def suites_for(self, protocol: str) -> tuple[CipherSuite, ...]:
        return tuple(s for s in self.suites if s.protocol == protocol)

    @property
    def leaf(self) -> CertificateInfo | None:
        return self.deployments[0].leaf if self.deployments else None
