"""A bounded reader of a server's first flight, after one of our ClientHellos.

Parsed only as far as the fallback prober needs: ServerHello (version, suite,
key share), Certificate, CertificateStatus, ServerKeyExchange (the ephemeral
group) and ServerHelloDone. No key is ever derived; the connection is dropped
there.

Everything the server sends is hostile: a record longer than TLS allows, a
handshake message longer than :data:`~.tls_hello.MAX_MESSAGE`, more than
:data:`~.tls_hello.MAX_RECORDS` records or :data:`~.tls_hello.MAX_FLIGHT`
bytes, or a read past the deadline ends the handshake with
:class:`~.tls_hello.HelloError`. Each parse step moves forward through the
buffer, so the work is linear in what was received.
"""

from __future__ import annotations

import socket
from dataclasses import replace

from .. import deadline
from .tls_hello import (
    MAX_CERTIFICATES,
    MAX_DH_BITS,
    MAX_FLIGHT,
    MAX_MESSAGE,
    MAX_RECORD,
    MAX_RECORDS,
    TLS13,
    HelloError,
    Refused,
    ServerAnswer,
)

_HANDSHAKE, _ALERT, _CCS, _APPLICATION = 22, 21, 20, 23
_SERVER_HELLO, _CERTIFICATE, _SERVER_KEY_EXCHANGE = 2, 11, 12
_SERVER_HELLO_DONE, _CERTIFICATE_STATUS = 14, 22
_ALERTS = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
           40: "handshake_failure", 47: "illegal_parameter", 50: "decode_error",
           51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security",
           80: "internal_error", 86: "inappropriate_fallback", 90: "user_canceled",
           109: "missing_extension", 110: "unsupported_extension",
           112: "unrecognized_name"}


class _Wire:
    """Records from a socket, each read bounded by the deadline and the caps above."""

    def __init__(self, sock: socket.socket, silence: float) -> None:
        self._sock = sock
        self._silence = silence
        self._buffer = bytearray()
        self.received = 0
        self.records = 0

    def _fill(self, size: int) -> None:
        while len(self._buffer) < size:
            left = deadline.remaining()
            if left <= 0:
                raise HelloError("the deadline was reached during the handshake")
            self._sock.settimeout(max(0.05, min(self._silence, left)))
            try:
                chunk = self._sock.recv(min(65536, MAX_FLIGHT - self.received + 1))
            except TimeoutError as exc:
                if left <= self._silence:
                    raise HelloError("the deadline was reached during the handshake") from exc
                raise HelloError("the server stopped answering mid-handshake") from exc
            except OSError as exc:
                raise Refused(f"the connection failed: {exc.strerror or exc}") from exc
            if not chunk:
                raise Refused("the server closed the connection")
            self.received += len(chunk)
            if self.received > MAX_FLIGHT:
                raise HelloError(f"the server sent more than {MAX_FLIGHT} bytes")
            self._buffer += chunk

    def fill(self, size: int) -> None:
        self._fill(size)

    def peek(self, size: int) -> bytes:
        return bytes(self._buffer[:size])

    def record(self) -> tuple[int, bytes]:
        self.records += 1
        if self.records > MAX_RECORDS:
            raise HelloError(f"the server sent more than {MAX_RECORDS} records")
        self._fill(5)
        kind, major, length = self._buffer[0], self._buffer[1], \
            int.from_bytes(self._buffer[3:5], "big")
        if kind not in (_HANDSHAKE, _ALERT, _CCS, _APPLICATION) or major != 3:
            raise HelloError("the server's answer is not a TLS record")
        if length > MAX_RECORD:
            raise HelloError(f"the server sent a record of {length} bytes")
        self._fill(5 + length)
        payload = bytes(self._buffer[5:5 + length])
        del self._buffer[:5 + length]
        return kind, payload


def read_answer(sock: socket.socket, silence: float, *, full: bool) -> ServerAnswer:
    """Read the server's flight after our hello.

    ``full`` reads on to ServerHelloDone (certificates, stapled OCSP, the
    ephemeral group); otherwise the ServerHello suffices, and for TLS 1.3
    nothing after it is readable anyway.
    """
    wire = _Wire(sock, silence)
    pending = bytearray()  # handshake bytes not yet parsed into messages
    answer: ServerAnswer | None = None
    fields: dict[str, object] = {}
    while True:
        try:
            kind, payload = wire.record()
        except Refused:
            if answer is None:
                raise
            break  # closed after its ServerHello: what it chose is still known
        if kind == _ALERT:
            if len(payload) >= 2 and answer is None:
                raise Refused(f"alert {_ALERTS.get(payload[1], payload[1])}", payload[1])
            break  # an alert after the ServerHello ends what we can learn
        if kind == _CCS:
            continue  # TLS 1.3 middlebox compatibility
        if kind == _APPLICATION:
            if answer is None:
                raise HelloError("the server sent application data before a ServerHello")
            break
        pending += payload
        while len(pending) >= 4:
            length = int.from_bytes(pending[1:4], "big")
            if length > MAX_MESSAGE:
                raise HelloError(f"the server sent a handshake message of {length} bytes")
            if len(pending) < 4 + length:
                break
            msg_type, body = pending[0], bytes(pending[4:4 + length])
            del pending[:4 + length]
            if answer is None:
                if msg_type != _SERVER_HELLO:
                    raise HelloError(f"handshake message {msg_type} before the ServerHello")
                answer = _server_hello(body)
                if not full or answer.version >= TLS13:
                    return answer
            elif msg_type == _CERTIFICATE:
                fields["certificates"] = _certificates(body)
            elif msg_type == _CERTIFICATE_STATUS:
                fields["ocsp_response"] = _ocsp(body)
            elif msg_type == _SERVER_KEY_EXCHANGE:
                fields.update(_key_exchange(body))
            elif msg_type == _SERVER_HELLO_DONE:
                return _with(answer, fields)
    if answer is None:
        raise Refused("the server ended the handshake")
    return _with(answer, fields)


def _with(answer: ServerAnswer, fields: dict[str, object]) -> ServerAnswer:
    return replace(answer, **fields)  # type: ignore[arg-type]


class _Reader:
    """Forward-only reads from a message body; running past its end is a HelloError."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, size: int) -> bytes:
        if self.at + size > len(self.data):
            raise HelloError("a handshake message ends early")
        chunk = self.data[self.at:self.at + size]
        self.at += size
        return chunk

    def number(self, size: int) -> int:
        return int.from_bytes(self.take(size), "big")

    def vector(self, length_size: int) -> bytes:
        return self.take(self.number(length_size))

    @property
    def left(self) -> int:
        return len(self.data) - self.at


def _server_hello(body: bytes) -> ServerAnswer:
    r = _Reader(body)
    version = r.number(2)
    r.take(32)  # random; a retry request's (RFC 8446 4.1.3) names version and suite too
    r.vector(1)  # session id
    suite = r.number(2)
    compression = r.number(1)
    group: int | None = None
    if r.left >= 2:
        ext = _Reader(r.vector(2))
        while ext.left:
            kind, data = ext.number(2), ext.vector(2)
            if kind == 43 and len(data) == 2:  # supported_versions
                version = int.from_bytes(data, "big")
            elif kind == 51 and len(data) >= 2:  # key_share (or a retry's group)
                group = int.from_bytes(data[:2], "big")
    if version >> 8 != 3:
        raise HelloError(f"the server chose an unknown version 0x{version:04x}")
    return ServerAnswer(version=version, suite=suite, group=group, compression=compression)


def _certificates(body: bytes) -> tuple[bytes, ...]:
    r = _Reader(body)
    chain = _Reader(r.vector(3))
    certificates: list[bytes] = []
    while chain.left and len(certificates) < MAX_CERTIFICATES:
        certificates.append(chain.vector(3))
    return tuple(certificates)


def _ocsp(body: bytes) -> bytes | None:
    r = _Reader(body)
    return r.vector(3) if r.number(1) == 1 else None


def _key_exchange(body: bytes) -> dict[str, object]:
    """Both readings of the ephemeral group; the suite decides which one applies.

    An ECDHE exchange starts with curve_type 3 (named_curve) and the curve;
    a DHE one with the prime and the generator, each behind a 2-byte length.
    A prime over :data:`MAX_DH_BITS` keeps only its size: the DH group checks
    need not test a number no client would accept.
    """
    found: dict[str, object] = {}
    if len(body) >= 3 and body[0] == 3:
        found["group"] = int.from_bytes(body[1:3], "big")
    r = _Reader(body)
    try:
        prime, generator = r.vector(2), r.vector(2)
    except HelloError:
        return found  # not a DHE exchange (or a truncated one): no DH group
    found["dh_bits"] = int.from_bytes(prime, "big").bit_length() if prime else None
    if prime and len(prime) * 8 <= MAX_DH_BITS + 8 and len(generator) <= 512:
        found["dh_prime"] = int.from_bytes(prime, "big")
        found["dh_generator"] = int.from_bytes(generator, "big")
    return found


def _connect(address: tuple[str, int], hello: bytes, connect_timeout: float) -> socket.socket:
    left = deadline.remaining()
    if left <= 0:
        raise HelloError("the deadline was reached before the handshake")
    try:
        sock = socket.create_connection(address, timeout=max(0.05, min(connect_timeout, left)))
    except OSError as exc:
        raise Refused(f"cannot connect: {exc.strerror or exc}") from exc
    try:
        sock.sendall(hello)
    except OSError as exc:
        sock.close()
        raise Refused(f"the connection failed: {exc.strerror or exc}") from exc
    return sock


def exchange(address: tuple[str, int], hello: bytes, *, silence: float, full: bool,
             connect_timeout: float) -> ServerAnswer:
    """Connect, send ``hello``, read the answer, close; within the deadline in force."""
    with _connect(address, hello, connect_timeout) as sock:
        return read_answer(sock, silence, full=full)


def exchange_ssl2(address: tuple[str, int], hello: bytes, *, silence: float,
                  connect_timeout: float) -> tuple[int, ...]:
    """:func:`exchange` for an SSL 2.0 hello: the cipher kinds the server accepts."""
    with _connect(address, hello, connect_timeout) as sock:
        return ssl2_kinds(sock, silence)


def ssl2_kinds(sock: socket.socket, silence: float) -> tuple[int, ...]:
    """The cipher kinds of an SSL 2.0 SERVER-HELLO: all the server accepts of
    those offered, in one answer. Anything else is a refusal: a TLS-only
    server answers an SSL 2.0 hello with a TLS alert, garbage or nothing."""
    wire = _Wire(sock, silence)
    try:
        wire.fill(2)
    except HelloError as exc:
        raise Refused(f"no SSL 2.0 answer: {exc}") from exc
    head = wire.peek(2)
    if not head[0] & 0x80:
        raise Refused("the answer is not an SSL 2.0 message")
    length = (head[0] & 0x7F) << 8 | head[1]
    try:
        wire.fill(2 + length)
    except HelloError as exc:
        raise Refused(f"no complete SSL 2.0 answer: {exc}") from exc
    r = _Reader(wire.peek(2 + length)[2:])
    if r.number(1) != 4:  # SERVER-HELLO
        raise Refused("the server sent an SSL 2.0 error")
    r.take(4)  # session-id-hit, certificate type, server version
    certificate_size, specs_size = r.number(2), r.number(2)
    r.take(2)  # connection-id length
    r.take(certificate_size)
    specs = r.take(specs_size)
    return tuple(int.from_bytes(specs[i:i + 3], "big") for i in range(0, len(specs) - 2, 3))
