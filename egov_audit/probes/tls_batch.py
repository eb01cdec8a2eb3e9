"""A TLS batch under a deadline that holds: sslyze in a child process, killed on time.

:func:`run_batch` starts ``python -m egov_audit.probes.tls_child`` in a new
process group, sends it the endpoints, and collects each endpoint's result
as the child streams it. The parent alone decides when to stop waiting: at
the deadline (plus a short grace for the child to report its own timeouts)
the whole process group is killed and every endpoint still without a result
gets a reason. Nothing a server does can keep the parent past that point.

The child's answers are unpickled with an allow-list of the snapshot types:
the child parses hostile data, and a bug there must not turn into code
execution in the parent.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import pickle
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from ..options import ScanOptions
from .tls import Endpoint
from .tls_child import MAX_FRAME, Job, timeout_reason, write_frame
from .tls_model import TlsScan

# Measured on loopback: the child peaked at 455 MB of address space (222 MB
# resident) scanning 16 hosts at once, 195 MB (67 MB) for one; 1 MiB thread
# stacks and MALLOC_ARENA_MAX=2 keep the address space close to what is used.
MEMORY_BYTES = 1024 * 1024 * 1024
# How running out of the address-space cap shows on stderr: Python's MemoryError,
# libc's ENOMEM text, and the abort message of Rust extensions (pydantic-core).
_OUT_OF_MEMORY = ("MemoryError", "Cannot allocate memory", "memory allocation of")
GRACE_S = 2.0  # the child reports its own timeouts; this is for a child that cannot
_SNAPSHOT_MODULE = "egov_audit.probes.tls_model"
_ALLOWED = {("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta"),
            ("copyreg", "_reconstructor"), ("builtins", "object")}


class _SnapshotUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        if module == _SNAPSHOT_MODULE or (module, name) in _ALLOWED:
            found: type = super().find_class(module, name)
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a TLS snapshot type")


class FrameReader:
    """Frames from a pipe, each read no later than a given monotonic time."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = bytearray()
        self._selector = selectors.DefaultSelector()
        self._selector.register(fd, selectors.EVENT_READ)
        self.ended = False

    def close(self) -> None:
        self._selector.close()

    def next(self, until: float) -> tuple[bool, object]:
        """``(True, value)`` for a frame; ``(False, None)`` at ``until`` or end of stream."""
        while True:
            if len(self._buffer) >= 4:
                size = int.from_bytes(self._buffer[:4], "big")
                if size > MAX_FRAME:
                    raise ValueError(f"the TLS child sent a frame of {size} bytes")
                if len(self._buffer) >= 4 + size:
                    data = bytes(self._buffer[4:4 + size])
                    del self._buffer[:4 + size]
                    return True, _SnapshotUnpickler(io.BytesIO(data)).load()
            left = until - time.monotonic()
            if self.ended or left <= 0 or not self._selector.select(left):
                return False, None
            chunk = os.read(self._fd, 1 << 16)
            if not chunk:
                self.ended = True
            self._buffer += chunk


_FrameReader = FrameReader  # its name in the tests


OnResult = Callable[[Endpoint, "TlsScan | str"], None]


def run_batch(endpoints: Iterable[Endpoint], options: ScanOptions, *, until: float,
              budget: float, on_result: OnResult | None = None
              ) -> dict[Endpoint, TlsScan | str]:
    """Scan ``endpoints`` in a child; give up at ``until`` (a ``time.monotonic()`` value).

    ``budget`` is the most one endpoint may take; an endpoint that finishes
    neither within it nor before ``until`` gets a reason saying so.
    ``on_result`` hears of each endpoint as soon as its result is known, so a
    target need not wait for the whole batch.
    """
    report: OnResult = on_result or (lambda ep, result: None)
    # In the order given (the run's target order), not sorted: the child scans
    # hosts in this order, and the targets that start first wait for their
    # host's scan (it holds the host) first. Sorted as text, 127.21.0.100 came
    # before 127.21.0.3, and early targets waited on late ones' scans.
    wanted = list(dict.fromkeys(endpoints))
    if not wanted:
        return {}
    total = until - time.monotonic()
    if total <= 0:
        reason = "not scanned: the deadline had passed before the TLS scan could start"
        late: dict[Endpoint, TlsScan | str] = dict.fromkeys(wanted, reason)
        for ep in late:
            report(ep, reason)
        return late
    budget = max(1.0, min(budget, total))
    job = Job(
        endpoints=tuple((ep.host, ep.port) for ep in wanted),
        options=options,
        budget=budget,
        total=total,
        memory_bytes=MEMORY_BYTES,
        cpu_seconds=int(min(total, 24 * 3600)) * 2 + 30,  # two cores' worth, and a margin
    )
    by_pair = {(ep.host, ep.port): ep for ep in wanted}
    out: dict[Endpoint, TlsScan | str] = {}
    spare = _take_spare()
    with spare[1] if spare else tempfile.TemporaryFile() as errors:
        proc = spare[0] if spare else None
        problem = _run_child(job, until + GRACE_S, errors, by_pair, out, report, proc)
        if problem is None and len(out) < len(wanted):
            problem = "the TLS scanner process ended early"
        if problem:
            problem = explain(problem, errors)
    # budget <= total here: "within N s" holds for the per-endpoint and the batch limit.
    missing = timeout_reason(budget) if problem == "deadline" else str(problem)
    for ep in wanted:
        if ep not in out:
            out[ep] = missing
            report(ep, missing)
    return out


def explain(problem: str, errors: IO[bytes]) -> str:
    """``problem``, with the cause from the child's stderr when the child ended."""
    if not problem.startswith("the TLS scanner process ended"):
        return problem
    errors.seek(max(0, errors.seek(0, io.SEEK_END) - 8000))
    text = errors.read().decode("utf-8", "replace")
    tail = text.strip().splitlines()
    if any(sign in text for sign in _OUT_OF_MEMORY):
        # Said plainly: the last line printed while out of memory is
        # often only a runtime giving up on printing a backtrace.
        return (f"{problem}: MemoryError (the TLS scanner reached its "
                f"memory limit of {MEMORY_BYTES // 2**20} MB)")
    return f"{problem}: {tail[-1][:300]}" if tail else problem


def spawn(errors: IO[bytes]) -> subprocess.Popen[bytes]:
    """Start a child that imports sslyze, then waits for its job on stdin."""
    env = {**os.environ, "MALLOC_ARENA_MAX": "2"}  # few malloc arenas: a small address space
    # The child must import this very package, wherever the parent found it.
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), root) if p)
    return subprocess.Popen(
        [sys.executable, "-m", "egov_audit.probes.tls_child"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
        start_new_session=True,  # its own process group: one kill reaches every thread
        env=env, close_fds=True,
    )


# A child started before it is needed (prestart), with its stderr file.
_spare: tuple[subprocess.Popen[bytes], IO[bytes]] | None = None
_spare_lock = threading.Lock()


def prestart() -> None:
    """Start the TLS child now, so that its interpreter start and sslyze's imports
    (about half a second) overlap the parent's own start-up and planning instead
    of delaying the first handshake. The first batch takes it; an unused one is
    killed when the program exits. Idempotent; a failure to start is left for
    the batch to report."""
    global _spare
    with _spare_lock:
        if _spare is not None:
            return
        errors = tempfile.TemporaryFile()  # noqa: SIM115 - kept open with the spare child
        try:
            _spare = (spawn(errors), errors)
        except OSError:
            errors.close()
            return
    atexit.register(_discard_spare)


def _take_spare() -> tuple[subprocess.Popen[bytes], IO[bytes]] | None:
    global _spare
    with _spare_lock:
        spare, _spare = _spare, None
    if spare is not None and spare[0].poll() is not None:  # it died waiting: start afresh
        spare[1].close()
        return None
    return spare


def _discard_spare() -> None:
    spare = _take_spare()
    if spare is not None:
        kill_group(spare[0])
        spare[1].close()


def _run_child(job: Job, until: float, errors: IO[bytes],
               by_pair: dict[tuple[str, int], Endpoint],
               out: dict[Endpoint, TlsScan | str], report: OnResult,
               proc: subprocess.Popen[bytes] | None = None) -> str | None:
    """Run the child (``proc`` when one was started early) and fill ``out``;
    None when it finished, else why not."""
    if proc is None:
        try:
            proc = spawn(errors)
        except OSError as exc:
            return f"cannot start the TLS scanner process: {exc}"
    assert proc.stdin is not None and proc.stdout is not None
    reader = FrameReader(proc.stdout.fileno())
    try:
        with contextlib.suppress(OSError):  # a child that died at once is reported below
            write_frame(proc.stdin, job)  # type: ignore[arg-type]
            proc.stdin.close()
        while True:
            got, value = reader.next(until)
            if not got:
                return "the TLS scanner process ended early" if reader.ended else "deadline"
            if value is None:
                return None
            if not (isinstance(value, tuple) and len(value) == 3):
                return "the TLS scanner process sent something unexpected"
            host, port, result = value
            ep = by_pair.get((host, port))
            if ep is not None and isinstance(result, TlsScan | str):
                out[ep] = result
                report(ep, result)
    except (ValueError, pickle.UnpicklingError, EOFError) as exc:
        return f"the TLS scanner process sent something unexpected: {exc}"
    finally:
        reader.close()
        kill_group(proc)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    # Before wait(): the child's pid (its group id) cannot be reused yet.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    for stream in (proc.stdin, proc.stdout):
        with contextlib.suppress(OSError):
            if stream is not None:
                stream.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
