"""The TLS probe: sslyze for every TLS endpoint of a run, in the background.

``prepare`` starts scanning all endpoints (several hosts in parallel, a few
connections each) and returns; ``collect`` waits for its target's frozen
:class:`TlsScan`, up to the target's deadline. A target whose endpoint was
not prepared (a distributed worker, a retry) is scanned on demand by the
process's long-lived TLS child (:mod:`.tls_service`).

sslyze runs in a child process (:mod:`.tls_batch`, :mod:`.tls_child`) that is
killed at the deadline: a handshake dripped a byte at a time is bounded by
nothing inside sslyze. An endpoint sslyze cannot handshake with at all is
graded there by the fallback prober (:mod:`.tls_fallback`), with hellos of
our own. ``import egov_audit`` never loads sslyze.
"""

from __future__ import annotations

import contextvars
import ipaddress
import math
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import deadline
from ..model import Target
from ..options import ScanOptions
from .base import Probe, ProbeEnv, ProbeError, ProbeSession
from .tls_hold import HostHold
from .tls_model import TlsScan

if TYPE_CHECKING:
    from .tls_batch import OnResult

__all__ = ["Endpoint", "TlsProbe", "TlsScan", "scan_alone", "scan_command_names",
           "scan_endpoints"]


@dataclass(frozen=True)
class Endpoint:
    host: str  # name or IP literal (IPv6 without brackets)
    port: int

    @classmethod
    def of(cls, target: Target) -> Endpoint | None:
        port = target.tls_port
        return None if port is None else cls(target.host, port)

    @property
    def is_ip(self) -> bool:
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return False
        return True

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def scan_command_names() -> list[str]:
    """The sslyze scan commands run per endpoint (the Mozilla checker's full set)."""
    from sslyze.mozilla_tls_profile.tls_config_checker import (
        SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER,
    )

    return sorted(c.value for c in SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER)


def scan_endpoints(endpoints: Iterable[Endpoint], options: ScanOptions, *,
                   until: float | None = None, on_result: OnResult | None = None,
                   ) -> dict[Endpoint, TlsScan | str]:
    """Scan every endpoint; each maps to a snapshot or the reason it has none.

    The scan runs in a child process that is killed at ``until`` (a
    ``time.monotonic()`` value; by default the deadline in force, else the
    run's length from now), and no endpoint may take longer than half of what
    a target is allowed (``options.target_deadline``): the target's HTTP checks,
    which wait for the host while its TLS scan holds it, keep the other half.
    """
    from .tls_batch import run_batch

    if until is None:
        until = deadline.current()
        if math.isinf(until):
            until = time.monotonic() + options.deadline
    return run_batch(endpoints, options, until=until, budget=options.target_deadline / 2,
                     on_result=on_result)


def scan_alone(ep: Endpoint, options: ScanOptions, *, until: float) -> TlsScan | str:
    """One endpoint outside the run's batch, by this process's long-lived TLS child
    (:mod:`.tls_service`): a worker's targets come one at a time, and a child per
    endpoint would cost an interpreter and sslyze's imports each time. Bounds and
    reasons as :func:`scan_endpoints`."""
    from .tls_service import scan

    pair = (ep.host, ep.port)
    return scan([pair], options, until=until, budget=options.target_deadline / 2)[pair]


class TlsProbe(Probe):
    """sslyze for every endpoint of the run, in the background, host by host.

    ``prepare`` starts the scan and returns at once, so targets start their
    HTTP probes without waiting for the TLS scan of the whole run; ``collect``
    waits for its own endpoint only, up to the target's deadline. While a
    host's endpoints are being scanned, the run's limiter lends the scan every
    connection slot of that host: the per-host cap counts sslyze's connections
    and the HTTP client's together, and a host is never asked for more.
    """

    name = "tls"
    snapshot = TlsScan

    def __init__(self) -> None:
        self._results: dict[Endpoint, TlsScan | str] = {}
        self._pending: set[Endpoint] = set()
        self._changed = threading.Condition()

    def prepare(self, work: Mapping[Target, frozenset[str]], env: ProbeEnv) -> None:
        # A list in the run's target order: the batch scans hosts in this order.
        endpoints = [ep for ep in dict.fromkeys(Endpoint.of(t) for t in work)
                     if ep is not None and ep not in self._results]
        if not endpoints:
            return
        until = min(env.deadline, deadline.current())
        with self._changed:
            self._pending.update(endpoints)
        # Taken before any target starts, so nothing is in use yet and the hosts
        # are had at once; HTTP to a host waits until its TLS scan gives it back.
        hold = HostHold(env.http.limiter, endpoints, until)
        hold.take()
        scan = contextvars.copy_context().run
        threading.Thread(target=scan, args=(self._scan, endpoints, env.options, until, hold),
                         name="egov-audit-tls", daemon=True).start()

    def _scan(self, endpoints: list[Endpoint], options: ScanOptions, until: float,
              hold: HostHold) -> None:
        def record(ep: Endpoint, result: TlsScan | str) -> None:
            with self._changed:
                self._results[ep] = result
                self._pending.discard(ep)
                self._changed.notify_all()
            hold.done(ep)

        try:
            for ep, result in scan_endpoints(endpoints, options, until=until,
                                             on_result=record).items():
                record(ep, result)
        except Exception as exc:  # reported per target, never lost with the thread
            for ep in endpoints:
                if ep not in self._results:
                    record(ep, f"the TLS scan failed: {type(exc).__name__}: {exc}")
        finally:
            hold.release_all()

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> TlsScan:
        ep = Endpoint.of(target)
        if ep is None:
            return TlsScan.absent(target.host, "the target has no HTTPS entry point")
        until = min(session.env.deadline, deadline.current())
        with self._changed:
            while ep in self._pending:
                left = until - time.monotonic()
                if left <= 0:
                    raise ProbeError(f"{ep}: the TLS scan had not finished when the "
                                     "target's deadline was reached")
                self._changed.wait(min(left, 1.0))
            result = self._results.get(ep)
        if result is None:
            # Not part of the run's batch (a distributed worker, a retry): scanned
            # now, holding the host like the batch does, within the target's deadline.
            hold = HostHold(session.env.http.limiter, {ep}, until)
            try:
                hold.take()
                result = scan_alone(ep, session.env.options, until=until)
            finally:
                hold.release_all()
            with self._changed:
                self._results[ep] = result
        if isinstance(result, str):
            raise ProbeError(f"{ep}: {result}")
        return result
