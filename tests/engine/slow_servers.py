"""Raw socket servers on loopback that never finish an answer.

``HangingServer`` accepts connections and says nothing; ``DripServer`` sends
a response head promising a large body, then one byte per second. Both are
behaviours of the shared :class:`tests.rawserver.RawServer`, which counts the
connections accepted (tests wait on the count instead of sleeping) and shuts
every connection down on ``stop()``, releasing whatever was blocked on it.
"""

from __future__ import annotations

import socket

from ..rawserver import RawServer, wait_closed

HOLD_S = 600.0  # far past any deadline a test sets; stop() ends it sooner


def _hang(conn: socket.socket, server: RawServer) -> None:
    wait_closed(conn, server, HOLD_S)


def _drip(conn: socket.socket, server: RawServer) -> None:
    server.read_request(conn)
    server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                      b"Content-Length: 100000\r\n\r\n")
    while server.wait(1.0):
        server.send(conn, b"a")


class HangingServer(RawServer):
    """Accepts on 127.0.0.1 and never answers."""

    def __init__(self) -> None:
        super().__init__(_hang)


class DripServer(RawServer):
    """A complete response head with ``Content-Length: 100000``, then a byte a second."""

    def __init__(self) -> None:
        super().__init__(_drip)
