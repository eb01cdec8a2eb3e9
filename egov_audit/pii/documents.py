"""XLSX, DOCX and PDF are parsed in a child process with memory, CPU and time limits.

openpyxl, python-docx and pypdf are large parsers of hostile input: a 256 KB
XLSX unpacked to 548 MB, and a 76 KB PDF whose 500 pages share one content
stream kept a core busy for minutes. No in-process cap bounds what a library
allocates or how long it loops, so each document is read by a fresh child
process that the operating system holds to ``MEMORY_LIMIT`` of address space
above its start (RLIMIT_AS) and to the time left (RLIMIT_CPU, and a wall clock
after which this side kills it). The child sends its :class:`Extracted` back
pickled; a child that fails becomes ``Extracted(error=...)`` naming the limit.

Children are forked by :mod:`egov_audit.pii.document_server`, one
single-threaded process per scan started on first use with the libraries
already imported: ~15 ms per document, where a spawned interpreter costs
~110 ms plus ~0.3-0.7 s of imports. ``multiprocessing``'s forkserver would fork
as cheaply, but it re-runs the caller's ``__main__`` script in every child.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from threading import Lock

from .. import deadline
from .document_server import MEMORY_EXIT
from .tables import Extracted

FORMATS = frozenset({"xlsx", "docx", "pdf"})
# Address space a parser may add to the child's start (an interpreter with the parsers
# imported: ~195 MB of address space, ~45 MB resident). The child's RLIMIT_AS lands near
# 512 MB and its resident memory stays under ~370 MB.
MEMORY_LIMIT = 320 * 1024 * 1024
TIME_LIMIT = 30.0  # seconds per document, wall clock and CPU; the deadline may cut it
MAX_RESULT_BYTES = 256 * 1024 * 1024  # pickled result; the readers' caps stay far below
_PID = struct.Struct("<q")


class _Server:
    """The document server process and our end of its socket."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        code = f"from egov_audit.pii.document_server import serve; serve({theirs.fileno()})"
        # The same imports as here, even when the caller extended sys.path.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], pass_fds=[theirs.fileno()], env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)  # nothing a parser prints may reach the console
        theirs.close()
        self.sock = ours
        self.lock = Lock()

    def alive(self) -> bool:
        return self.process.poll() is None

    def submit(self, header: bytes, fds: list[int]) -> None:
        with self.lock:
            socket.send_fds(self.sock, [header], fds)


_server_lock = Lock()
_server: _Server | None = None


def _running_server() -> _Server:
    global _server
    with _server_lock:
        if _server is None or not _server.alive():
            if _server is None:
                atexit.register(_stop_server)
            _server = _Server()
        return _server


def _stop_server() -> None:
    """Close our end: the server sees the end of its input and exits."""
    with _server_lock:
        if _server is not None:
            _server.sock.close()
            try:
                _server.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                _server.process.kill()
                _server.process.wait()


def read_document(body: bytes, fmt: str, *, time_limit: float = TIME_LIMIT,
                  memory_limit: int = MEMORY_LIMIT) -> Extracted:
    """``body`` read as ``fmt`` (xlsx, docx, pdf) by a limited child process.

    The time is the smaller of ``time_limit`` and what the deadline in force
    leaves; the child is killed when it runs out."""
    seconds = min(time_limit, deadline.remaining())
    if seconds < 0.5:
        return Extracted(fmt, error="the deadline passed before the document could be read")
    try:
        server = _running_server()
        pid, result_r, status_r = _submit(server, body, fmt, seconds, memory_limit)
    except OSError as exc:
        return Extracted(fmt, error=f"could not start the document parser ({exc})")
    # The child's time counts from now (the server's first start is not the document's
    # fault), never past the deadline in force; half a second for it to answer and exit.
    until = min(time.monotonic() + seconds, deadline.current()) + 0.5
    try:
        payload, finished = _collect(result_r, until)
        result = _unpickled(payload) if finished else None
        if result is not None:
            return result  # a whole answer: the exit status adds nothing
        if not finished:
            _kill(pid)
        status = _read_status(status_r, time.monotonic() + 5.0)
    finally:
        os.close(result_r)
        os.close(status_r)
    return Extracted(fmt, error=_why(finished, status, seconds, memory_limit))


def _unpickled(payload: bytes) -> Extracted | None:
    if not payload:
        return None
    try:
        result = pickle.loads(payload)
    except Exception:  # cut short: the exit status says why
        return None
    return result if isinstance(result, Extracted) else None


def _submit(server: _Server, body: bytes, fmt: str, seconds: float,
            memory_limit: int) -> tuple[int, int, int]:
    """Hand the document to the server; (child pid, result pipe, status pipe)."""
    body_fd = _anonymous_file()
    result_r, result_w = os.pipe()
    status_r, status_w = os.pipe()
    try:
        view = memoryview(body)
        while view:
            view = view[os.write(body_fd, view):]
        header = json.dumps({"fmt": fmt, "seconds": seconds, "memory": memory_limit,
                             "size": len(body)}).encode()
        server.submit(header, [body_fd, result_w, status_w])
    except OSError:
        os.close(result_r)
        os.close(status_r)
        raise
    finally:
        os.close(body_fd)
        os.close(result_w)
        os.close(status_w)
    pid = _read_status(status_r, time.monotonic() + 10.0)
    if pid is None or pid <= 0:
        os.close(result_r)
        os.close(status_r)
        raise OSError("the document server did not answer")
    return pid, result_r, status_r


def _anonymous_file() -> int:
    """A file descriptor of an unnamed file for the body (memory-backed on Linux)."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("egov-audit-document")
    with tempfile.TemporaryFile() as named:  # elsewhere: unlinked at once, kept by the fd
        return os.dup(named.fileno())


def _collect(fd: int, until: float) -> tuple[bytes, bool]:
    """What the child writes until it closes the pipe, or until ``until``:
    (bytes, whether the child finished)."""
    parts: list[bytes] = []
    size = 0
    while (left := until - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            break
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(parts), True
        size += len(chunk)
        if size > MAX_RESULT_BYTES:
            return b"", True
        parts.append(chunk)
    return b"", False


def _read_status(fd: int, until: float) -> int | None:
    """One number from the server (a pid, then an exit status), or None in time."""
    data = b""
    while len(data) < _PID.size and (left := until - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            break
        chunk = os.read(fd, _PID.size - len(data))
        if not chunk:
            break
        data += chunk
    return _PID.unpack(data)[0] if len(data) == _PID.size else None


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # it ended meanwhile
        os.kill(pid, signal.SIGKILL)


def _why(finished: bool, status: int | None, seconds: float, memory_limit: int) -> str:
    if not finished:
        return f"document parser exceeded its time limit of {_seconds(seconds)}"
    if status == -signal.SIGXCPU or status == -signal.SIGKILL:
        return f"document parser exceeded its CPU time limit of {_seconds(seconds)}"
    if status == MEMORY_EXIT:
        return f"document parser exceeded its memory limit of {memory_limit >> 20} MB"
    return f"document parser stopped without a result (exit status {status})"


def _seconds(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
