"""The fallback prober against hostile servers: every probe ends within its
deadline, reads bounded bytes, and says why it found nothing.

Each server reads our ClientHello and answers with one kind of abuse. Bounds
are asserted with generous margins (a busy 2-core machine) and by counting
connections rather than timing them where possible.
"""

from __future__ import annotations

import socket
import time
import tracemalloc
from collections.abc import Callable, Iterator

import pytest

from egov_audit import deadline
from egov_audit.options import ScanOptions
from egov_audit.probes import tls_hello
from egov_audit.probes.tls_chain import TrustAnchors
from egov_audit.probes.tls_fallback import MAX_BAD_ANSWERS, MAX_HANDSHAKES, VERSIONS, probe
from egov_audit.probes.tls_hello_suites import is_weak
from egov_audit.probes.tls_model import TlsScan

from ..rawserver import RawServer

DEADLINE = 6.0
MARGIN = 5.0
Behaviour = Callable[[socket.socket, RawServer], None]


def record(kind: int, payload: bytes, version: bytes = b"\x03\x03") -> bytes:
    return bytes([kind]) + version + len(payload).to_bytes(2, "big") + payload


def handshake(kind: int, body: bytes) -> bytes:
    return bytes([kind]) + len(body).to_bytes(3, "big") + body


def server_hello(suite: int, version: int = 0x0303) -> bytes:
    body = version.to_bytes(2, "big") + bytes(32) + b"\x00" + suite.to_bytes(2, "big") + b"\x00"
    return handshake(2, body)


def read_hello(conn: socket.socket) -> bytes:
    conn.settimeout(10)
    try:
        return conn.recv(65536)
    except OSError:
        return b""


def offered_first(hello: bytes) -> int:
    """The first suite of a ClientHello of ours (to answer with an offered one)."""
    at = 5 + 4 + 2 + 32
    at += 1 + hello[at]  # session id
    return int.from_bytes(hello[at + 2:at + 4], "big")


def until_stopped(server: RawServer, send: Callable[[], None], every: float = 0.0) -> None:
    while not server.stopped:
        send()
        if every and not server.wait(every):
            return


def garbage(conn: socket.socket, server: RawServer) -> None:
    read_hello(conn)
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


def huge_record(conn: socket.socket, server: RawServer) -> None:
    read_hello(conn)
    conn.sendall(b"\x16\x03\x03\xff\xff" + bytes(4096))


def huge_message(conn: socket.socket, server: RawServer) -> None:
    read_hello(conn)
    conn.sendall(record(22, b"\x02\xff\xff\xff" + bytes(100)))


def endless_fragments(conn: socket.socket, server: RawServer) -> None:
    # A ServerHello said to be 100 kB long, sent one byte per record for ever.
    read_hello(conn)
    conn.sendall(record(22, b"\x02\x01\x86\xa0"))
    until_stopped(server, lambda: conn.sendall(record(22, b"\x00")))


def empty_records(conn: socket.socket, server: RawServer) -> None:
    read_hello(conn)
    until_stopped(server, lambda: conn.sendall(record(22, b"")))


def flood(conn: socket.socket, server: RawServer) -> None:
    # A valid ServerHello, then a certificate message as large as allowed,
    # and more records after it for ever.
    hello = read_hello(conn)
    if len(hello) < 60:
        return
    conn.sendall(record(22, server_hello(offered_first(hello))))
    conn.sendall(record(22, b"\x0b" + (tls_hello.MAX_MESSAGE).to_bytes(3, "big")))
    until_stopped(server, lambda: conn.sendall(record(22, bytes(16384))))


def stall(conn: socket.socket, server: RawServer) -> None:
    read_hello(conn)
    while server.wait(0.5):
        pass


def drip(conn: socket.socket, server: RawServer) -> None:
    # Each byte arrives well within the silence allowed between reads: only
    # the deadline can end this one.
    read_hello(conn)
    stream = iter(record(22, b"\x02\x00\xff\xff" + bytes(16000)))
    until_stopped(server, lambda: conn.sendall(bytes([next(stream, 0)])), every=0.2)


def unknown_version(conn: socket.socket, server: RawServer) -> None:
    hello = read_hello(conn)
    if len(hello) >= 60:
        conn.sendall(record(22, server_hello(offered_first(hello), version=0x0399)))


def suite_not_offered(conn: socket.socket, server: RawServer) -> None:
    read_hello(conn)
    conn.sendall(record(22, server_hello(0xFEFE)))


def alert(conn: socket.socket, server: RawServer) -> None:
    read_hello(conn)
    conn.sendall(record(21, b"\x02\x28"))  # fatal handshake_failure


def parse_hello(hello: bytes) -> tuple[int, list[int], bytes]:
    """Version, suites and compression methods of a ClientHello of ours."""
    version = int.from_bytes(hello[9:11], "big")
    at = 9 + 2 + 32
    at += 1 + hello[at]
    size = int.from_bytes(hello[at:at + 2], "big")
    suites = [int.from_bytes(hello[i:i + 2], "big") for i in range(at + 2, at + 2 + size, 2)]
    at += 2 + size
    return version, suites, hello[at + 1:at + 1 + hello[at]]


def yes_to_everything(conn: socket.socket, server: RawServer) -> None:
    # Takes the client's version, first suite and first compression method,
    # whatever they are: every suite "accepted", no fallback protection, DEFLATE.
    hello = read_hello(conn)
    if len(hello) < 60:
        return
    version, suites, compression = parse_hello(hello)
    body = (version.to_bytes(2, "big") + bytes(32) + b"\x00" + suites[0].to_bytes(2, "big")
            + compression[:1])
    conn.sendall(record(22, handshake(2, body) + handshake(14, b"")))


@pytest.fixture
def raw() -> Iterator[Callable[[Behaviour], RawServer]]:
    servers: list[RawServer] = []

    def start(behaviour: Behaviour) -> RawServer:
        server = RawServer(behaviour).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def run(server: RawServer) -> tuple[TlsScan | str, float]:
    started = time.monotonic()
    with deadline.bounded(DEADLINE):
        result = probe(server.host, server.port, ScanOptions(timeout=1.0),
                       TrustAnchors((), frozenset()),
                       why="sslyze failed")
    return result, time.monotonic() - started


TWO = MAX_BAD_ANSWERS
# The TLS 1.3 hello, second, answered with a TLS 1.2 ServerHello: a refusal, not a bad answer.
THREE = MAX_BAD_ANSWERS + 1


@pytest.mark.parametrize(("behaviour", "reason", "connections"), [
    (garbage, "not a TLS record", TWO),
    (huge_record, "a record of 65535 bytes", TWO),
    (huge_message, "a handshake message of 16777215 bytes", TWO),
    (endless_fragments, f"more than {tls_hello.MAX_RECORDS} records", TWO),
    (empty_records, f"more than {tls_hello.MAX_RECORDS} records", TWO),
    (stall, "stopped answering", TWO),
    (unknown_version, "version 0x0399, not offered", TWO),
    (suite_not_offered, "suite 0xfefe, not offered", THREE),
])
def test_hostile_answers_end_the_probe_with_a_reason(
        raw: Callable[[Behaviour], RawServer], behaviour: Behaviour, reason: str,
        connections: int) -> None:
    # Given a server that answers every hello with one kind of abuse
    server = raw(behaviour)
    # When the fallback prober probes it
    result, took = run(server)
    # Then it gives up after MAX_BAD_ANSWERS bad answers, within the deadline, and says why
    assert isinstance(result, str)
    assert "found no TLS version" in result and reason in result
    assert server.accepted == connections
    assert took < DEADLINE + MARGIN


def test_a_flood_is_cut_at_the_flight_cap_in_bounded_memory(
        raw: Callable[[Behaviour], RawServer]) -> None:
    server = raw(flood)
    tracemalloc.start()
    try:
        result, took = run(server)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(result, str) and f"more than {tls_hello.MAX_FLIGHT} bytes" in result
    # Each read is capped, the buffer never holds much more than one flight.
    assert peak < 8 * tls_hello.MAX_FLIGHT
    assert server.accepted == THREE
    assert took < DEADLINE + MARGIN


def test_a_drip_is_ended_by_the_deadline(raw: Callable[[Behaviour], RawServer]) -> None:
    server = raw(drip)
    result, took = run(server)
    assert isinstance(result, str) and "deadline" in result
    assert took < DEADLINE + MARGIN


def test_a_server_refusing_every_version_is_asked_once_per_version(
        raw: Callable[[Behaviour], RawServer]) -> None:
    # An alert is a refusal, not a bad answer: every version is still asked, once.
    server = raw(alert)
    result, took = run(server)
    assert result == "the fallback prober found no TLS version either"
    assert server.accepted == len(VERSIONS) + 1  # and one SSL 2.0 hello
    assert took < DEADLINE + MARGIN


def test_a_server_accepting_everything_meets_the_handshake_budget(
        raw: Callable[[Behaviour], RawServer]) -> None:
    # Given a server that accepts every version (up to TLS 1.2), every suite,
    # any fallback and DEFLATE
    server = raw(yes_to_everything)
    # When the fallback prober enumerates it
    with deadline.bounded(60):
        scan = probe(server.host, server.port, ScanOptions(timeout=1.0),
                     TrustAnchors((), frozenset()), why="sslyze failed")
    assert isinstance(scan, TlsScan)
    # Then it stops at its handshake budget, one connection each
    assert server.accepted == MAX_HANDSHAKES
    assert scan.accepted_protocols == ("SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2")
    # having spent it on weak suites first, and said the lists are partial
    after_first = [s.name for s in scan.suites_for("TLS 1.2")][1:]
    assert after_first and all(is_weak(name) for name in after_first)
    for command in ("tls_1_2", "tls_1_1", "tls_1_0", "ssl_3_0"):
        assert "partial list" in scan.errors[f"{command}_cipher_suites"]
    # and the one-hello questions were answered: no fallback protection, DEFLATE
    assert scan.fallback_scsv is False and scan.compression is True
