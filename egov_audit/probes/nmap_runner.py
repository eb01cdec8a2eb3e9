"""Running nmap through python-nmap and turning its answer into PortScan snapshots.

Imported only when a scan is about to run, so ``import egov_audit`` never loads
python-nmap (and never looks for the nmap binary).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from .base import ProbeError
from .ports import INSTALL_HINT, OpenPort, PortScan


def run_nmap(
    hosts: tuple[str, ...],
    ports: tuple[int, ...],
    arguments: str,
    nmap_path: str,
    timeout: float,
) -> dict[str, PortScan | ProbeError]:
    """One nmap invocation over ``hosts``; a snapshot or an error per host."""
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
        return _failed(hosts, f"nmap did not finish within the run's deadline ({timeout:.0f} s)")
    except nmap.PortScannerError as exc:
        return _failed(hosts, f"nmap failed: {str(exc).strip()[:300]}")
    duration = round(time.monotonic() - started, 3)
    command = scanner.command_line()
    errors = str(raw.get("nmap", {}).get("scaninfo", {}).get("error", "")).strip()
    by_host = _index(raw.get("scan", {}))
    results: dict[str, PortScan | ProbeError] = {}
    for host in hosts:
        entry = by_host.get(host)
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
