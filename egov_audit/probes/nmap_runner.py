"""Running nmap through python-nmap and turning its answer into PortScan snapshots.

Imported only when a scan is about to run, so ``import egov_audit`` never loads
python-nmap (and never looks for the nmap binary).

nmap opens its connections itself, so the run's limiter cannot count them one
by one. Instead, like the TLS scan, nmap *holds* every connection slot of the
hosts it scans for as long as it runs (:func:`.host_slots.hold_hosts`): the HTTP client
(of this process, or of any worker when the limiter is Redis's) opens nothing
to those hosts meanwhile, and nmap's own options keep it within what it holds.
Those options are built once, from the same per-host bounds the limiter has
(:func:`.ports.nmap_arguments`): ``--max-parallelism`` (probes in flight,
connect scan and version detection alike) and ``--scan-delay`` (one
connect-scan probe per host every ``1/rate`` s; not ``--max-rate``, which
bounds the whole invocation, all hosts together). Version detection has no
rate option in nmap: that phase is bounded by the parallelism only.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from ..ratelimit import HostLimiter
from ..scope import normalize_host
from .base import ProbeError
from .host_slots import hold_hosts
from .ports import INSTALL_HINT, OpenPort, PortScan


def run_nmap(
    hosts: tuple[str, ...],
    ports: tuple[int, ...],
    arguments: str,
    nmap_path: str,
    timeout: float,
    *,
    limiter: HostLimiter | None = None,
) -> dict[str, PortScan | ProbeError]:
    """nmap over ``hosts``; a snapshot or an error per host.

    With the run's ``limiter``, the hosts' connection slots are held for the
    whole invocation (see the module's docstring); waiting for them counts
    against ``timeout``. A host not had in time is reported, not scanned.
    """
    if limiter is None:
        return _run(hosts, ports, arguments, nmap_path, timeout)
    until = time.monotonic() + timeout
    hold = hold_hosts(limiter, hosts, until)
    try:
        results: dict[str, PortScan | ProbeError] = {}
        for host in hosts:
            if normalize_host(host) in hold.missing:
                results[host] = ProbeError(
                    f"not scanned: the connections to {host} stayed in use until the "
                    "deadline (nmap scans a host only while it holds all its connection slots)")
        ready = tuple(h for h in hosts if h not in results)
        if ready:
            results.update(_run(ready, ports, arguments, nmap_path, until - time.monotonic()))
        return results
    finally:
        hold.release()


def _run(
    hosts: tuple[str, ...],
    ports: tuple[int, ...],
    arguments: str,
    nmap_path: str,
    timeout: float,
) -> dict[str, PortScan | ProbeError]:
    """One nmap invocation over ``hosts``."""
    try:
        import nmap
    except ImportError:
        return _unavailable(hosts, "python-nmap is not installed (pip install python-nmap)")
    try:
        scanner = nmap.PortScanner(nmap_search_path=(nmap_path,))
    except nmap.PortScannerError:
        return _unavailable(hosts, f"nmap was not found ({nmap_path!r}); {INSTALL_HINT}")
    started = time.monotonic()
    try:
        raw = scanner.scan(
            hosts=" ".join(hosts),
            ports=",".join(str(p) for p in ports),
            arguments=arguments,
            timeout=max(1, int(timeout)),
        )
    except nmap.PortScannerTimeout:
        # python-nmap has killed nmap: no scan outlives the deadline in force.
        return _failed(hosts, f"nmap did not finish within the deadline in force "
                              f"({max(1, int(timeout))} s)")
    except nmap.PortScannerError as exc:
        return _failed(hosts, f"nmap failed: {str(exc).strip()[:300]}")
    duration = round(time.monotonic() - started, 3)
    command = scanner.command_line()
    errors = str(raw.get("nmap", {}).get("scaninfo", {}).get("error", "")).strip()
    by_host = _index(raw.get("scan", {}))
    timed_out = _timed_out(scanner.get_nmap_last_output())
    results: dict[str, PortScan | ProbeError] = {}
    for host in hosts:
        entry = by_host.get(host)
        if host in timed_out or (entry is not None and entry[0] in timed_out):
            # nmap lists such a host with no ports at all: read as a scan it
            # would say "nothing open", which nobody checked.
            results[host] = ProbeError(f"nmap gave up {host} at its --host-timeout; "
                                       "the port scan is incomplete")
            continue
        if entry is None:
            why = errors.splitlines()[0] if errors else "host timeout, or the name did not resolve"
            results[host] = ProbeError(f"nmap reported nothing for {host}: {why}")
            continue
        address, data = entry
        results[host] = PortScan(
            host=host,
            available=True,
            address=address,
            open_ports=_open_ports(data.get("tcp", {})),
            command=command,
            duration_s=duration,
        )
    return results


def _timed_out(xml: str | bytes) -> set[str]:
    """Addresses and given names of the hosts nmap abandoned at ``--host-timeout``.

    python-nmap drops the ``timedout`` attribute, so the XML is read again.
    """
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return set()
    found: set[str] = set()
    for host in root.iter("host"):
        if host.get("timedout") != "true":
            continue
        found.update(a.get("addr", "") for a in host.iter("address"))
        found.update(n.get("name", "").lower() for n in host.iter("hostname")
                     if n.get("type") == "user")
    found.discard("")
    return found


def _index(scan: Mapping[str, Any]) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """nmap keys hosts by address; the names we gave come back as ``user`` hostnames."""
    index: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for address, data in scan.items():
        index[address] = (address, data)
        for name in data.get("hostnames", []):
            if name.get("type") == "user" and name.get("name"):
                index[name["name"].lower()] = (address, data)
    return index


def _open_ports(tcp: Mapping[int, Mapping[str, Any]]) -> tuple[OpenPort, ...]:
    found = []
    for number, info in sorted(tcp.items()):
        if info.get("state") != "open":
            continue
        scripts = info.get("script") or {}
        found.append(OpenPort(
            port=int(number),
            service=str(info.get("name") or ""),
            product=str(info.get("product") or ""),
            version=str(info.get("version") or ""),
            extrainfo=str(info.get("extrainfo") or ""),
            confidence=int(info.get("conf") or 0),
            cpe=str(info.get("cpe") or ""),
            scripts=tuple(sorted((str(k), str(v).strip()) for k, v in scripts.items())),
        ))
    return tuple(found)


def _unavailable(hosts: tuple[str, ...], reason: str) -> dict[str, PortScan | ProbeError]:
    return {h: PortScan(host=h, available=False, reason=reason) for h in hosts}


def _failed(hosts: tuple[str, ...], reason: str) -> dict[str, PortScan | ProbeError]:
    return {h: ProbeError(reason) for h in hosts}
