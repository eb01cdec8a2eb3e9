"""The TLS probe: one sslyze Scanner for every TLS endpoint of a run.

``prepare`` scans all endpoints at once (several hosts in parallel, a few
connections each); ``collect`` then serves each target's frozen
:class:`TlsScan`. A target whose endpoint was not prepared (a distributed
worker, a retry) is scanned on its own on demand.

sslyze runs in a child process (:mod:`.tls_batch`, :mod:`.tls_child`) that is
killed at the deadline: a handshake dripped a byte at a time is bounded by
nothing inside sslyze. ``import egov_audit`` never loads sslyze.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .. import deadline
from ..model import Target
from ..options import ScanOptions
from .base import Probe, ProbeEnv, ProbeError, ProbeSession
from .tls_model import TlsScan

__all__ = ["Endpoint", "TlsProbe", "TlsScan", "scan_command_names", "scan_endpoints"]


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
                   until: float | None = None) -> dict[Endpoint, TlsScan | str]:
    """Scan every endpoint; each maps to a snapshot or the reason it has none.

    The scan runs in a child process that is killed at ``until`` (a
    ``time.monotonic()`` value; by default the deadline in force, else the
    run's length from now), and no endpoint may take longer than a target is
    allowed to (``options.target_deadline``), whatever the servers do.
    """
    from .tls_batch import run_batch

    if until is None:
        until = deadline.current()
        if math.isinf(until):
            until = time.monotonic() + options.deadline
    return run_batch(endpoints, options, until=until, budget=options.target_deadline)


class TlsProbe(Probe):
    name = "tls"
    snapshot = TlsScan

    def __init__(self) -> None:
        self._results: dict[Endpoint, TlsScan | str] = {}
        self._lock = threading.Lock()

    def prepare(self, work: Mapping[Target, frozenset[str]], env: ProbeEnv) -> None:
        endpoints = {ep for t in work if (ep := Endpoint.of(t)) is not None}
        results = scan_endpoints(endpoints, env.options,
                                 until=min(env.deadline, deadline.current()))
        with self._lock:
            self._results.update(results)

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> TlsScan:
        ep = Endpoint.of(target)
        if ep is None:
            return TlsScan.absent(target.host, "the target has no HTTPS entry point")
        with self._lock:
            result = self._results.get(ep)
        if result is None:
            # Bounded by the target's deadline in force, as any other probe.
            until = min(session.env.deadline, deadline.current())
            result = scan_endpoints([ep], session.env.options, until=until)[ep]
            with self._lock:
                self._results[ep] = result
        if isinstance(result, str):
            raise ProbeError(f"{ep}: {result}")
        return result
