"""Misbehaviours of TCP and HTTP framing: drips, floods, lies, bombs, loops.

Each answers every request the same way (the scanner asks for many paths),
so every probe meets the misbehaviour, not only the first request.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator

from .bombs import brotli_zeros, gzip_zeros, zlib_zeros
from .lab import Behaviour, Lab
from .replies import HTML, Reply, page, redirect, site
from .wire import Conn, Request, blackhole

HEAD_OK = b"HTTP/1.1 200 OK\r\nServer: nginx\r\nConnection: close\r\n"
PAGE = "<html><head><title>Portal Layanan</title></head><body><p>Selamat datang</p></body></html>"


def _raw(talk: Callable[[Conn], None]) -> Callable[[Lab], str]:
    """A behaviour whose dialogue reads a request, then misbehaves by hand."""

    def dialogue(conn: Conn) -> None:
        if conn.read_request() is not None:
            talk(conn)

    def start(lab: Lab) -> str:
        return lab.server(dialogue).url("/")

    return start


def _served(reply: Reply) -> Callable[[Lab], str]:
    return lambda lab: lab.server(site({}, reply)).url("/")


def _drip_body(conn: Conn) -> None:
    conn.send(HEAD_OK + f"Content-Type: {HTML}\r\nContent-Length: 10000000\r\n\r\n".encode())
    conn.drip(itertools.repeat(b"a"), 0.5)


def _drip_headers(conn: Conn) -> None:
    conn.send(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    conn.drip(itertools.repeat(b"a"), 0.5)


def _continue_flood(conn: Conn) -> None:
    # Only 100 is skipped by clients as "not final yet" (102 and 103 end the wait).
    conn.drip(itertools.repeat(b"HTTP/1.1 100 Continue\r\nX-Wait: 1\r\n\r\n"), 0.3)


def _chunks(piece: bytes) -> Iterator[bytes]:
    while True:
        yield b"%x\r\n%s\r\n" % (len(piece), piece)


def _chunked_endless(conn: Conn) -> None:
    conn.send(HEAD_OK + f"Content-Type: {HTML}\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
    conn.send_all(itertools.islice(_chunks(b"<html><body>"), 1))
    conn.send_all(_chunks(b"<p>" + b"berita " * 9000 + b"</p>\n"))


def _chunked_drip(conn: Conn) -> None:
    conn.send(HEAD_OK + f"Content-Type: {HTML}\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
    conn.drip(_chunks(b"a"), 0.5)


def _chunked_malformed(conn: Conn) -> None:
    conn.send(HEAD_OK + f"Content-Type: {HTML}\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
              + b"5\r\n<html\r\nzz;x=" + b"y" * 70000 + b"\r\n-5\r\n\r\n")


def _chunked_overflow(conn: Conn) -> None:
    conn.send(HEAD_OK + f"Content-Type: {HTML}\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
              + b"ffffffffffffffffffffffff\r\n<html><body>")
    conn.hold()


def _content_length_lie(conn: Conn) -> None:
    body = PAGE.encode()
    conn.send(HEAD_OK + f"Content-Type: {HTML}\r\nContent-Length: 1000000000000\r\n\r\n".encode()
              + body)
    conn.hold()


def _half_response(conn: Conn) -> None:
    conn.send(b"HTTP/1.1 20")  # cut inside the status code


def _half_body(conn: Conn) -> None:
    conn.send(HEAD_OK + f"Content-Type: {HTML}\r\nContent-Length: 100000\r\n\r\n".encode()
              + b"<html><body>" + b"a" * 5000)


def _huge_headers(conn: Conn) -> None:
    conn.send(HEAD_OK)
    conn.send_all(b"X-Filler-%d: %s\r\n" % (i, b"a" * 1000) for i in range(10_000))
    conn.send(b"Content-Length: 0\r\n\r\n")


def _huge_header_line(conn: Conn) -> None:
    conn.send(HEAD_OK + b"Set-Cookie: session=" + b"a" * (1024 * 1024) + b"\r\n"
              + b"Content-Length: 0\r\n\r\n")


def _non_http(conn: Conn) -> None:
    conn.send(b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n\x00\x00\x04\x14\x0a\x14" + bytes(64))
    conn.hold()


def _bomb(coding: str, make: Callable[[], Iterable[bytes]]) -> Reply:
    return Reply(200, (("Content-Type", HTML), ("Content-Encoding", coding)), make)


def _loop(lab: Lab) -> str:
    routes = {"/a": redirect("/b"), "/b": redirect("/a")}
    return lab.server(site(routes, redirect("/a"))).url("/")


def _chain(lab: Lab) -> str:
    def hop(request: Request) -> Reply:
        path = request.path
        number = int(path.rsplit("/", 1)[-1]) if path.startswith("/hop/") else 0
        return page(PAGE) if number >= 1000 else redirect(f"/hop/{number + 1}")

    return lab.server(site({}, hop)).url("/")


def _blackhole(lab: Lab) -> str:
    return lab.add(blackhole(lab.host)).url("/")


def _reset(conn: Conn) -> None:
    conn.reset()


FRAMING: tuple[Behaviour, ...] = (
    Behaviour("drip-body", "gives up on the body at the request deadline", _raw(_drip_body)),
    Behaviour("drip-headers", "gives up at the request deadline; no response",
              _raw(_drip_headers), answers=False),
    Behaviour("1xx-flood", "gives up at the request deadline; 1xx is not an answer",
              _raw(_continue_flood), answers=False),
    Behaviour("chunked-endless", "stops reading at the byte cap", _raw(_chunked_endless)),
    Behaviour("chunked-drip", "gives up on the body at the request deadline",
              _raw(_chunked_drip)),
    Behaviour("chunked-malformed", "rejects the framing at once", _raw(_chunked_malformed)),
    Behaviour("chunked-overflow", "rejects a chunk size past any cap", _raw(_chunked_overflow)),
    Behaviour("content-length-lie", "stops at the byte cap or the request deadline",
              _raw(_content_length_lie)),
    Behaviour("half-response", "reports the cut status line as an error",
              _raw(_half_response), answers=False),
    Behaviour("half-body", "keeps what came, notes the body is incomplete", _raw(_half_body)),
    Behaviour("gzip-bomb", "stops decoding at the byte cap (10 GiB of zeros, 10 MB sent)",
              _served(_bomb("gzip", lambda: gzip_zeros()))),
    Behaviour("deflate-bomb", "stops decoding at the byte cap", _served(_bomb(
        "deflate", lambda: zlib_zeros()))),
    Behaviour("brotli-bomb", "stops decoding at the byte cap (10 GiB in 8 KB), or does not "
              "decode brotli at all", _served(_bomb("br", lambda: [brotli_zeros()]))),
    Behaviour("huge-headers", "refuses 10,000 header lines (10 MB)", _raw(_huge_headers),
              answers=False),
    Behaviour("huge-header-line", "refuses a 1 MiB header line", _raw(_huge_header_line),
              answers=False),
    Behaviour("redirect-loop", "stops at the redirect limit", _loop),
    Behaviour("redirect-chain-1000", "stops at the redirect limit, far before hop 1000", _chain),
    Behaviour("tcp-blackhole", "gives up connecting at the connect timeout", _blackhole,
              answers=False),
    Behaviour("tcp-reset", "reports the reset", _raw(_reset), answers=False),
    Behaviour("tcp-silent", "gives up at the request deadline", _raw(Conn.hold),
              answers=False),
    Behaviour("non-http", "reports that the answer is not HTTP", _raw(_non_http),
              answers=False),
)
