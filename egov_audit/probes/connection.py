"""Connections that check scope, hold a politeness slot and obey a deadline.

requests stays the HTTP library; what changes is the connection class urllib3
instantiates under it. Just before a TCP connection is opened, it

* checks ``(host, port)`` against the audit scope once more (defence in depth:
  the client already checked the URL, but this is the address urllib3 will
  really connect to),
* takes one of the host's connection slots (``HostLimiter``), held until the
  socket is closed, so every TCP connection is counted,
* bounds the connect timeout by the time left, and registers the socket with
  the watchdog, which shuts it down when the request's deadline passes.

The rules for the connection in progress come from a context variable that
``HttpClient`` sets around each request: a connection made outside it refuses
to connect at all (fail closed).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ..ratelimit import HostLimiter, Slot
from ..scope import Scope
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


class _Guarded:
    """Mixin for urllib3's connection classes (before them in the MRO)."""

    _dns_host: str
    port: int
    timeout: Any
    _slot: Slot | None = None
    _watch: Watch | None = None

    def _new_conn(self) -> socket.socket:
        rules = _RULES.get()
        if rules is None:
            raise OutOfScope("connection attempted outside HttpClient.fetch")
        if not rules.scope.allows(self._dns_host, self.port):
            raise OutOfScope(f"{self._dns_host}:{self.port} is outside the audit scope")
        slot = rules.limiter.acquire(self._dns_host, rules.deadline)
        try:
            left = rules.deadline - time.monotonic()
            if isinstance(self.timeout, (int, float)):
                self.timeout = max(0.001, min(float(self.timeout), left))
            sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        except BaseException:
            slot.release()
            raise
        self._slot = slot
        self._watch = WATCHDOG.watch(sock, rules.deadline)
        return sock

    def close(self) -> None:
        # Cancel first: the watchdog must never shut a descriptor that is
        # closed and perhaps reused by another connection.
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
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


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """An adapter whose pools build guarded connections. Used for one request
    and closed after it: no idle connection outlives its request."""

    def __init__(self) -> None:
        super().__init__(pool_connections=1, pool_maxsize=1, max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
