"""The port probe: one nmap run per audit over the targets' hosts.

nmap (through python-nmap) does a TCP connect scan with light service/version
detection and a short list of read-only NSE scripts on the ports the network
checks ask for (their ``need`` items) or the ports configured in
``[settings.network]``. Only the audit's target hosts are scanned, never an
address range, and each host is scanned once however many targets share it.

When nmap is not installed the snapshot says so (``available=False`` with the
install command) and the network checks report SKIPPED with that reason; the
engine would turn a ProbeError into ERROR, which would wrongly suggest the
target misbehaved.
"""

from __future__ import annotations

import ipaddress
import math
import re
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from .. import deadline
from ..check import Snapshot
from ..model import Target
from ..options import ScanOptions
from ..scope import normalize_host
from .base import DeadlineExceeded, Probe, ProbeEnv, ProbeError, ProbeSession

INSTALL_HINT = "install nmap (Debian/Ubuntu: apt-get install nmap; RHEL: dnf install nmap)"

# Read-only NSE scripts: each asks a service what it tells anyone who connects
# (INFO, a database list, stats, a version, the anonymous FTP login nmap uses to
# test exactly that). None is in nmap's "intrusive", "vuln", "brute" or
# "exploit" categories.
SAFE_SCRIPTS = (
    "redis-info",
    "mongodb-databases",
    "memcached-info",
    "couchdb-databases",
    "ftp-anon",
    "vnc-info",
    "docker-version",
)

_HOSTNAME = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?:\.(?!-)[A-Za-z0-9-]{1,63})*\.?$")


@dataclass(frozen=True)
class OpenPort:
    """One open TCP port as nmap described it.

    ``confidence`` is nmap's 0-10 ``conf``: 10 means a probe's reply matched,
    3 means nmap only guessed the service from the port number.
    """

    port: int
    service: str
    product: str = ""
    version: str = ""
    extrainfo: str = ""
    confidence: int = 0
    cpe: str = ""
    scripts: tuple[tuple[str, str], ...] = ()

    @property
    def probed(self) -> bool:
        return self.confidence >= 5

    def script(self, name: str) -> str | None:
        return dict(self.scripts).get(name)

    @property
    def label(self) -> str:
        """``redis (Redis key-value store 7.0.15)`` for evidence."""
        detail = " ".join(p for p in (self.product, self.version) if p)
        if self.extrainfo:
            detail = f"{detail} ({self.extrainfo})" if detail else self.extrainfo
        return f"{self.service or 'unknown'} ({detail})" if detail else self.service or "unknown"


@dataclass(frozen=True)
class PortScan(Snapshot):
    """What nmap found on one target's host.

    ``reported_under`` is the spec of the target that reports this host's
    findings: several targets on one host share one scan and the checks report
    it once. ``web_ports`` are the targets' own HTTP(S) ports on this host:
    expected to be open, and scanned only with ``scan_web_ports = true``.
    """

    probe = "network.ports"

    host: str
    available: bool
    reason: str | None = None
    address: str | None = None
    scanned_ports: tuple[int, ...] = ()
    open_ports: tuple[OpenPort, ...] = ()
    web_ports: tuple[int, ...] = ()
    reported_under: str | None = None
    command: str = ""
    duration_s: float = 0.0

    def port(self, number: int) -> OpenPort | None:
        return next((p for p in self.open_ports if p.port == number), None)


@dataclass(frozen=True)
class ScanPlan:
    """The nmap invocations for a run: hosts (v4 and names, then v6) and ports."""

    hosts: tuple[str, ...]
    ports: tuple[int, ...]
    arguments: str
    owners: Mapping[str, str] = field(default_factory=dict)  # host -> reporting spec
    web_ports: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    rejected: Mapping[str, ProbeError] = field(default_factory=dict)  # host -> why not


def parse_ports(values: Iterable[Any]) -> set[int]:
    """``[22, "8000-8010", "443"]`` → port numbers; anything else is an input error."""
    ports: set[int] = set()
    for value in values:
        text = str(value).strip()
        low, _, high = text.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise ProbeError(f"[settings.network] ports: {value!r} is not a port or a range")
        first, last = int(low), int(high or low)
        if not 1 <= first <= last <= 65535 or last - first > 4096:
            raise ProbeError(f"[settings.network] ports: {value!r} is out of range")
        ports.update(range(first, last + 1))
    return ports


def nmap_arguments(settings: Mapping[str, Any], options: ScanOptions | None = None) -> str:
    """Polite, read-only nmap options; the same string the benchmark runs by hand.

    The per-host politeness bounds of ``options`` hold for nmap too: at most
    ``connections`` probes in flight (``--max-parallelism``: measured to hold
    for the connect scan and version detection alike) and at most ``rate``
    connect-scan probes a second to each host (``--scan-delay 1/rate``; the
    configuration's ``max_rate`` may lower it, never raise it). Not
    ``--max-rate``: nmap applies that to the whole invocation, so one batch
    of 1,000 hosts would send 10 probes a second in all and take an hour.
    nmap has no rate limit for version detection: that phase opens a few
    connections per open port, at most ``connections`` at once.
    ``--host-timeout`` is at most the target's deadline, so nmap gives up a
    host that drips before the audit would.
    """
    options = options or ScanOptions()
    try:
        intensity = int(settings.get("version_intensity", 2))
        max_rate = min(float(settings.get("max_rate", options.rate)), options.rate)
        host_timeout = min(int(settings.get("host_timeout", 300)),
                           max(1, int(options.target_deadline)))
    except (TypeError, ValueError):
        intensity = host_timeout = -1
        max_rate = -1.0
    if not 0 <= intensity <= 9 or max_rate <= 0 or host_timeout <= 0:
        raise ProbeError("[settings.network]: version_intensity 0-9, max_rate and "
                         "host_timeout positive")
    args = [
        "-sT",  # full TCP connect: no raw packets, no root, nothing half-open
        "-Pn",  # the hosts are known targets; no ping sweep
        "-n",  # no reverse DNS lookups of the addresses
        "-T3",
        f"--scan-delay {max(1, round(1000 / max_rate))}ms",
        f"--max-parallelism {max(1, options.connections)}",
        f"--host-timeout {host_timeout}s",
        "-sV",
        f"--version-intensity {intensity}",
    ]
    if settings.get("scripts", True):
        args += [f"--script {','.join(SAFE_SCRIPTS)}",
                 f"--script-timeout {min(30, host_timeout)}s"]
    return " ".join(args)


def plan_scan(
    work: Mapping[Target, frozenset[str]], settings: Mapping[str, Any], allows: Any,
    options: ScanOptions | None = None,
) -> ScanPlan:
    """Which hosts and ports to scan; ``allows(host)`` is the audit scope."""
    if "ports" in settings:
        ports = parse_ports(settings["ports"])
    else:
        ports = parse_ports(i for items in work.values() for i in items)
    ports |= parse_ports(settings.get("extra_ports", ()))
    owners: dict[str, str] = {}
    web: dict[str, set[int]] = {}
    rejected: dict[str, ProbeError] = {}
    for target in work:
        try:
            host = validate_host(target.host)
            if not allows(host):
                raise ProbeError(f"host {host} is outside the audit scope")
        except ProbeError as exc:  # this host only; the others are still scanned
            rejected[normalize_host(target.host)] = exc
            continue
        owners.setdefault(host, target.spec)
        web.setdefault(host, set()).update(_web_ports(target))
    # Off by default: version detection on HTTPS ports costs nmap 10-20 s, and
    # web server versions are the HTTP families' to judge from their headers.
    if settings.get("scan_web_ports", False):
        ports |= {p for found in web.values() for p in found}
    if not ports:
        raise ProbeError("no ports to scan: the selected checks ask for none and "
                         "[settings.network] ports is empty")
    return ScanPlan(
        hosts=tuple(owners),
        ports=tuple(sorted(ports)),
        arguments=nmap_arguments(settings, options),
        owners=owners,
        web_ports={h: tuple(sorted(p)) for h, p in web.items()},
        rejected=rejected,
    )


def validate_host(host: str) -> str:
    """A single host name or address, never a range or anything nmap reads as an option."""
    host = normalize_host(host)
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    # A name's last label must hold a letter: nmap reads "10.0.0.1-20" or
    # "10.0-3.0.1" as address ranges, which a target never is.
    last = host.rstrip(".").rsplit(".", 1)[-1]
    if not _HOSTNAME.match(host) or not any(ch.isalpha() for ch in last):
        raise ProbeError(f"refusing to scan {host!r}: not a single host name or address")
    return host


def _web_ports(target: Target) -> set[int]:
    ports = set()
    for url in (target.http_url, target.https_url):
        if url:
            parts = urlsplit(url)
            ports.add(parts.port or (443 if parts.scheme == "https" else 80))
    return ports


# Without a prepared batch (a distributed worker sees one target at a time),
# targets that ask within this many seconds of each other share one nmap run:
# each run starts nmap (~0.4 CPU s), and one run per target under the probe's
# lock made a worker's threads queue behind each other (1 worker, 100
# endpoints: 110 -> 74 s, CPU 118 -> 68 s; docs/benchmarks.md).
BATCH_WINDOW_S = 2.0


class PortProbe(Probe):
    name = "network.ports"
    snapshot = PortScan

    def __init__(self) -> None:
        self._lock = threading.Lock()  # guards everything below
        self._scans: dict[str, PortScan | ProbeError] = {}
        self._pending: dict[Target, frozenset[str]] = {}  # the next on-demand batch
        self._scanned: dict[str, threading.Event] = {}  # host -> its on-demand scan ended

    def prepare(self, work: Mapping[Target, frozenset[str]], env: ProbeEnv) -> None:
        """Scan every host of the run in one nmap invocation (two with IPv6 hosts)."""
        if work:
            with self._lock:
                self._scans.update(self._scan(work, env))

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> PortScan:
        host = validate_host(target.host)
        lead = False
        done: threading.Event | None = None
        with self._lock:
            found = self._scans.get(host)
            if found is None:  # no prepare saw it: join the next on-demand batch
                done = self._scanned.get(host)
                if done is None:
                    done = self._scanned[host] = threading.Event()
                    self._pending[target] = items
                    lead = len(self._pending) == 1
        if done is not None:
            if lead:
                self._scan_batch(session.env)
            left = deadline.remaining()
            done.wait(None if left == math.inf else max(0.0, left))
            with self._lock:
                found = self._scans.get(host)
        if found is None:
            raise DeadlineExceeded("the target's deadline (waiting for the port scan)")
        if isinstance(found, ProbeError):
            raise found
        return found

    def _scan_batch(self, env: ProbeEnv) -> None:
        """Wait for the targets asking meanwhile, then scan them all in one run."""
        time.sleep(min(BATCH_WINDOW_S, max(0.0, deadline.remaining())))
        with self._lock:
            work, self._pending = self._pending, {}
        results: dict[str, PortScan | ProbeError] = {}
        try:
            results = self._scan(work, env)
        finally:
            with self._lock:
                self._scans.update(results)
                for target in work:
                    self._scanned[validate_host(target.host)].set()

    def _scan(self, work: Mapping[Target, frozenset[str]],
              env: ProbeEnv) -> dict[str, PortScan | ProbeError]:
        """nmap over the hosts of ``work``: a snapshot or an error per host."""
        scans: dict[str, PortScan | ProbeError] = {}
        settings = env.options.settings_for("network")
        try:
            plan = plan_scan(work, settings, env.scope.allows_host, env.options)
        except ProbeError as exc:
            for target in work:
                scans[normalize_host(target.host)] = exc
            return scans
        scans.update(plan.rejected)
        from .nmap_runner import run_nmap  # lazy: python-nmap only when scanning

        v6 = tuple(h for h in plan.hosts if ":" in h)
        v4 = tuple(h for h in plan.hosts if ":" not in h)
        for hosts, extra in ((v4, ""), (v6, " -6")):
            if not hosts:
                continue
            # The run's deadline, or the target's when a target scans alone:
            # python-nmap kills nmap when it passes.
            remaining = min(env.deadline, deadline.current()) - time.monotonic()
            if remaining <= 0:
                error = ProbeError("not scanned: the deadline had passed before nmap could start")
                scans.update(dict.fromkeys(hosts, error))
                continue
            try:
                results = run_nmap(
                    hosts, plan.ports, plan.arguments + extra,
                    str(settings.get("nmap_path", "nmap")), remaining,
                    # nmap holds the hosts' connection slots while it scans
                    limiter=getattr(env.http, "limiter", None),
                )
            except Exception as exc:  # a python-nmap surprise fails these hosts, once
                error = ProbeError(f"nmap run failed: {type(exc).__name__}: {exc}")
                results = dict.fromkeys(hosts, error)
            for host in hosts:
                result = results.get(host)
                if isinstance(result, PortScan):
                    result = _with_plan(result, plan, host)
                scans[host] = result or ProbeError(f"nmap returned nothing for {host}")
        return scans


def _with_plan(scan: PortScan, plan: ScanPlan, host: str) -> PortScan:
    return replace(
        scan,
        scanned_ports=plan.ports,
        web_ports=plan.web_ports.get(host, ()),
        reported_under=plan.owners.get(host),
    )
