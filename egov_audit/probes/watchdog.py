"""A watchdog that ends a connection when its deadline passes, whatever the server does.

Socket timeouts bound each read, not a request: a server dripping one byte
every second, or sending ``100 Continue`` for ever, never lets one expire.
So each connection the HTTP client opens is registered here with its absolute
deadline; one daemon thread shuts the socket down (``SHUT_RDWR``) when that
time comes, and any blocked read or TLS operation on it fails at once.

The shutdown works on the file descriptor, because TLS wrapping detaches the
original socket object. To never touch a descriptor that was closed and reused
meanwhile, ``Watch.cancel()`` (called before the connection closes) and the
shutdown both run under the same lock.
"""

from __future__ import annotations

import heapq
import itertools
import math
import socket
import threading
import time


class Watch:
    """One registered socket; ``fired`` says the watchdog ended it."""

    def __init__(self, dog: SocketWatchdog, fd: int, deadline: float) -> None:
        self._dog = dog
        self.fd = fd
        self.deadline = deadline
        self.cancelled = False
        self.fired = False

    def cancel(self) -> None:
        with self._dog.lock:
            self.cancelled = True


class SocketWatchdog:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._wake = threading.Condition(self.lock)
        self._heap: list[tuple[float, int, Watch]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, sock: socket.socket, deadline: float) -> Watch:
        watch = Watch(self, sock.fileno(), deadline)
        if deadline == math.inf:
            return watch  # nothing to enforce
        with self.lock:
            # The thread sleeps until the soonest deadline: only a sooner one
            # needs it awake. (Waking it for every request made it take the
            # lock every request thread needs, ~once per request.)
            sooner = not self._heap or deadline < self._heap[0][0]
            heapq.heappush(self._heap, (deadline, next(self._order), watch))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="egov-audit-socket-watchdog", daemon=True
                )
                self._thread.start()
            if sooner:
                self._wake.notify()
        return watch

    def pending(self) -> int:
        """Registered, not yet cancelled or fired (for tests)."""
        with self.lock:
            return sum(1 for _, _, w in self._heap if not w.cancelled)

    def _run(self) -> None:
        with self.lock:
            while True:
                now = time.monotonic()
                while self._heap and (self._heap[0][2].cancelled or self._heap[0][0] <= now):
                    _, _, watch = heapq.heappop(self._heap)
                    if not watch.cancelled:
                        _shutdown(watch.fd)
                        watch.fired = True
                wait = self._heap[0][0] - now if self._heap else None
                self._wake.wait(timeout=wait)


def _shutdown(fd: int) -> None:
    try:
        # A temporary socket object over the same descriptor; detach() keeps
        # its destructor from closing the descriptor the connection still owns.
        sock = socket.socket(fileno=fd)
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already disconnected: nothing left to end
    finally:
        sock.detach()


WATCHDOG = SocketWatchdog()
