"""One request per (method, URL, headers) per run: the HTTP client's shared answers.

Targets often share an origin: ``http://h/`` redirects to ``https://h/``, a
host is listed twice, two services live on one portal. Without sharing, each
target repeats the same sweep and crawl against the same server. The client
keeps every answer it read (one redirect hop = one exchange) keyed by what
went on the wire, and hands it to any later identical request.

*Single flight*: a request identical to one in flight waits for it instead of
going out too (targets run on threads and tend to reach the same URLs at the
same moment).

*Bounded*: bodies are capped by the client already; the cache holds at most
``max_bytes`` in all, evicting the least recently used first, and never
stores one answer larger than an eighth of that (it is still handed to the
requests waiting for it, just not kept).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field, replace

import requests

Headers = tuple[tuple[str, str], ...]
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Exchange:
    """One request/response on the wire, as read (a redirect hop's body is not kept)."""

    status: int | None
    reason: str = ""
    headers: Headers = ()
    location: str | None = None
    body: bytes = b""
    truncated: bool = False
    cap: int = 0  # the body cap it was read with
    error: str | None = None
    cookies: requests.cookies.RequestsCookieJar = field(
        default_factory=requests.cookies.RequestsCookieJar, compare=False, repr=False)

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 256

    def serves(self, cap: int) -> bool:
        """Can this answer stand for a request reading at most ``cap`` bytes?"""
        return not self.truncated or self.cap >= cap

    def within(self, cap: int) -> Exchange:
        """This answer as a request capped at ``cap`` would have read it."""
        if len(self.body) <= cap:
            return self
        return replace(self, body=self.body[:cap], truncated=True, cap=cap)


class _Flight:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Exchange | None = None


class WaitExpired(Exception):
    """The caller's deadline passed while an identical request was in flight."""


class ResponseCache:
    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Exchange] = OrderedDict()
        self._flights: dict[Hashable, _Flight] = {}
        self._size = 0
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        with self._lock:
            return self._size

    def claim(self, key: Hashable, cap: int, until: float) -> Exchange | None:
        """The shared answer for ``key``, or None: the caller then owns the
        request and must call :meth:`finish` (in a ``finally``).

        Waits for an identical request in flight, at most until ``until``
        (``time.monotonic()``), then raises :class:`WaitExpired`.
        """
        while True:
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None and entry.serves(cap):
                    self._entries.move_to_end(key)
                    return entry.within(cap)
                flight = self._flights.get(key)
                if flight is None:
                    self._flights[key] = _Flight()
                    return None
            if not flight.done.wait(timeout=max(0.0, until - time.monotonic())):
                raise WaitExpired()
            result = flight.result
            if result is not None and result.serves(cap):
                return result.within(cap)
            # The first request failed in a way that is not shared (a deadline,
            # the budget) or read less than we need: try again, maybe as owner.

    def finish(self, key: Hashable, result: Exchange | None) -> None:
        """End the flight for ``key``; ``result`` None shares nothing."""
        with self._lock:
            flight = self._flights.pop(key, None)
            if result is not None and result.size <= self.max_bytes // 8:
                old = self._entries.pop(key, None)
                if old is not None:
                    self._size -= old.size
                self._entries[key] = result
                self._size += result.size
                while self._size > self.max_bytes and self._entries:
                    _, evicted = self._entries.popitem(last=False)
                    self._size -= evicted.size
        if flight is not None:
            flight.result = result
            flight.done.set()
