"""TLS handshakes that never finish: stall, drip, garbage, reset.

The target is an https:// URL, so both the TLS family (sslyze) and the HTTP
client meet the misbehaviour; neither can get a usable answer.
"""

from __future__ import annotations

import random
import ssl
from collections.abc import Callable

from .lab import Behaviour, Lab
from .wire import Conn, Dialogue


def _client_hello(conn: Conn) -> bytes:
    conn.sock.settimeout(10)
    try:
        return conn.sock.recv(65536)
    except OSError:
        return b""


def _silent(conn: Conn) -> None:
    conn.hold()


def _garbage(conn: Conn) -> None:
    if _client_hello(conn):
        conn.send(random.Random(7).randbytes(16_384))
        conn.hold()


def _reset(conn: Conn) -> None:
    if _client_hello(conn):
        conn.reset()


def _drip(context: ssl.SSLContext) -> Dialogue:
    """A real server handshake (certificate and all), one byte every two seconds."""

    def talk(conn: Conn) -> None:
        hello = _client_hello(conn)
        if not hello:
            return
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = context.wrap_bio(incoming, outgoing, server_side=True)
        incoming.write(hello)
        try:
            tls.do_handshake()
        except ssl.SSLWantReadError:
            pass
        except ssl.SSLError:
            return
        flight = outgoing.read()
        conn.drip((flight[i:i + 1] for i in range(len(flight))), 2.0)
        conn.hold()

    return talk


def _tls(dialogue: Dialogue | None) -> Callable[[Lab], str]:
    def start(lab: Lab) -> str:
        server = lab.server(dialogue or _drip(lab.certificate()))
        return server.url("/", scheme="https")

    return start


TLS: tuple[Behaviour, ...] = (
    Behaviour("tls-handshake-stall", "gives up the handshake at the deadline",
              _tls(_silent), answers=False, tls=True),
    Behaviour("tls-handshake-drip", "gives up the handshake at the deadline although "
              "bytes keep coming", _tls(None), answers=False, tls=True),
    Behaviour("tls-garbage", "reports a failed handshake", _tls(_garbage), answers=False,
              tls=True),
    Behaviour("tls-reset", "reports the reset handshake", _tls(_reset), answers=False,
              tls=True),
)
