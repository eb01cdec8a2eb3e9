"""One long-lived TLS child per process, for endpoints that come one at a time.

A distributed worker audits targets as they arrive, so its TLS endpoints are
not known in advance and cannot be scanned as one batch (:mod:`.tls_batch`).
Starting a child per endpoint costs an interpreter and sslyze's imports,
about 0.7 CPU s, more than the scan of a small site. Instead each process
keeps one child that takes scans as they come: :func:`scan` sends it a
:class:`Request` and waits for that request's results, with exactly the
contract of :func:`.tls_batch.run_batch` (same results, same reasons, the
same deadline that holds).

What the one-off child gets from being killed at the deadline, this one gets
from being *retired*: it takes no new request once a scan was abandoned in it
(a thread stuck inside sslyze), once a caller stopped waiting for it, or after
:data:`ENDPOINTS_PER_CHILD` endpoints (bounding what it may accumulate), and
it is killed as soon as no caller waits for it any more. A fresh child takes
the next request. Runs with different scan options get different children
(the child's politeness and trust stores are set once, from its options).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import math
import os
import pickle
import queue
import resource
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO

from ..options import ScanOptions
from .tls_batch import (
    GRACE_S,
    MEMORY_BYTES,
    FrameReader,
    explain,
    kill_group,
    spawn,
)
from .tls_child import (
    MAX_PARALLEL_HOSTS,
    Job,
    limit_resources,
    read_frame,
    run_job,
    timeout_reason,
    write_frame,
)
from .tls_model import TlsScan

ENDPOINTS_PER_CHILD = 256


@dataclass(frozen=True)
class Service:
    """The first frame to a long-lived child: what all its requests share."""

    options: ScanOptions
    memory_bytes: int


@dataclass(frozen=True)
class Request:
    number: int
    endpoints: tuple[tuple[str, int], ...]
    budget: float  # seconds one endpoint may take
    total: float  # seconds the request may take


# -- the child's side --------------------------------------------------------

def serve(service: object, requests: BinaryIO, out: BinaryIO) -> None:
    """Run requests as they come, each on a thread, at most MAX_PARALLEL_HOSTS
    endpoints at once in all; stream ``(number, host, port, result)``,
    ``(number, None)`` when a request is done, ``("abandoned",)`` when a scan
    was left stuck. Returns when the parent closes ``requests``."""
    from .polite_sockets import PoliteConnections, be_polite
    from .tls_chain import trust_anchors

    assert isinstance(service, Service)
    options = service.options
    limit_resources(service.memory_bytes, 30)
    be_polite(PoliteConnections(options.connections, options.handshake_rate))
    lock = threading.Lock()

    def send(value: object) -> None:
        with lock:
            write_frame(out, value)

    try:
        anchors: Any = trust_anchors(options.ca_bundle)
    except Exception as exc:  # each request says so
        anchors = f"cannot load trust stores: {type(exc).__name__}: {exc}"
    gate = threading.Semaphore(MAX_PARALLEL_HOSTS)

    def run(request: Request) -> None:
        if isinstance(anchors, str):
            for host, port in request.endpoints:
                send((request.number, host, port, anchors))
        else:
            job = Job(request.endpoints, options, request.budget, request.total,
                      service.memory_bytes, 0)
            run_job(job, lambda result: send((request.number, *result)), anchors=anchors,
                    gate=gate, on_abandon=lambda: send(("abandoned",)))
        send((request.number, None))

    while True:
        try:
            request = read_frame(requests)
        except EOFError:
            return
        assert isinstance(request, Request)
        _allow_cpu(request.total)
        threading.Thread(target=run, args=(request,), daemon=True,
                         name=f"tls request {request.number}").start()


def _allow_cpu(total: float) -> None:
    """Raise the CPU cap by two cores' worth of the request's time, and a margin
    (the one-off child's rule, per request)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = math.ceil(used.ru_utime + used.ru_stime)
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        wanted = spent + int(min(total, 24 * 3600)) * 2 + 30
        if soft != resource.RLIM_INFINITY and wanted > soft and (
                hard == resource.RLIM_INFINITY or wanted <= hard):
            resource.setrlimit(resource.RLIMIT_CPU, (wanted, hard))


# -- the parent's side -------------------------------------------------------

@dataclass
class _Child:
    proc: Any  # subprocess.Popen[bytes]
    errors: IO[bytes]
    waiting: dict[int, queue.Queue[object]] = field(default_factory=dict)
    taken: int = 0  # endpoints sent
    retired: bool = False
    ended: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


_children: dict[bytes, _Child] = {}  # by pickled options
_lock = threading.Lock()
_numbers = itertools.count(1)


def scan(endpoints: Iterable[tuple[str, int]], options: ScanOptions, *, until: float,
         budget: float) -> dict[tuple[str, int], TlsScan | str]:
    """Scan ``endpoints`` (host, port) in this process's long-lived child; give up
    at ``until`` (``time.monotonic()``). Results and reasons as :func:`.tls_batch.run_batch`."""
    wanted = sorted(set(endpoints))
    total = until - time.monotonic()
    if not wanted:
        return {}
    if total <= 0:
        return dict.fromkeys(
            wanted, "not scanned: the deadline had passed before the TLS scan could start")
    budget = max(1.0, min(budget, total))
    request = Request(next(_numbers), tuple(wanted), budget, total)
    inbox: queue.Queue[object] = queue.Queue()
    out: dict[tuple[str, int], TlsScan | str] = {}
    problem: str | None = "the TLS scanner process ended early"
    child = _child_for(options, request, inbox)
    if child is not None:
        try:
            problem = _receive(inbox, until + GRACE_S, out)
            if problem is None and len(out) < len(wanted):
                problem = "the TLS scanner process ended early"
            if problem:
                with child.lock:  # one reader of the shared stderr file at a time
                    problem = explain(problem, child.errors)
        finally:
            _leave(child, request.number, retire=problem is not None)
    # budget <= total here: "within N s" holds for the per-endpoint and the request limit.
    missing = timeout_reason(budget) if problem == "deadline" else str(problem)
    return {pair: out.get(pair, missing) for pair in wanted}


def _receive(inbox: queue.Queue[object], until: float,
             out: dict[tuple[str, int], TlsScan | str]) -> str | None:
    """Results into ``out`` until the request is done (None), the child ended (why),
    or ``until`` passed ("deadline")."""
    while True:
        try:
            value = inbox.get(timeout=max(0.0, until - time.monotonic()))
        except queue.Empty:
            return "deadline"
        if value is None or isinstance(value, str):
            return value
        if (isinstance(value, tuple) and len(value) == 3
                and isinstance(value[2], TlsScan | str)):
            out[(value[0], value[1])] = value[2]


def _child_for(options: ScanOptions, request: Request,
               inbox: queue.Queue[object]) -> _Child | None:
    """The child that takes ``request`` (started if needed), the request sent; None
    when no child could be started or the request could not be sent."""
    key = pickle.dumps(options, protocol=pickle.HIGHEST_PROTOCOL)
    with _lock:
        child = _children.get(key)
        if child is None or child.retired or child.ended:
            child = _start(options)
            if child is None:
                return None
            _children[key] = child
        with child.lock:
            if child.ended:  # it ended since it was chosen: its reader has said so to all
                return None
            child.waiting[request.number] = inbox
            child.taken += len(request.endpoints)
            if child.taken >= ENDPOINTS_PER_CHILD:
                child.retired = True  # this request is its last
            try:
                write_frame(child.proc.stdin, request)
            except OSError:
                del child.waiting[request.number]
                child.retired = True
                return None
    return child


def _start(options: ScanOptions) -> _Child | None:
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - kept open with the child
    try:
        proc = spawn(errors)
        write_frame(proc.stdin, Service(options, MEMORY_BYTES))  # type: ignore[arg-type]
    except OSError:
        errors.close()
        return None
    child = _Child(proc, errors)
    threading.Thread(target=_read, args=(child,), daemon=True, name="egov-audit-tls-service"
                     ).start()
    return child


def _read(child: _Child) -> None:
    """Hand each frame of the child to the request it belongs to, until it ends."""
    reader = FrameReader(child.proc.stdout.fileno())
    reason = "the TLS scanner process ended early"
    try:
        while True:
            got, value = reader.next(time.monotonic() + 3600)
            if not got:
                if reader.ended:
                    break
                continue
            if value == ("abandoned",):
                with child.lock:
                    child.retired = True
                continue
            if not (isinstance(value, tuple) and len(value) in (2, 4)):
                reason = "the TLS scanner process sent something unexpected"
                break
            with child.lock:
                inbox = child.waiting.get(value[0])
            if inbox is not None:
                inbox.put(None if len(value) == 2 else value[1:])
    except (ValueError, pickle.UnpicklingError, EOFError) as exc:
        reason = f"the TLS scanner process sent something unexpected: {exc}"
    finally:
        reader.close()
    with child.lock:
        child.ended = child.retired = True
        inboxes = list(child.waiting.values())
        if not inboxes:  # else the last caller to leave closes it, after reading it
            child.errors.close()
    for inbox in inboxes:
        inbox.put(reason)
    kill_group(child.proc)


def _leave(child: _Child, number: int, *, retire: bool) -> None:
    """The caller of request ``number`` stopped waiting; kill a retired child
    that nobody waits for any more."""
    with child.lock:
        child.waiting.pop(number, None)
        child.retired = child.retired or retire
        done = child.retired and not child.waiting
        if done and not child.errors.closed:
            child.errors.close()
    if done:
        with _lock:
            for key, current in list(_children.items()):
                if current is child:
                    del _children[key]
        kill_group(child.proc)


def _stop_all() -> None:
    with _lock:
        children = list(_children.values())
        _children.clear()
    for child in children:
        kill_group(child.proc)


def _forget() -> None:
    """In a forked process: the parent's children are not ours to use or kill."""
    global _lock
    _children.clear()
    _lock = threading.Lock()


atexit.register(_stop_all)
os.register_at_fork(after_in_child=_forget)
