"""Deadlines that hold whatever a server does.

A hostile server chooses its own timing: it can drip one byte a second, send
``100 Continue`` for ever, or stall a TLS handshake. Per-operation socket
timeouts do not bound any of that, so the engine keeps *absolute* deadlines
(``time.monotonic()`` values) instead, nested like this::

    run deadline  >=  target deadline  >=  request deadline

The innermost one in force is carried in a context variable, so code far
below the runner (a probe, the HTTP client, a document parser) can ask how
much time is left without every signature growing a parameter. New threads
start with an empty context: code that hands work to a thread must run it in
``contextvars.copy_context()`` for the deadline to follow.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_CURRENT: ContextVar[float] = ContextVar("egov_audit_deadline", default=math.inf)


class DeadlineExceeded(Exception):
    """Raised when the deadline in force has passed; the message says whose."""

    def __init__(self, what: str = "the deadline") -> None:
        super().__init__(f"{what} was reached")
        self.what = what


def current() -> float:
    """The absolute deadline in force (``math.inf`` when none is set)."""
    return _CURRENT.get()


def remaining() -> float:
    """Seconds left before the deadline in force (``math.inf`` when none is set)."""
    return _CURRENT.get() - time.monotonic()


def expired() -> bool:
    return time.monotonic() >= _CURRENT.get()


def check(what: str = "the deadline") -> None:
    """Raise :class:`DeadlineExceeded` if the deadline in force has passed."""
    if expired():
        raise DeadlineExceeded(what)


@contextmanager
def bounded(seconds: float | None = None, *, at: float | None = None) -> Iterator[float]:
    """Run the block under a deadline ``seconds`` from now or ``at`` (absolute).

    An inner deadline can only shorten the one in force, never extend it: a
    target cannot outlive its run. Yields the absolute deadline now in force.
    """
    candidates = [_CURRENT.get()]
    if seconds is not None:
        candidates.append(time.monotonic() + seconds)
    if at is not None:
        candidates.append(at)
    token = _CURRENT.set(min(candidates))
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)
