"""The document server: a single-threaded process that forks one limited child per document.

Started once per scan by :mod:`egov_audit.pii.documents` as
``python -c "...; serve(FD)"`` with one end of a Unix socket pair. It imports
the document libraries once, then for each request (a header and three file
descriptors: the body, where to write the result, where to write the child's
pid and exit status) forks a child. Forking is safe here because this process
has one thread (forking the scan itself, which runs many, is not), and costs
a few milliseconds because the libraries are already imported.

The child sets its own limits before it reads a byte of the document:
RLIMIT_AS (address space), RLIMIT_CPU, no core files. It writes the pickled
:class:`~egov_audit.pii.tables.Extracted` and exits; the server reaps it and
reports its exit status, which is how the parent tells a CPU or memory limit
from a crash. The server exits when the scan closes its end of the socket.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import pickle
import resource
import select
import signal
import socket
import struct
import time
import warnings

from .tables import Extracted

PRELOAD = ("openpyxl", "pypdf", "docx", "egov_audit.pii.document_readers")
SOFT_BUDGET = 0.75  # of the time, after which readers stop and return what they have
MEMORY_EXIT = 3  # exit status of a child that ran out of memory before it could answer
FAILED_EXIT = 4  # exit status of a child whose own code failed (never expected)
_PID = struct.Struct("<q")


def serve(fd: int) -> None:
    """Answer requests on the socket ``fd`` until the scan closes it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the scan decides when to stop
    # Parsers log and warn about what they meet (pypdf: "Ignoring wrong pointing object"),
    # quoting the document: server-controlled text that must not reach a terminal.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    for name in PRELOAD:
        with contextlib.suppress(ImportError):  # the reader will report it for its format
            __import__(name)
    sock = socket.socket(fileno=fd)
    status_fds: dict[int, int] = {}  # child pid → where its exit status goes
    while True:
        ready, _, _ = select.select([sock], [], [], 0.05)
        if ready:
            try:
                header, fds, _, _ = socket.recv_fds(sock, 4096, 3)
            except OSError:
                header, fds = b"", []
            if not header:
                break
            _start(sock, json.loads(header), fds, status_fds)
        _reap(status_fds)
    sock.close()


def _start(sock: socket.socket, request: dict[str, object], fds: list[int],
           status_fds: dict[int, int]) -> None:
    body_fd, result_fd, status_fd = fds
    pid = os.fork()
    if pid == 0:  # the child
        code = FAILED_EXIT
        try:
            sock.close()
            for other in status_fds.values():
                os.close(other)
            os.close(status_fd)
            code = _child(body_fd, result_fd, request)
        finally:
            os._exit(code)
    os.close(body_fd)
    os.close(result_fd)
    status_fds[pid] = status_fd
    with contextlib.suppress(OSError):  # the scan gave up on this document already
        os.write(status_fd, _PID.pack(pid))


def _reap(status_fds: dict[int, int]) -> None:
    while status_fds:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        fd = status_fds.pop(pid, None)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.write(fd, _PID.pack(os.waitstatus_to_exitcode(status)))
            os.close(fd)


def _child(body_fd: int, result_fd: int, request: dict[str, object]) -> int:
    """Set the limits, read the document, write the answer; the exit status."""
    seconds = float(str(request["seconds"]))
    cpu = max(1, math.ceil(seconds))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would dump core
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    start = _address_space()
    if start:  # without /proc the start is unknown, and a guess could leave no room
        limit = start + int(str(request["memory"]))
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    stop_at = time.monotonic() + seconds * SOFT_BUDGET
    fmt = str(request["fmt"])
    try:
        body = _read_all(body_fd, int(str(request["size"])))
        out = _parse(body, fmt, stop_at)
        del body
        payload = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
        del out
    except MemoryError:
        return MEMORY_EXIT
    view = memoryview(payload)
    while view:
        try:
            view = view[os.write(result_fd, view):]
        except OSError:
            break  # the scan stopped listening
    return 0


def _parse(body: bytes, fmt: str, stop_at: float) -> Extracted:
    from .document_readers import read
    from .zipguard import Refused

    try:
        return read(body, fmt, stop_at)
    except Refused as exc:
        return Extracted(fmt, error=f"{fmt} refused: {exc}")
    except MemoryError:
        raise
    except Exception as exc:  # a malformed document is reported, never fatal
        return Extracted(fmt, error=f"could not read {fmt}: {type(exc).__name__}")


def _read_all(fd: int, size: int) -> bytes:
    parts: list[bytes] = []
    left = size
    while left > 0:
        chunk = os.pread(fd, min(left, 1 << 20), size - left)
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    os.close(fd)
    return b"".join(parts)


def _address_space() -> int:
    """This process's address space now (VmSize), in bytes; 0 when unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0
