"""Threads that can be walked away from.

A hostile server can hold a thread in a socket read for as long as it likes.
The runner must then be able to *abandon* that thread at the target's
deadline and still let the process exit: ``ThreadPoolExecutor`` cannot do
that, because its workers are not daemon threads and the interpreter joins
them at exit. Everything here runs on daemon threads, and copies the
caller's :mod:`contextvars` context (which carries the deadline in force,
see :mod:`egov_audit.deadline`) into the thread at submission.
"""

from __future__ import annotations

import contextvars
import itertools
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_counter = itertools.count(1)
_abandoned: list[threading.Thread] = []
_abandoned_lock = threading.Lock()


def _run(future: Future[Any], context: contextvars.Context,
         fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    if not future.set_running_or_notify_cancel():
        return
    try:
        result = context.run(fn, *args)
    except BaseException as exc:  # handed to whoever waits on the future
        future.set_exception(exc)
    else:
        future.set_result(result)


class DaemonTask:
    """One function running on its own daemon thread, with a future for its result."""

    def __init__(self, fn: Callable[..., T], *args: Any, name: str = "egov-audit") -> None:
        self.future: Future[Any] = Future()
        self.thread = threading.Thread(
            target=_run,
            args=(self.future, contextvars.copy_context(), fn, args),
            name=f"{name}-{next(_counter)}",
            daemon=True,
        )
        self.thread.start()

    def abandon(self) -> None:
        """Stop waiting for this task: its thread runs on, unobserved, until it returns."""
        with _abandoned_lock:
            _abandoned.append(self.thread)


def abandoned() -> list[threading.Thread]:
    """Threads this process walked away from that are still running."""
    with _abandoned_lock:
        _abandoned[:] = [t for t in _abandoned if t.is_alive()]
        return list(_abandoned)


class DaemonExecutor:
    """A bounded thread pool like ``ThreadPoolExecutor``, but on daemon threads.

    For probes that overlap requests (the path sweep): when the target owning
    the pool is abandoned, its pool threads must not keep the process alive
    either. Each submission runs in a copy of the submitter's context, so the
    target's deadline follows the work into the pool.
    """

    def __init__(self, max_workers: int, name: str = "egov-audit-pool") -> None:
        self._max = max(1, max_workers)
        self._name = name
        self._queue: queue.SimpleQueue[
            tuple[Future[Any], contextvars.Context, Callable[..., Any], tuple[Any, ...]] | None
        ] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[..., R], /, *args: Any) -> Future[R]:
        future: Future[R] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot submit to a closed executor")
            self._queue.put((future, contextvars.copy_context(), fn, args))
            # One thread per submission until the bound: the work is network
            # waits, so an idle thread or two costs less than bookkeeping.
            if len(self._threads) < self._max:
                thread = threading.Thread(target=self._work, daemon=True,
                                          name=f"{self._name}-{next(_counter)}")
                self._threads.append(thread)
                thread.start()
        return future

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Results in the order of ``items``; the first exception is raised when reached."""
        futures = [self.submit(fn, item) for item in items]

        def results() -> Iterator[R]:
            for future in futures:
                yield future.result()

        return results()

    def shutdown(self, wait: bool = True) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            threads = list(self._threads)
        for _ in threads:
            self._queue.put(None)
        if wait:
            for thread in threads:
                thread.join()

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            _run(*item)

    def __enter__(self) -> DaemonExecutor:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.shutdown(wait=True)
