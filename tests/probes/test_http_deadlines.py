"""Hostile HTTP servers: every fetch returns, never raises, never hangs.

One behaviour per real raw-socket loopback server. The client runs with a
2 s request deadline and a 30 s per-operation timeout, so only the total
deadline (the watchdog) can end the slow ones; each fetch must come back
within the deadline plus a generous margin, with ``error`` saying why.
"""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from egov_audit import deadline
from egov_audit.options import ScanOptions
from egov_audit.probes.http import HttpClient, HttpResponse
from egov_audit.probes.watchdog import WATCHDOG
from egov_audit.scope import Scope

from ..rawserver import RawServer, drip, keep_alive, wait_closed

DEADLINE = 2.0
MARGIN = 5.0  # generous: a busy 2-core machine
CAP = 1024 * 1024
MIB = 1024 * 1024

StartFn = Callable[..., RawServer]


@pytest.fixture
def raw() -> Iterator[StartFn]:
    servers: list[RawServer] = []

    def start(behaviour: Callable[[socket.socket, RawServer], None]) -> RawServer:
        server = RawServer(behaviour).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def client(**options: object) -> HttpClient:
    opts = ScanOptions(
        request_deadline=DEADLINE, timeout=30.0, rate=500.0, max_body_bytes=CAP
    ).with_overrides(options)
    return HttpClient(opts, Scope.of(["127.0.0.1"]))


def timed_fetch(url: str, **options: object) -> tuple[HttpResponse, float]:
    started = time.monotonic()
    resp = client(**options).fetch(url)
    return resp, time.monotonic() - started


HEAD_OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"


def test_drip_body_is_cut_at_the_request_deadline(raw: StartFn) -> None:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.send(conn, HEAD_OK + b"Content-Length: 100000\r\n\r\n")
        drip(conn, server, b"x" * 100000, 0.2)

    resp, took = timed_fetch(raw(behaviour).url())
    assert took < DEADLINE + MARGIN
    assert resp.status == 200 and resp.truncated
    assert resp.error == "no complete response within 2 s (request deadline)"


def test_drip_headers_is_cut_at_the_request_deadline(raw: StartFn) -> None:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        drip(conn, server, HEAD_OK + b"X-Slow: " + b"a" * 10000, 0.2)

    resp, took = timed_fetch(raw(behaviour).url())
    assert took < DEADLINE + MARGIN
    assert resp.status is None
    assert resp.error == "no complete response within 2 s (request deadline)"


def test_endless_1xx_responses_are_cut_at_the_request_deadline(raw: StartFn) -> None:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        while not server.stopped:
            server.send(conn, b"HTTP/1.1 100 Continue\r\n\r\n")
            time.sleep(0.3)

    resp, took = timed_fetch(raw(behaviour).url())
    assert took < DEADLINE + MARGIN
    assert resp.status is None and resp.error is not None
    assert "request deadline" in resp.error


def test_accept_then_silence_is_cut_at_the_request_deadline(raw: StartFn) -> None:
    server = raw(wait_closed)
    resp, took = timed_fetch(server.url())
    assert took < DEADLINE + MARGIN
    assert resp.error == "no complete response within 2 s (request deadline)"


def test_stalled_tls_handshake_is_cut_at_the_request_deadline(raw: StartFn) -> None:
    # The server reads the ClientHello and answers one byte of a TLS record at a time.
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        conn.recv(4096)
        drip(conn, server, b"\x16\x03\x03\x40\x00" + b"\x02" * 1000, 0.3)

    resp, took = timed_fetch(raw(behaviour).url(scheme="https"))
    assert took < DEADLINE + MARGIN
    assert resp.status is None and resp.error is not None
    assert "request deadline" in resp.error


def test_the_target_deadline_in_force_shortens_the_request(raw: StartFn) -> None:
    server = raw(wait_closed)
    started = time.monotonic()
    with deadline.bounded(seconds=1.0):
        resp = client(request_deadline=60.0).fetch(server.url())
    assert time.monotonic() - started < 1.0 + MARGIN
    assert resp.error == "no complete response before the target's or the run's deadline"


def test_a_redirect_chain_shares_one_deadline(raw: StartFn) -> None:
    # Each hop answers after 0.4 s; a chain of them cannot outlive the one deadline.
    # (every hop names a new URL: a repeated one would be answered from the
    # run's shared answers without waiting)
    def slow_hop(request: bytes, server: RawServer) -> bytes:
        time.sleep(0.4)
        return (f"HTTP/1.1 302 Found\r\nLocation: {server.url(f'/next{server.requests}')}"
                "\r\nContent-Length: 0\r\n\r\n").encode()

    behaviour = keep_alive(slow_hop)
    server = raw(behaviour)
    resp, took = timed_fetch(server.url(), max_redirects=100)
    assert took < DEADLINE + MARGIN
    assert resp.error == "no complete response within 2 s (request deadline)"
    assert 2 <= server.requests <= 10


def test_fast_endless_chunked_body_stops_at_the_cap(raw: StartFn) -> None:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.send(conn, HEAD_OK + b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"10000\r\n" + b"y" * 0x10000 + b"\r\n"
        while not server.stopped:
            server.send(conn, chunk)

    resp, took = timed_fetch(raw(behaviour).url())
    assert took < DEADLINE + MARGIN
    assert resp.status == 200 and resp.truncated and len(resp.body) == CAP
    assert resp.error is None


def test_malformed_chunked_body_is_an_error(raw: StartFn) -> None:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.send(conn, HEAD_OK + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n")
        wait_closed(conn, server)

    resp, took = timed_fetch(raw(behaviour).url())
    assert took < DEADLINE + MARGIN
    assert resp.status == 200 and resp.truncated
    assert resp.error == "malformed chunked body"


def test_content_length_longer_than_the_body(raw: StartFn) -> None:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.send(conn, HEAD_OK + b"Content-Length: 1000\r\n\r\nonly ten b")

    resp, took = timed_fetch(raw(behaviour).url())
    assert took < DEADLINE + MARGIN
    assert resp.status == 200 and resp.truncated
    assert b"only ten b".startswith(resp.body)  # urllib3 may drop the partial read
    assert resp.error == "response ended before its announced length"


def test_content_length_shorter_than_the_body(raw: StartFn) -> None:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.send(conn, HEAD_OK + b"Content-Length: 5\r\n\r\nhello, and much more after")
        wait_closed(conn, server)

    resp, took = timed_fetch(raw(behaviour).url())
    assert took < DEADLINE + MARGIN
    assert (resp.status, resp.body, resp.error) == (200, b"hello", None)


def _deflate_zeros(total: int, wrap: int) -> Iterator[bytes]:
    """A compressed stream of ``total`` zero bytes, made from one repeated piece
    (fresh history, full flush), so building a 10 GiB bomb costs nothing."""
    piece_size = MIB
    raw_piece = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = raw_piece.compress(bytes(piece_size)) + raw_piece.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    if wrap == 16:  # gzip member header
        yield b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    else:  # zlib header
        yield b"\x78\xda"
    pieces = total // piece_size
    for _ in range(pieces):
        yield piece
    yield end
    # The trailers (CRC) are never reached by a capped reader; send plausible ones anyway.
    yield struct.pack("<II", 0, (pieces * piece_size) & 0xFFFFFFFF)


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_compression_bomb_is_cut_at_the_cap(raw: StartFn, coding: str) -> None:
    total = 10 * 1024 * MIB  # 10 GiB decoded, about 10 MiB on the wire
    wrap = 16 if coding == "gzip" else 15
    whole = sum(len(part) for part in _deflate_zeros(total, wrap))

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.send(conn, HEAD_OK + f"Content-Encoding: {coding}\r\n"
                                    "Transfer-Encoding: chunked\r\n\r\n".encode())
        for part in _deflate_zeros(total, wrap):
            server.send(conn, b"%x\r\n" % len(part) + part + b"\r\n")
        server.send(conn, b"0\r\n\r\n")

    server = raw(behaviour)
    resp, took = timed_fetch(server.url(), request_deadline=20.0)
    assert took < 20.0 + MARGIN
    assert resp.status == 200 and resp.truncated and resp.error is None
    assert len(resp.body) == CAP and resp.body == bytes(CAP)
    # The client stopped reading at the cap: the server could not push the
    # whole bomb (loopback socket buffers hold a few MiB at most).
    assert server.bytes_sent < whole


def test_brotli_without_a_decoder_is_kept_as_capped_bytes(raw: StartFn) -> None:
    # Without the brotli package urllib3 neither asks for br nor decodes it:
    # a server sending it anyway gets its bytes kept raw, under the same cap.
    # Where brotli is installed (the test extras install it, so the hostile zoo
    # decodes a real brotli bomb), this test runs itself in a child that hides it.
    try:
        import brotli  # noqa: F401
    except ImportError:
        pass
    else:
        env = dict(os.environ, EGOV_AUDIT_TEST_HIDE_BROTLI="1")
        child = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"{__file__}::test_brotli_without_a_decoder_is_kept_as_capped_bytes"],
            env=env, capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
        assert child.returncode == 0 and "1 passed" in child.stdout, child.stdout + child.stderr
        return
    payload = b"\x8b" * (3 * CAP)  # what a brotli bomb looks like undecoded: bytes
    request_seen: list[bytes] = []

    def recording(conn: socket.socket, server: RawServer) -> None:
        request_seen.append(server.read_request(conn))
        server.send(conn, HEAD_OK + b"Content-Encoding: br\r\n"
                    + f"Content-Length: {len(payload)}\r\n\r\n".encode() + payload)
        wait_closed(conn, server)

    resp, took = timed_fetch(raw(recording).url())
    assert took < DEADLINE + MARGIN
    assert b"br" not in request_seen[0].lower().split(b"accept-encoding:")[1].split(b"\r\n")[0]
    assert resp.status == 200 and resp.truncated and len(resp.body) == CAP


@pytest.mark.parametrize("head", [
    b"".join(b"X-H%d: v\r\n" % i for i in range(1000)),  # many headers
    b"X-Long: " + b"a" * 200_000 + b"\r\n",  # one very long header
], ids=["many", "long"])
def test_huge_headers_are_an_error(raw: StartFn, head: bytes) -> None:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.send(conn, HEAD_OK + head + b"\r\n")
        wait_closed(conn, server)

    resp, took = timed_fetch(raw(behaviour).url())
    assert took < DEADLINE + MARGIN
    assert resp.status is None and resp.error == "response headers too large"


def test_a_thousand_hop_chain_stops_at_max_redirects(raw: StartFn) -> None:
    def hop(request: bytes, server: RawServer) -> bytes:
        number = int(request.split(b" ")[1].rsplit(b"/", 1)[1] or 0)
        return (f"HTTP/1.1 302 Found\r\nLocation: /hop/{number + 1}\r\n"
                "Content-Length: 0\r\n\r\n").encode()

    server = raw(keep_alive(hop))
    resp, took = timed_fetch(server.url("/hop/0"), max_redirects=8)
    assert took < DEADLINE + MARGIN
    assert resp.error == "more than 8 redirects" and len(resp.redirects) == 8
    assert server.requests == 9


def test_reset_is_an_error(raw: StartFn) -> None:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    resp, took = timed_fetch(raw(behaviour).url())
    assert took < DEADLINE + MARGIN
    assert resp.status is None
    assert resp.error in ("connection reset by the server", "connection closed by the server")


def test_half_a_head_ends_the_fetch(raw: StartFn) -> None:
    # http.client takes a head cut short by EOF as complete; what matters is
    # that the fetch returns at once with nothing invented.
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Ty")

    resp, took = timed_fetch(raw(behaviour).url())
    assert took < DEADLINE + MARGIN
    assert resp.body == b"" and resp.header("Content-Type") is None


def test_half_a_chunked_body_is_an_error(raw: StartFn) -> None:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.send(conn, HEAD_OK + b"Transfer-Encoding: chunked\r\n\r\n40\r\nhalf a ch")

    resp, took = timed_fetch(raw(behaviour).url())
    assert took < DEADLINE + MARGIN
    assert resp.status == 200 and resp.truncated
    assert resp.error == "response ended before its announced length"


def test_non_http_garbage_is_an_error(raw: StartFn) -> None:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.send(conn, b"SSH-2.0-OpenSSH_9.6\r\n\x00\xff\xfe binary \x1b[2J\r\n\r\n")
        wait_closed(conn, server)

    resp, took = timed_fetch(raw(behaviour).url())
    assert took < DEADLINE + MARGIN
    assert resp.status is None and resp.error == "not an HTTP response"


def test_no_socket_stays_watched_after_the_fetches() -> None:
    # Every connection the tests above opened was closed, and closing cancels
    # its watch: the watchdog is left with nothing to shut down.
    assert WATCHDOG.pending() == 0
