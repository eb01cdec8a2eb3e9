"""ClientHellos built byte by byte, and the limits on what a server may answer.

The fallback prober (:mod:`.tls_fallback`) must offer protocol versions and
suites this machine's OpenSSL refuses to, so the hello is assembled here from
the RFC 5246 / RFC 8446 structures. :mod:`.tls_hello_answer` reads the
server's answer within the ``MAX_*`` bounds below.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

SSL2, SSL3, TLS10, TLS11, TLS12, TLS13 = 0x0002, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304
VERSION_NAMES = {SSL2: "SSL 2.0", SSL3: "SSL 3.0", TLS10: "TLS 1.0", TLS11: "TLS 1.1",
                 TLS12: "TLS 1.2", TLS13: "TLS 1.3"}

MAX_RECORD = 2**14 + 2048  # the largest TLSCiphertext RFC 5246 allows
MAX_MESSAGE = 128 * 1024  # a certificate chain of ~30 large certificates
MAX_FLIGHT = 256 * 1024  # bytes read from one server for one hello
MAX_RECORDS = 256  # zero-length or one-byte records cannot go on for ever
MAX_CERTIFICATES = 20
MAX_DH_BITS = 16384  # OpenSSL clients refuse DH groups over 10,000 bits

_HANDSHAKE = 22  # record content type

# Groups offered in supported_groups, with the names and sizes reports show
# (sizes as sslyze gives them, so both probers' snapshots read alike).
# No RFC 7919 ffdhe groups: a server honouring them would hide its DHE suites
# when its own group is not one of them.
GROUPS: dict[int, tuple[str, int]] = {
    29: ("X25519", 256), 23: ("secp256r1", 256), 24: ("secp384r1", 384),
    25: ("secp521r1", 521), 30: ("X448", 448), 26: ("brainpoolP256r1", 256),
    27: ("brainpoolP384r1", 384), 28: ("brainpoolP512r1", 512), 22: ("secp256k1", 256),
    21: ("secp224r1", 224), 19: ("secp192r1", 192),
}
_SIGNATURE_SCHEMES = (
    0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0807,
    0x0808, 0x0809, 0x080A, 0x080B, 0x0301, 0x0303, 0x0201, 0x0203, 0x0202, 0x0402,
)

class HelloError(Exception):
    """The server's answer is not a TLS flight we can read (garbage, too big, too slow)."""


class Refused(Exception):
    """The server declined the hello: an alert (``alert`` is its code), or it
    closed the connection."""

    def __init__(self, message: str, alert: int | None = None) -> None:
        super().__init__(message)
        self.alert = alert


INAPPROPRIATE_FALLBACK = 86  # the alert of RFC 7507
FALLBACK_SCSV = 0x5600
DEFLATE = 1  # compression method


@dataclass(frozen=True)
class ServerAnswer:
    """What one ServerHello flight said."""

    version: int  # negotiated (supported_versions for TLS 1.3)
    suite: int
    group: int | None = None  # named group of the ECDHE key exchange / TLS 1.3 key share
    dh_bits: int | None = None  # size of the DHE prime
    dh_prime: int | None = None
    dh_generator: int | None = None
    certificates: tuple[bytes, ...] = ()  # DER, leaf first (TLS <= 1.2 only)
    ocsp_response: bytes | None = None  # a stapled OCSP response, DER
    compression: int = 0  # the compression method chosen (0: none)


# -- building ------------------------------------------------------------------

def _u8(data: bytes) -> bytes:
    return len(data).to_bytes(1, "big") + data


def _u16(data: bytes) -> bytes:
    return len(data).to_bytes(2, "big") + data


def _u24(data: bytes) -> bytes:
    return len(data).to_bytes(3, "big") + data


def _ext(kind: int, body: bytes) -> bytes:
    return kind.to_bytes(2, "big") + _u16(body)


def _codes(values: Iterable[int]) -> bytes:
    return b"".join(v.to_bytes(2, "big") for v in values)


def client_hello(version: int, suites: Iterable[int], server_name: str | None, *,
                 fallback: bool = False, deflate: bool = False) -> bytes:
    """One TLS record carrying a ClientHello for ``version`` offering ``suites``.

    ``fallback`` adds TLS_FALLBACK_SCSV (a client retrying at a lower version,
    RFC 7507); ``deflate`` offers DEFLATE compression before none (CRIME).
    """
    extensions = b""
    if version >= TLS10:  # SSL 3.0 stacks may reject any extension at all
        if server_name:
            name = server_name.encode("idna")
            extensions += _ext(0, _u16(b"\x00" + _u16(name)))
        extensions += _ext(5, b"\x01\x00\x00\x00\x00")  # status_request: OCSP
        extensions += _ext(10, _u16(_codes(GROUPS)))
        extensions += _ext(11, b"\x01\x00")  # ec_point_formats: uncompressed
    if version >= TLS12:
        extensions += _ext(13, _u16(_codes(_SIGNATURE_SCHEMES)))
    if version >= TLS13:
        extensions += _ext(43, _u8(_codes([TLS13])))
        # A random X25519 share is a valid public key; no secret is ever derived.
        extensions += _ext(51, _u16((29).to_bytes(2, "big") + _u16(os.urandom(32))))
        extensions += _ext(45, b"\x01\x01")  # psk_key_exchange_modes: psk_dhe_ke
    legacy_version = min(version, TLS12)
    codes = list(suites)
    if version < TLS13:
        codes.append(0x00FF)  # renegotiation SCSV (RFC 5746)
    if fallback:
        codes.append(FALLBACK_SCSV)
    compression = bytes([DEFLATE, 0]) if deflate else b"\x00"
    body = (legacy_version.to_bytes(2, "big") + os.urandom(32)
            + _u8(os.urandom(32) if version >= TLS13 else b"")
            + _u16(_codes(codes)) + _u8(compression))
    if extensions:
        # Some load balancers hang on hellos of 256-511 bytes; padding (RFC 7685)
        # moves the message past that range.
        size = 4 + len(body) + 2 + len(extensions)
        if 256 <= size < 512:
            extensions += _ext(21, bytes(max(0, 512 - size - 4)))
        body += _u16(extensions)
    message = b"\x01" + _u24(body)
    record_version = SSL3 if version == SSL3 else TLS10
    return bytes([_HANDSHAKE]) + record_version.to_bytes(2, "big") + _u16(message)


def ssl2_client_hello(kinds: Iterable[int]) -> bytes:
    """An SSL 2.0 CLIENT-HELLO offering the 3-byte cipher ``kinds``."""
    specs = b"".join(k.to_bytes(3, "big") for k in kinds)
    challenge = os.urandom(16)
    body = (b"\x01\x00\x02" + len(specs).to_bytes(2, "big") + b"\x00\x00"
            + len(challenge).to_bytes(2, "big") + specs + challenge)
    return (0x8000 | len(body)).to_bytes(2, "big") + body
