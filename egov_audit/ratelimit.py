"""Per-host politeness: a cap on concurrent connections and on request rate.

Government servers are often small and fragile; a scanner that takes one down
has done harm. One limiter per run, keyed by host, whichever target, probe or
thread a connection comes from. A *slot* is one open TCP connection: the HTTP
client takes it just before connecting and gives it back when the socket is
closed (it never keeps idle connections, so nothing escapes the count). Each
slot taken is also one request start, spaced to the per-host rate.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .scope import normalize_host


class SlotUnavailable(Exception):
    """No connection slot for the host before the deadline.

    Deliberately not an ``OSError``: urllib3 would wrap that as a network
    failure, and the caller must be able to say "deadline" instead."""


class _HostSlots:
    def __init__(self, connections: int) -> None:
        self.semaphore = threading.BoundedSemaphore(connections)
        self.lock = threading.Lock()
        self.next_start = 0.0


class Slot:
    """One held connection slot; ``release()`` may be called more than once."""

    def __init__(self, semaphore: threading.BoundedSemaphore) -> None:
        self._semaphore: threading.BoundedSemaphore | None = semaphore
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            semaphore, self._semaphore = self._semaphore, None
        if semaphore is not None:
            semaphore.release()


class HostLimiter:
    def __init__(self, connections: int, rate: float) -> None:
        if connections < 1:
            raise ValueError("connections per host must be at least 1")
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._connections = connections
        self._interval = 1.0 / rate
        self._hosts: dict[str, _HostSlots] = {}
        self._lock = threading.Lock()

    def _for(self, host: str) -> _HostSlots:
        key = normalize_host(host)
        with self._lock:
            slots = self._hosts.get(key)
            if slots is None:
                slots = self._hosts[key] = _HostSlots(self._connections)
            return slots

    def acquire(self, host: str, deadline: float = math.inf) -> Slot:
        """Wait for a free connection slot and the host's next start time.

        ``deadline`` is absolute (``time.monotonic()``); if it comes first,
        :class:`SlotUnavailable` is raised and nothing is held.
        """
        slots = self._for(host)
        wait = None if deadline == math.inf else max(0.0, deadline - time.monotonic())
        if not slots.semaphore.acquire(timeout=wait):
            raise SlotUnavailable(f"no free connection to {host} before the deadline")
        with slots.lock:
            now = time.monotonic()
            start = max(now, slots.next_start)
            if start > deadline:
                slots.semaphore.release()
                raise SlotUnavailable(f"the request rate to {host} leaves no time before "
                                      "the deadline")
            slots.next_start = start + self._interval
        if start > now:
            time.sleep(start - now)
        return Slot(slots.semaphore)

    @contextmanager
    def request(self, host: str, deadline: float = math.inf) -> Iterator[None]:
        """Hold one slot for the block: for tools that open their own connections."""
        slot = self.acquire(host, deadline)
        try:
            yield
        finally:
            slot.release()
