"""Listeners that count the TCP connections a scanner makes to one loopback host.

Several ports on one address, all counted together, because the politeness
bounds are per host: the most connections open at the same moment, and the
most opened within any one second. "Open" is read from the kernel at each
accept (a peek at the client's socket), not from handler threads that may lag
behind on a busy machine.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

from ...rawserver import most_in_one_second, still_open


class CountingListeners:
    """``count`` listeners on ``host``; each greets with ``banner`` and waits for the close."""

    def __init__(self, host: str, count: int, banner: bytes = b"SSH-2.0-OpenSSH_9.2\r\n") -> None:
        self.host = host
        self.banner = banner
        self.total = 0
        self.peak = 0
        self.opened_at: list[float] = []
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listeners = []
        for _ in range(count):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, 0))
            sock.listen(64)
            sock.settimeout(0.1)
            self._listeners.append(sock)
        self.ports = [s.getsockname()[1] for s in self._listeners]
        self._threads = [threading.Thread(target=self._accept, args=(s,), daemon=True)
                         for s in self._listeners]

    def start(self) -> CountingListeners:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        for sock in self._listeners:
            sock.close()
        with self._lock:
            for conn in self._clients:
                with contextlib.suppress(OSError):
                    conn.close()

    def _accept(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with self._lock:
                self._clients = [c for c in self._clients if still_open(c)] + [conn]
                self.total += 1
                self.peak = max(self.peak, len(self._clients))
                self.opened_at.append(time.monotonic())
            threading.Thread(target=self._greet, args=(conn,), daemon=True).start()

    def _greet(self, conn: socket.socket) -> None:
        if self.banner:  # an empty banner: a service that never speaks first
            with contextlib.suppress(OSError):
                conn.sendall(self.banner)

    def open_now(self) -> int:
        with self._lock:
            return sum(1 for c in self._clients if still_open(c))

    def max_per_second(self, first_n: int | None = None) -> int:
        """The most connections opened within one second (of the first ``first_n``)."""
        return most_in_one_second(sorted(self.opened_at)[:first_n])
