"""Per-host politeness: a cap on concurrent connections and on request rate.

Government servers are often small and fragile; a scanner that takes one down
has done harm. Every request of every probe goes through one limiter per run,
keyed by host, whichever target or thread it comes from.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .scope import normalize_host


class _HostSlot:
    def __init__(self, connections: int) -> None:
        self.semaphore = threading.BoundedSemaphore(connections)
        self.lock = threading.Lock()
        self.next_start = 0.0


class HostLimiter:
    def __init__(self, connections: int, rate: float) -> None:
        if connections < 1:
            raise ValueError("connections per host must be at least 1")
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._connections = connections
        self._interval = 1.0 / rate
        self._slots: dict[str, _HostSlot] = {}
        self._lock = threading.Lock()

    def _slot(self, host: str) -> _HostSlot:
        key = normalize_host(host)
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = _HostSlot(self._connections)
            return slot

    @contextmanager
    def request(self, host: str) -> Iterator[None]:
        """Hold one of the host's connection slots, starting no sooner than the rate allows."""
        slot = self._slot(host)
        with slot.semaphore:
            with slot.lock:
                now = time.monotonic()
                start = max(now, slot.next_start)
                slot.next_start = start + self._interval
            delay = start - now
            if delay > 0:
                time.sleep(delay)
            yield
