"""Connections that check scope, count against politeness and obey a deadline.

requests stays the HTTP library; what changes is the connection class urllib3
instantiates under it, and its pools.

* **Scope, again.** Before opening a TCP connection, and before each request
  on it, ``(host, port)`` is checked against the audit scope: the address
  urllib3 really connects to, not a URL (defence in depth behind
  ``wire_url``). Without rules in force (outside ``HttpClient.fetch``) a
  connection refuses to connect at all: fail closed.
* **Every TCP connection counts.** Opening one takes a per-host slot
  (``HostLimiter``), held until the socket is closed, idle in the pool or
  not. When no slot is free, an idle connection of that host is closed to make
  room. Each request is also paced to the per-host rate.
* **Deadline.** Each request (re)arms the watchdog with its deadline, which
  shuts the socket down when that passes; returning a connection to the pool
  disarms it. The connect timeout is bounded by the time left.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ..ratelimit import HostLimiter, Slot
from ..scope import Scope, normalize_host
from .watchdog import WATCHDOG, Watch


class OutOfScope(Exception):
    """A connection to an address outside the audit scope was refused.

    Not an ``OSError``, so urllib3 lets it through unwrapped."""


@dataclass(frozen=True)
class WireRules:
    scope: Scope
    limiter: HostLimiter
    deadline: float  # absolute, time.monotonic()


_RULES: ContextVar[WireRules | None] = ContextVar("egov_audit_wire_rules", default=None)


@contextmanager
def wire_rules(rules: WireRules) -> Iterator[None]:
    token = _RULES.set(rules)
    try:
        yield
    finally:
        _RULES.reset(token)


class _IdleConnections:
    """Pooled connections not in use, per host, for one limiter: the ones that
    may be closed to free a slot. One re-entrant lock orders claiming and
    evicting, so a connection is never closed while a request is on it."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._by_host: dict[str, set[_Guarded]] = {}

    def park(self, conn: _Guarded) -> None:
        with self.lock:
            self._by_host.setdefault(conn.host_key, set()).add(conn)

    def claim(self, conn: _Guarded) -> None:
        with self.lock:
            self._by_host.get(conn.host_key, set()).discard(conn)

    def evict_one(self, host_key: str) -> bool:
        with self.lock:
            idle = self._by_host.get(host_key)
            if not idle:
                return False
            idle.pop().close()  # releases its slot
            return True


_IDLE: weakref.WeakKeyDictionary[HostLimiter, _IdleConnections] = weakref.WeakKeyDictionary()
_IDLE_LOCK = threading.Lock()


def _idle_for(limiter: HostLimiter) -> _IdleConnections:
    with _IDLE_LOCK:
        idle = _IDLE.get(limiter)
        if idle is None:
            idle = _IDLE[limiter] = _IdleConnections()
            limiter.add_room_maker(idle.evict_one)
        return idle


def _rules_for(host: str, port: int) -> WireRules:
    rules = _RULES.get()
    if rules is None:
        raise OutOfScope("connection attempted outside HttpClient.fetch")
    if not rules.scope.allows(host, port):
        raise OutOfScope(f"{host}:{port} is outside the audit scope")
    return rules


class _Guarded:
    """Mixin for urllib3's connection classes (before them in the MRO)."""

    _dns_host: str
    port: int
    timeout: Any
    sock: socket.socket | None
    _slot: Slot | None = None
    _watch: Watch | None = None
    _idle: _IdleConnections | None = None
    host_key: str = ""

    def _new_conn(self) -> socket.socket:
        rules = _rules_for(self._dns_host, self.port)
        self.host_key = normalize_host(self._dns_host)
        idle = _idle_for(rules.limiter)  # registers its idle connections as room
        slot = rules.limiter.acquire_slot(self.host_key, rules.deadline)
        try:
            left = rules.deadline - time.monotonic()
            if isinstance(self.timeout, (int, float)):
                self.timeout = max(0.001, min(float(self.timeout), left))
            sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        except BaseException:
            slot.release()
            raise
        self._slot, self._idle = slot, idle
        self._arm(sock, rules.deadline)
        return sock

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> None:
        rules = _rules_for(self._dns_host, self.port)
        if self.sock is None:
            # A new connection takes its slot first and its turn second: a turn
            # taken before a long wait for a slot would send the request late,
            # bunched with the requests whose turns came after it.
            self.connect()  # type: ignore[attr-defined]  # a mixin over urllib3's connection
        rules.limiter.pace(normalize_host(self._dns_host), rules.deadline)
        if self.sock is not None:  # a reused connection: this request's deadline
            self._arm(self.sock, rules.deadline)
        super().request(method, url, *args, **kwargs)  # type: ignore[misc]

    def _arm(self, sock: socket.socket, deadline: float) -> None:
        self.disarm()
        self._watch = WATCHDOG.watch(sock, deadline)

    def disarm(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    def close(self) -> None:
        # Disarm first: the watchdog must never shut a descriptor that is
        # closed and perhaps reused by another connection.
        self.disarm()
        if self._idle is not None:
            self._idle.claim(self)
        if self.sock is not None:
            # close() alone leaves the descriptor open while a response's file
            # object still refers to it; shutdown ends the TCP connection now,
            # before the slot is given to another.
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)
        try:
            super().close()  # type: ignore[misc]
        finally:
            if self._slot is not None:
                self._slot.release()
                self._slot = None


class GuardedHTTPConnection(_Guarded, HTTPConnection):
    pass


class GuardedHTTPSConnection(_Guarded, HTTPSConnection):
    pass


class _PoolMixin:
    """Pools that tell the idle registry when a connection goes idle or back to work."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)  # type: ignore[misc]
        if isinstance(conn, _Guarded) and conn._idle is not None:
            conn._idle.claim(conn)
        return conn

    def _put_conn(self, conn: Any) -> None:
        if isinstance(conn, _Guarded):
            conn.disarm()
            if conn._idle is not None and conn.sock is not None:
                conn._idle.park(conn)  # before it is visible in the pool to others
        super()._put_conn(conn)  # type: ignore[misc]


class _HTTPPool(_PoolMixin, HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class _HTTPSPool(_PoolMixin, HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """An adapter whose pools build guarded connections; thread-safe, shared
    by a run's HttpClient. ``pool_maxsize`` bounds idle connections per
    host:port; the limiter bounds all of them per host."""

    def __init__(self, pool_maxsize: int = 1) -> None:
        super().__init__(pool_connections=64, pool_maxsize=pool_maxsize, max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
