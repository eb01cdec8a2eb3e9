"""Per-host politeness for a process whose sockets a library opens itself.

sslyze opens its connections with ``socket.create_connection`` in threads of
its own; :func:`be_polite` puts every such call of the process under one
:class:`PoliteConnections`, the same bounds the HTTP client keeps.
"""

from __future__ import annotations

import socket
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from .. import deadline


class PoliteConnections:
    """Per address: at most ``connections`` open at once, new ones ``1 / rate`` s apart.

    sslyze opens several hundred short connections per endpoint (one per
    cipher suite tried), and a scan abandoned at its budget keeps its sockets
    until this process ends; both count against the per-host bounds. A
    connection is open while its TCP state is ESTABLISHED; one being opened
    counts from the moment it is granted its turn.
    """

    def __init__(self, connections: int, rate: float) -> None:
        self.connections = max(1, connections)
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next: dict[str, float] = {}
        self._open: dict[str, list[weakref.ref[socket.socket]]] = {}
        self._opening: dict[str, int] = {}
        self._lock = threading.Lock()  # held for bookkeeping only, never across a sleep

    def open(self, host: str, connect: Callable[[], socket.socket]) -> socket.socket:
        while True:
            with self._lock:
                opening = self._opening.get(host, 0)
                if self.open_count(host) + opening < self.connections:
                    self._opening[host] = opening + 1
                    now = time.monotonic()
                    at = max(now, self._next.get(host, now))
                    self._next[host] = at + self.interval
                    break
            # A caller under a deadline (the fallback prober) must not wait past
            # it for a slot; sslyze's own threads carry none and are unaffected.
            deadline.check("waiting for a connection slot")
            time.sleep(0.02)
        try:
            if at > now:
                time.sleep(at - now)
            sock = connect()
            with self._lock:
                self._open.setdefault(host, []).append(weakref.ref(sock))
            return sock
        finally:
            with self._lock:
                self._opening[host] -= 1

    def open_count(self, host: str) -> int:
        alive = [ref for ref in self._open.get(host, ())
                 if (sock := ref()) is not None and _holds_connection(sock)]
        self._open[host] = alive
        return len(alive)


_TCP_INFO = getattr(socket, "TCP_INFO", None)  # Linux
_TCP_ESTABLISHED = 1


def _holds_connection(sock: socket.socket) -> bool:
    """True while neither side closed: what the server counts as an open connection.

    sslyze drops some failed connections without closing them; their sockets
    wait for the garbage collector although the server has long closed its
    side. Counting those would stall the scan for no one's benefit.
    """
    if sock.fileno() == -1:
        return False
    if _TCP_INFO is None:
        return True
    try:
        return sock.getsockopt(socket.IPPROTO_TCP, _TCP_INFO, 1)[0] == _TCP_ESTABLISHED
    except OSError:
        return False  # closed meanwhile


def be_polite(limits: PoliteConnections) -> None:
    """Route every ``socket.create_connection`` of this process through ``limits``.

    This process runs nothing but sslyze, which opens its sockets with
    ``socket.create_connection``; wrapping that one stdlib function bounds
    them all without touching sslyze's internals.
    """
    original = socket.create_connection

    def polite(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        return limits.open(str(address[0]), lambda: original(address, *args, **kwargs))

    socket.create_connection = polite  # type: ignore[assignment]
