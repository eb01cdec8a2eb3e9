"""A throw-away PKI minted on the fly with ``cryptography``.

Used by the demo portal and by the tests to serve real TLS with real
certificates: a root CA, optional intermediates, and leaf certificates whose
flaws (expired, wrong host, weak key, SHA-1, missing intermediate) are chosen
by the caller.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def make_key(kind: str = "ec", size: int = 256) -> PrivateKey:
    """``kind`` "rsa" (size in bits) or "ec" (256 or 384)."""
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=size)
    curve = {256: ec.SECP256R1(), 384: ec.SECP384R1()}[size]
    return ec.generate_private_key(curve)


def _pem_key(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _pem_cert(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _san(names: list[str]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


@dataclass(frozen=True)
class Issued:
    """A leaf certificate with its key and the chain a server should send."""

    cert: x509.Certificate
    key: PrivateKey
    chain: tuple[x509.Certificate, ...]  # intermediates, leaf excluded

    @property
    def cert_pem(self) -> bytes:
        return _pem_cert(self.cert)

    @property
    def key_pem(self) -> bytes:
        return _pem_key(self.key)

    def write(self, directory: Path, name: str, *, include_chain: bool = True) -> tuple[Path, Path]:
        """Write ``name.pem`` (leaf plus chain, as servers expect) and ``name.key``."""
        directory.mkdir(parents=True, exist_ok=True)
        cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
        body = self.cert_pem + (b"".join(_pem_cert(c) for c in self.chain) if include_chain
                                else b"")
        cert_path.write_bytes(body)
        key_path.write_bytes(self.key_pem)
        key_path.chmod(0o600)
        return cert_path, key_path


class CertificateAuthority:
    def __init__(self, cert: x509.Certificate, key: PrivateKey,
                 parents: tuple[x509.Certificate, ...] = ()) -> None:
        self.cert = cert
        self.key = key
        self.parents = parents  # intermediates above this CA, nearest first (root excluded)

    @classmethod
    def create(cls, common_name: str = "egov-audit Demo Root CA", *,
               key: PrivateKey | None = None) -> CertificateAuthority:
        key = key or make_key("ec", 256)
        name = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "egov-audit demo"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ])
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        return cls(cert, key)

    @property
    def cert_pem(self) -> bytes:
        return _pem_cert(self.cert)

    def write_cert(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.cert_pem)
        return path

    def intermediate(self, common_name: str = "egov-audit Demo Intermediate CA"
                     ) -> CertificateAuthority:
        key = make_key("ec", 256)
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), False
            )
            .sign(self.key, hashes.SHA256())
        )
        parents = (self.cert, *self.parents) if self._is_intermediate() else ()
        return CertificateAuthority(cert, key, parents)

    def _is_intermediate(self) -> bool:
        return self.cert.issuer != self.cert.subject

    def issue(
        self,
        names: list[str],
        *,
        key: PrivateKey | None = None,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
        days: int = 90,
        hash_algorithm: Any = None,  # SHA-1 is allowed here, to plant weak signatures
        common_name: str | None = None,
    ) -> Issued:
        """A server certificate for ``names`` (DNS names or IP addresses)."""
        key = key or make_key("ec", 256)
        now = _now()
        start = not_before or now - dt.timedelta(hours=1)
        end = not_after or start + dt.timedelta(days=days)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                        common_name or names[0])]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(_san(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), False
            )
            .sign(self.key, hash_algorithm or hashes.SHA256())
        )
        chain = (self.cert, *self.parents) if self._is_intermediate() else ()
        return Issued(cert, key, chain)
