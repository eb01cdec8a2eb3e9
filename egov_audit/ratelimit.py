"""Per-host politeness: a cap on concurrent connections and on request rate.

Government servers are often small and fragile; a scanner that takes one down
has done harm. One limiter per run, keyed by host, whichever target, probe or
thread a connection comes from. A *slot* is one open TCP connection: the HTTP
client takes it just before connecting and gives it back only when the socket
is closed, so idle pooled connections count too (and are closed on demand
when a slot is needed). Request starts are paced separately, per request.

:class:`HostLimiter` is also the interface: the HTTP client, the TLS host hold
and the connection pool call only ``connections``, ``acquire_slot``, ``pace``,
``acquire``, ``request`` and ``add_room_maker``. A limiter shared by several
processes (:class:`egov_audit.distributed.redis_limits.RedisHostLimiter`)
overrides the two primitives, :meth:`HostLimiter.try_slot` and
:meth:`HostLimiter.reserve_start`, and keeps the rest.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .scope import normalize_host


class SlotUnavailable(Exception):
    """No connection slot for the host before the deadline.

    Deliberately not an ``OSError``: urllib3 would wrap that as a network
    failure, and the caller must be able to say "deadline" instead."""


class LimitsUnavailable(SlotUnavailable):
    """The shared per-host limits (Redis, for a distributed run) could not be
    read or written: nothing is sent, and the message says so instead of a
    timeout the target did not cause."""


class _HostSlots:
    def __init__(self, connections: int) -> None:
        self.semaphore = threading.BoundedSemaphore(connections)
        self.lock = threading.Lock()
        self.next_start = 0.0


class Slot:
    """One held connection slot; ``release()`` may be called more than once."""

    def __init__(self, give_back: Callable[[], object]) -> None:
        self._give_back: Callable[[], object] | None = give_back
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            give_back, self._give_back = self._give_back, None
        if give_back is not None:
            give_back()


class HostLimiter:
    def __init__(self, connections: int, rate: float) -> None:
        if connections < 1:
            raise ValueError("connections per host must be at least 1")
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._connections = connections
        self._interval = 1.0 / rate
        self._hosts: dict[str, _HostSlots] = {}
        self._room_makers: list[Callable[[str], bool]] = []
        self._lock = threading.Lock()

    @property
    def connections(self) -> int:
        """Connection slots per host."""
        return self._connections

    def _for(self, host: str) -> _HostSlots:
        key = normalize_host(host)
        with self._lock:
            slots = self._hosts.get(key)
            if slots is None:
                slots = self._hosts[key] = _HostSlots(self._connections)
            return slots

    def add_room_maker(self, close_idle: Callable[[str], bool]) -> None:
        """Register a way to close one idle connection of a host (returns whether
        it did): a pool's idle connections hold slots, and must give way when
        any tool of the run needs one."""
        with self._lock:
            self._room_makers.append(close_idle)

    def _make_room(self, key: str) -> bool:
        with self._lock:
            makers = list(self._room_makers)
        return any(close_idle(key) for close_idle in makers)

    def acquire_slot(self, host: str, deadline: float = math.inf) -> Slot:
        """Wait for a free connection slot of ``host`` (one open TCP connection).

        ``deadline`` is absolute (``time.monotonic()``); if it comes first,
        :class:`SlotUnavailable` is raised and nothing is held.
        """
        key = normalize_host(host)
        while True:
            slot = self.try_slot(key)
            if slot is not None:
                return slot
            if self._make_room(key):
                continue  # an idle connection was closed; race for its slot
            left = deadline - time.monotonic()
            if left <= 0:
                raise SlotUnavailable(f"no free connection to {host} before the deadline")
            # Wake now and then: a connection in use may go idle, and be closable.
            slot = self.wait_slot(key, min(left, 0.05))
            if slot is not None:
                return slot

    def try_slot(self, key: str) -> Slot | None:
        """A free slot of the (normalised) host ``key`` now, or None."""
        semaphore = self._for(key).semaphore
        return Slot(semaphore.release) if semaphore.acquire(blocking=False) else None

    def wait_slot(self, key: str, seconds: float) -> Slot | None:
        """A slot of ``key`` within ``seconds``, or None."""
        semaphore = self._for(key).semaphore
        return Slot(semaphore.release) if semaphore.acquire(timeout=seconds) else None

    def pace(self, host: str, deadline: float = math.inf) -> None:
        """Wait for the host's next request start (``1/rate`` after the previous)."""
        wait = self.reserve_start(normalize_host(host), deadline - time.monotonic())
        if wait is None:
            raise SlotUnavailable(f"the request rate to {host} leaves no time before "
                                  "the deadline")
        if wait > 0:
            time.sleep(wait)

    @property
    def interval(self) -> float:
        """Seconds between two request starts to one host."""
        return self._interval

    def reserve_start(self, key: str, within: float) -> float | None:
        """Reserve the next request start of ``key``: seconds to wait for it, or
        None (nothing reserved) when it would come more than ``within`` s from now."""
        slots = self._for(key)
        with slots.lock:
            now = time.monotonic()
            start = max(now, slots.next_start)
            if start - now > within:
                return None
            slots.next_start = start + self._interval
        return start - now

    def acquire(self, host: str, deadline: float = math.inf) -> Slot:
        """One connection slot and one request start: for tools that make one
        request per connection."""
        slot = self.acquire_slot(host, deadline)
        try:
            self.pace(host, deadline)
        except BaseException:
            slot.release()
            raise
        return slot

    @contextmanager
    def request(self, host: str, deadline: float = math.inf) -> Iterator[None]:
        """Hold one slot for the block: for tools that open their own connections."""
        slot = self.acquire(host, deadline)
        try:
            yield
        finally:
            slot.release()
