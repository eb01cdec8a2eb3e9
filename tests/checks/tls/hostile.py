"""Misbehaving TLS servers and a connection counter: raw sockets on loopback.

Each server does one hostile thing to every connection it accepts:

* ``stall``: accept, then say nothing (the handshake waits for a ServerHello);
* ``drip``: send a valid-looking ServerHello one byte every ``interval`` seconds,
  so no single read ever waits long enough for a socket timeout;
* ``garbage``: answer the ClientHello with bytes that are not TLS;
* ``reset``: close with SO_LINGER 0 at once, so the client sees a TCP RST.

:class:`CountingProxy` sits in front of a real server and counts TCP
connections: how many in total and the most open at the same time, which is
what the politeness bounds promise.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable

from ...rawserver import RawServer, most_in_one_second, still_open

# A TLS 1.2 ServerHello record (RSA + AES128-SHA, no extensions), the start of
# what a real server answers; dripped a byte at a time it never completes.
_HELLO_BODY = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x2f" + b"\x00"
_HANDSHAKE = b"\x02" + len(_HELLO_BODY).to_bytes(3, "big") + _HELLO_BODY
SERVER_HELLO = b"\x16\x03\x03" + len(_HANDSHAKE).to_bytes(2, "big") + _HANDSHAKE
GARBAGE = b"SSH-2.0-OpenSSH_9.2 not TLS at all\r\n" + bytes(range(256)) * 4


def _read_client_hello(conn: socket.socket) -> None:
    conn.settimeout(10)
    with contextlib.suppress(OSError):
        conn.recv(4096)


def stall(conn: socket.socket, server: RawServer) -> None:
    _read_client_hello(conn)
    while server.wait(0.5):
        pass


def dripper(interval: float) -> Callable[[socket.socket, RawServer], None]:
    def drip(conn: socket.socket, server: RawServer) -> None:
        _read_client_hello(conn)
        for byte in SERVER_HELLO * 1000:  # far longer than any budget
            if not server.wait(interval):
                return
            conn.sendall(bytes([byte]))
    return drip


def garbage(conn: socket.socket, server: RawServer) -> None:
    _read_client_hello(conn)
    conn.sendall(GARBAGE)


def reset(conn: socket.socket, server: RawServer) -> None:
    # SO_LINGER on with a zero timeout: close() sends RST instead of FIN.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


class CountingProxy:
    """Forwards loopback TCP to ``upstream`` and counts the connections it carries."""

    def __init__(self, upstream: tuple[str, int], host: str = "127.0.0.1") -> None:
        self.upstream = upstream
        self.total = 0
        self.peak = 0
        self._clients: list[socket.socket] = []
        self.opened_at: list[float] = []
        self._lock = threading.Lock()
        self._server = RawServer(self._forward, host)
        self.host, self.port = host, self._server.port

    def start(self) -> CountingProxy:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def _forward(self, client: socket.socket, server: RawServer) -> None:
        with self._lock:
            # Count from the kernel's view at this accept, not from the pump
            # threads, which may not have noticed a close yet on a busy machine.
            self._clients = [c for c in self._clients if still_open(c)] + [client]
            self.total += 1
            self.peak = max(self.peak, len(self._clients))
            self.opened_at.append(time.monotonic())
        with socket.create_connection(self.upstream, timeout=10) as backend:
            _pump_both(client, backend)

    def max_per_second(self) -> int:
        """The most connections opened within any one-second window."""
        return most_in_one_second(self.opened_at)


def _pump_both(a: socket.socket, b: socket.socket) -> None:
    def pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    other = threading.Thread(target=pump, args=(b, a), daemon=True)
    other.start()
    pump(a, b)
    other.join(timeout=30)


BEHAVIOURS: dict[str, Callable[[socket.socket, RawServer], None]] = {
    "stall": stall, "garbage": garbage, "reset": reset, "drip": dripper(2.0),
}


def hostile(kind: str, host: str = "127.0.0.1") -> RawServer:
    return RawServer(BEHAVIOURS[kind], host).start()


class RawServerFactory:
    """Starts hostile servers by kind and stops them all at the end of a test."""

    def __init__(self) -> None:
        self.started: list[RawServer] = []

    def start(self, kind: str, host: str = "127.0.0.1") -> RawServer:
        server = hostile(kind, host)
        self.started.append(server)
        return server

    def stop(self) -> None:
        for server in self.started:
            server.stop()
