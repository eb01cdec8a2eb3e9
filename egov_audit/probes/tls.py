"""The TLS probe: one sslyze Scanner for every TLS endpoint of a run.

``prepare`` queues all endpoints at once so sslyze's own concurrency (several
servers in parallel, a few connections each) does the work; ``collect`` then
serves each target's frozen :class:`TlsScan`. A target whose endpoint was not
prepared (a distributed worker, a retry) is scanned on its own on demand.

sslyze is imported inside functions only: ``import egov_audit`` stays light.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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


def _request(ep: Endpoint, options: ScanOptions) -> Any:
    from pathlib import Path

    from sslyze.mozilla_tls_profile.tls_config_checker import (
        SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER,
    )
    from sslyze.plugins.certificate_info.implementation import CertificateInfoExtraArgument
    from sslyze.scanner.models import ScanCommandsExtraArguments, ServerScanRequest
    from sslyze.server_setting import ServerNetworkConfiguration, ServerNetworkLocation

    # An IP literal is pinned, so no resolver is involved; a name is resolved
    # by sslyze here and fails early with a clear reason.
    location = ServerNetworkLocation(hostname=ep.host, port=ep.port,
                                     ip_address=ep.host if ep.is_ip else None)
    extra = ScanCommandsExtraArguments(
        certificate_info=CertificateInfoExtraArgument(custom_ca_file=Path(options.ca_bundle))
    ) if options.ca_bundle else ScanCommandsExtraArguments()
    return ServerScanRequest(
        server_location=location,
        network_configuration=ServerNetworkConfiguration(
            tls_server_name_indication=ep.host,
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


def scan_endpoints(endpoints: Iterable[Endpoint], options: ScanOptions
                   ) -> dict[Endpoint, TlsScan | str]:
    """Scan every endpoint with one Scanner; each maps to a snapshot or a failure reason."""
    from sslyze.errors import ServerHostnameCouldNotBeResolved
    from sslyze.scanner.models import ServerScanStatusEnum
    from sslyze.scanner.scanner import Scanner

    from .tls_chain import trust_anchors
    from .tls_convert import to_snapshot

    wanted = sorted(set(endpoints), key=str)
    out: dict[Endpoint, TlsScan | str] = {}
    if not wanted:
        return out
    try:
        anchors = trust_anchors(options.ca_bundle)
    except Exception as exc:
        return {ep: f"cannot load trust stores: {type(exc).__name__}: {exc}" for ep in wanted}
    requests = []
    by_location: dict[tuple[str, int], Endpoint] = {}
    for ep in wanted:
        try:
            request = _request(ep, options)
        except ServerHostnameCouldNotBeResolved:
            out[ep] = f"cannot resolve {ep.host}"
            continue
        except Exception as exc:  # e.g. an unusable CA bundle path
            out[ep] = f"cannot prepare the TLS scan: {type(exc).__name__}: {exc}"
            continue
        requests.append(request)
        by_location[(ep.host, ep.port)] = ep
    if not requests:
        return out
    scanner = Scanner(
        per_server_concurrent_connections_limit=max(1, options.connections),
        concurrent_server_scans_limit=max(1, min(options.workers, len(requests))),
    )
    scanner.queue_scans(requests)
    for result in scanner.get_results():
        loc = result.server_location
        ep = by_location.get((loc.hostname, loc.port), Endpoint(loc.hostname, loc.port))
        if result.scan_status != ServerScanStatusEnum.COMPLETED:
            out[ep] = _failure(result)
            continue
        try:
            out[ep] = to_snapshot(result, anchors, custom_ca=bool(options.ca_bundle),
                                  scanned_at=dt.datetime.now(dt.UTC))
        except Exception as exc:  # a result we cannot read fails one target, not the run
            out[ep] = f"cannot read the TLS scan result: {type(exc).__name__}: {exc}"
    for ep in wanted:
        out.setdefault(ep, "the TLS scanner returned no result")
    return out


class TlsProbe(Probe):
    name = "tls"
    snapshot = TlsScan

    def __init__(self) -> None:
        self._results: dict[Endpoint, TlsScan | str] = {}
        self._lock = threading.Lock()

    def prepare(self, work: Mapping[Target, frozenset[str]], env: ProbeEnv) -> None:
        endpoints = {ep for t in work if (ep := Endpoint.of(t)) is not None}
        results = scan_endpoints(endpoints, env.options)
        with self._lock:
            self._results.update(results)

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> TlsScan:
        ep = Endpoint.of(target)
        if ep is None:
            return TlsScan.absent(target.host, "the target has no HTTPS entry point")
        with self._lock:
            result = self._results.get(ep)
        if result is None:
            result = scan_endpoints([ep], session.env.options)[ep]
            with self._lock:
                self._results[ep] = result
        if isinstance(result, str):
            raise ProbeError(f"{ep}: {result}")
        return result
