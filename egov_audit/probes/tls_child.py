"""The sslyze side of a TLS batch, run in a child process (``python -m`` this module).

sslyze's ``network_timeout`` bounds each socket read, not a handshake: a
server that drips one byte every few seconds keeps a scan, and the whole
``Scanner.get_results()`` loop with it, going for as long as it likes. Python
cannot stop a thread blocked in that loop, but it can kill a process, so the
scan runs here and :mod:`egov_audit.probes.tls_batch` kills this process
(its whole process group) when the deadline passes.

Inside, each host gets a thread that scans that host's endpoints one after
the other, each with a Scanner of its own: sslyze's batch Scanner yields no
result before every connectivity test finished, so one stalled server would
hold back every other result. Finished endpoints are streamed back at once.
An endpoint that runs past its budget is reported as timed out and its
thread abandoned (it keeps its sockets until the process ends); the host's
other ports go on in a fresh thread. Every connection sslyze opens passes
through :mod:`.polite_sockets`: per host address at most ``connections``
open at once, abandoned ones included, and at most ``handshake_rate`` new ones
a second when that is set.

When sslyze's connectivity test fails on a TLS handshake (no version and
suite its OpenSSL could agree on), the fallback prober (:mod:`.tls_fallback`)
enumerates the endpoint with hellos of its own, in the same thread, within
the endpoint's budget and through the same per-host cap.

Wire format, both ways: frames of a 4-byte big-endian length and a pickle.
stdin carries one :class:`Job`; stdout carries ``(host, port, TlsScan | str)``
tuples and a final ``None``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import pickle
import queue
import resource
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from .. import deadline
from ..options import ScanOptions
from .polite_sockets import PoliteConnections, be_polite
from .tls_model import TlsScan

MAX_FRAME = 16 * 1024 * 1024  # a TlsScan pickles to a few KiB; anything larger is wrong
# Hosts scanned at once, whatever --workers says: each costs ~17 MB of address
# space (measured), and 16 stay well inside the child's 1 GiB cap.
MAX_PARALLEL_HOSTS = 16


@dataclass(frozen=True)
class Job:
    endpoints: tuple[tuple[str, int], ...]  # (host, port); host is a name or an IP literal
    options: ScanOptions
    budget: float  # seconds one endpoint may take
    total: float  # seconds the whole batch may take
    memory_bytes: int  # RLIMIT_AS for this process
    cpu_seconds: int  # RLIMIT_CPU for this process


Pair = tuple[str, int]  # (host, port)
Result = tuple[str, int, "TlsScan | str"]


def write_frame(out: BinaryIO, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(len(data).to_bytes(4, "big") + data)
    out.flush()


def read_frame(stream: BinaryIO) -> Any:
    size = int.from_bytes(_read_exactly(stream, 4), "big")
    if size > MAX_FRAME:
        raise ValueError(f"frame of {size} bytes is over the {MAX_FRAME} byte limit")
    return pickle.loads(_read_exactly(stream, size))


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("the stream ended inside a frame")
    return data


def timeout_reason(budget: float) -> str:
    return f"the TLS scan did not finish within {budget:.0f} s"


# -- one endpoint ------------------------------------------------------------

def _request(host: str, port: int, options: ScanOptions) -> Any:
    import ipaddress
    from pathlib import Path

    from sslyze.mozilla_tls_profile.tls_config_checker import (
        SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER,
    )
    from sslyze.plugins.certificate_info.implementation import CertificateInfoExtraArgument
    from sslyze.scanner.models import ScanCommandsExtraArguments, ServerScanRequest
    from sslyze.server_setting import ServerNetworkConfiguration, ServerNetworkLocation

    try:
        ipaddress.ip_address(host)
        pinned: str | None = host
    except ValueError:
        pinned = None
    # An IP literal is pinned, so no resolver is involved; a name is resolved
    # by sslyze here and fails early with a clear reason.
    location = ServerNetworkLocation(hostname=host, port=port, ip_address=pinned)
    extra = ScanCommandsExtraArguments(
        certificate_info=CertificateInfoExtraArgument(custom_ca_file=Path(options.ca_bundle))
    ) if options.ca_bundle else ScanCommandsExtraArguments()
    return ServerScanRequest(
        server_location=location,
        network_configuration=ServerNetworkConfiguration(
            tls_server_name_indication=host,
            network_timeout=max(1, round(options.timeout)),
            network_max_retries=2,
        ),
        scan_commands=set(SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER),
        scan_commands_extra_arguments=extra,
    )


def _failure(result: Any) -> str:
    trace = result.connectivity_error_trace
    if trace is None:
        return f"the TLS scan did not complete ({result.scan_status.name.lower()})"
    message = str(trace)
    # ConnectionToServerFailed renders as 'host:port -> "why".'; keep the why.
    if '-> "' in message:
        message = message.split('-> "', 1)[1].rstrip('".')
    return f"TLS connection failed: {message}"


def _handshake_failed(result: Any) -> bool:
    """sslyze reached the server but found no TLS version and suite its OpenSSL
    could agree on (or the handshake stalled): a case for the fallback prober.
    Refused or silent TCP connections are not: no prober gets further there."""
    from sslyze.errors import TlsHandshakeFailed

    trace = result.connectivity_error_trace
    kind = getattr(trace, "exc_type", None)
    return isinstance(kind, type) and issubclass(kind, TlsHandshakeFailed)


def _fall_back(host: str, port: int, options: ScanOptions, anchors: Any, why: str,
               until: float | None) -> TlsScan | str:
    """The fallback prober's snapshot, or sslyze's reason and the prober's own."""
    from .tls_fallback import probe

    with deadline.bounded(at=until):
        try:
            result = probe(host, port, options, anchors, why=why)
        except Exception as exc:  # a prober bug fails this endpoint only, with both reasons
            return f"{why}; the fallback prober failed: {type(exc).__name__}: {exc}"
    return f"{why}; {result}" if isinstance(result, str) else result


def scan_one(host: str, port: int, options: ScanOptions, anchors: Any,
             until: float | None = None) -> TlsScan | str:
    """sslyze's full scan of one endpoint, converted; a failure reason otherwise.

    When sslyze's connectivity test cannot agree on a TLS version and suite,
    the fallback prober (:mod:`.tls_fallback`) grades the endpoint with hellos
    of its own, until ``until`` (a ``time.monotonic()`` value).
    """
    from sslyze.errors import ServerHostnameCouldNotBeResolved
    from sslyze.scanner.models import ServerScanStatusEnum
    from sslyze.scanner.scanner import Scanner

    from .tls_convert import to_snapshot

    try:
        request = _request(host, port, options)
    except ServerHostnameCouldNotBeResolved:
        return f"cannot resolve {host}"
    except Exception as exc:  # e.g. an unusable CA bundle path
        return f"cannot prepare the TLS scan: {type(exc).__name__}: {exc}"
    scanner = Scanner(per_server_concurrent_connections_limit=max(1, options.connections),
                      concurrent_server_scans_limit=1)
    scanner.queue_scans([request])
    # Read to the end, never return from inside the loop: sslyze joins its
    # producer thread only after the last result, and a generator left at its
    # first yield keeps that thread, and every finished job with its
    # handshake's traceback, alive (measured: ~8 MB and a thread per endpoint,
    # so a batch of ~100 endpoints ran out of its 1 GiB address space).
    results = list(scanner.get_results())
    if not results:
        return "the TLS scanner returned no result"
    result = results[0]
    if result.scan_status != ServerScanStatusEnum.COMPLETED:
        if _handshake_failed(result):
            return _fall_back(host, port, options, anchors, _failure(result), until)
        return _failure(result)
    try:
        return to_snapshot(result, anchors, custom_ca=bool(options.ca_bundle),
                           scanned_at=dt.datetime.now(dt.UTC))
    except Exception as exc:  # a result we cannot read fails one endpoint, not the batch
        return f"cannot read the TLS scan result: {type(exc).__name__}: {exc}"


# -- the batch ---------------------------------------------------------------

def run_job(job: Job, emit: Callable[[Result], None], *, anchors: Any = None,
            gate: threading.Semaphore | None = None,
            on_abandon: Callable[[], None] | None = None) -> None:
    """Scan every endpoint of ``job``, a host at a time per thread; emit each result once.

    A long-lived child (:mod:`.tls_service`) runs several jobs at once: it
    passes the trust ``anchors`` it loaded once, a ``gate`` that bounds the
    endpoints scanned at once across all its jobs (taken before an endpoint's
    budget starts), and ``on_abandon``, told when a thread is left stuck in sslyze.
    """
    from .tls_chain import trust_anchors

    started = time.monotonic()
    if anchors is None:
        try:
            anchors = trust_anchors(job.options.ca_bundle)
        except Exception as exc:
            for host, port in job.endpoints:
                emit((host, port, f"cannot load trust stores: {type(exc).__name__}: {exc}"))
            return
    groups: dict[str, list[Pair]] = {}
    for pair in job.endpoints:
        groups.setdefault(pair[0], []).append(pair)
    # Events from the host threads: (kind, thread number, endpoint, value).
    events: queue.Queue[tuple[str, int, Pair, Any]] = queue.Queue()
    cancelled: set[int] = set()  # threads whose host was handed to a fresh thread

    def scan_host(number: int, endpoints: list[Pair]) -> None:
        for host, port in endpoints:
            if number in cancelled:
                return
            if gate is not None:
                gate.acquire()
            try:
                scan_endpoint(number, host, port)
            finally:
                if gate is not None:
                    gate.release()
        events.put(("done", number, endpoints[0], None))

    def scan_endpoint(number: int, host: str, port: int) -> None:
        now = time.monotonic()
        events.put(("start", number, (host, port), now))
        # The fallback prober stops a moment before the endpoint's budget,
        # so its result, not a timeout, is what gets reported.
        until = min(now + max(0.5, job.budget - 1.0), started + job.total - 1.0)
        try:
            result: TlsScan | str = scan_one(host, port, job.options, anchors, until)
        except Exception as exc:  # a sslyze surprise fails this endpoint only
            result = f"the TLS scan failed: {type(exc).__name__}: {exc}"
        events.put(("result", number, (host, port), result))

    limit = max(1, min(job.options.workers, MAX_PARALLEL_HOSTS, len(groups)))
    waiting = list(groups.items())
    waiting.reverse()
    # thread number -> (host, its endpoints, the one it scans now, since when)
    running: dict[int, tuple[str, list[Pair], Pair | None, float]] = {}
    reported: set[Pair] = set()

    def report(endpoint: Pair, result: TlsScan | str) -> None:
        if endpoint not in reported:
            reported.add(endpoint)
            emit((*endpoint, result))

    numbers = itertools.count(1)
    while True:
        while waiting and len(running) < limit:
            host, endpoints = waiting.pop()
            number = next(numbers)
            running[number] = (host, endpoints, None, 0.0)
            threading.Thread(target=scan_host, args=(number, endpoints), daemon=True,
                             name=f"tls {host}").start()
        if not running:
            return
        due = [at + job.budget for _, _, current, at in running.values() if current]
        wake = min([started + job.total, *due])
        try:
            kind, number, endpoint, value = events.get(timeout=max(0.0, wake - time.monotonic()))
        except queue.Empty:
            kind, number, endpoint, value = "tick", 0, ("", 0), None
        if kind == "result":
            report(endpoint, value)  # a late result of an abandoned scan is still true
        elif number in running and kind == "start":
            host, endpoints, _, _ = running[number]
            running[number] = (host, endpoints, endpoint, value)
        elif number in running and kind == "done":
            del running[number]
        now = time.monotonic()
        if now >= started + job.total:
            for pair in job.endpoints:  # the batch's time is up, started or not
                report(pair, timeout_reason(job.total))
            if running and on_abandon is not None:
                on_abandon()
            return
        for number, (host, endpoints, current, at) in list(running.items()):
            if current is not None and now >= at + job.budget:
                # Abandon the thread: it is stuck inside sslyze and keeps its
                # sockets (still counted by PoliteConnections). The host's
                # other ports go on in a fresh thread.
                report(current, timeout_reason(job.budget))
                cancelled.add(number)
                if on_abandon is not None:
                    on_abandon()
                del running[number]
                rest = [ep for ep in endpoints if ep not in reported]
                if rest:
                    waiting.append((host, rest))


def limit_resources(memory_bytes: int, cpu_seconds: int) -> None:
    """Address-space and CPU caps: a runaway scan dies here, not in the audit."""
    # Small thread stacks keep the address space of sslyze's worker threads
    # modest, so the RLIMIT_AS cap bounds heap growth rather than thread count.
    threading.stack_size(1024 * 1024)
    for limit, value in ((resource.RLIMIT_AS, memory_bytes),
                         (resource.RLIMIT_CPU, cpu_seconds)):
        try:
            _, hard = resource.getrlimit(limit)
            if hard == resource.RLIM_INFINITY or value <= hard:
                resource.setrlimit(limit, (value, hard))
        except (ValueError, OSError):
            pass  # a platform without this limit still gets the parent's kill


def _warm_up() -> None:
    """Import what a scan needs before the job arrives: a child started early
    (:func:`egov_audit.probes.tls_batch.prestart`) does this while the parent
    is still preparing the run, so the first handshake is not behind it."""
    import sslyze.plugins.certificate_info.implementation
    import sslyze.scanner.scanner  # noqa: F401
    from sslyze.mozilla_tls_profile.tls_config_checker import (  # noqa: F401
        SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER,
    )


def private_stdout() -> BinaryIO:
    """Frames get a private copy of stdout; anything a library prints goes to
    stderr instead of corrupting them."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return out


def main() -> int:
    _warm_up()
    job = read_frame(sys.stdin.buffer)
    if not isinstance(job, Job):  # a long-lived child (tls_service) takes jobs as they come
        from .tls_service import serve

        serve(job, sys.stdin.buffer, private_stdout())
        os._exit(0)
    limit_resources(job.memory_bytes, job.cpu_seconds)
    # The parent holds every connection slot of a host while its endpoints are
    # scanned here, so this cap is the host's whole budget; handshakes are paced
    # only when the configuration asks (see ScanOptions.handshake_rate).
    be_polite(PoliteConnections(job.options.connections, job.options.handshake_rate))
    out = private_stdout()
    lock = threading.Lock()

    def emit(result: Result) -> None:
        with lock:
            write_frame(out, result)

    run_job(job, emit)
    with lock:
        write_frame(out, None)
    # Threads of abandoned hosts may still sit in a socket read: leave at once.
    os._exit(0)


if __name__ == "__main__":
    # Run the package's copy of this module, not __main__'s: the job was
    # pickled against egov_audit.probes.tls_child.Job.
    from egov_audit.probes.tls_child import main as package_main

    sys.exit(package_main())
