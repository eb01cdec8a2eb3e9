"""What every network check does first: get the host's scan or say why not."""

from __future__ import annotations

import re
from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip
from egov_audit.model import Confidence, Reason, Severity
from egov_audit.probes.ports import OpenPort, PortScan

from ._catalogue import classify, endpoint

_VNC_NONE = re.compile(r"^[^\S\n]*None \(1\)", re.MULTILINE)  # line-bound: linear


def host_scan(ctx: CheckContext) -> PortScan:
    """The scan of the target's host; Skip when nmap is missing or when another
    target on the same host reports it (a host's ports are reported once)."""
    scan = ctx.get(PortScan)
    if not scan.available:
        raise Skip(f"port scan not run: {scan.reason}", Reason.DEPENDENCY_MISSING)
    if scan.reported_under and scan.reported_under != ctx.target.spec:
        raise Skip(f"host {scan.host} is scanned once; its ports are reported under "
                   f"{scan.reported_under}")
    return scan


def ports_of(scan: PortScan, category: str) -> list[OpenPort]:
    return [p for p in scan.open_ports if classify(p) == category]


def unauthenticated(port: OpenPort) -> str | None:
    """How a read-only nmap script showed the service answers without credentials.

    Each script only reports content when the service let it in; an
    authentication error leaves no output (redis-info) or says so.
    """
    refused = ("authentication", "unauthorized", "not authorized", "noauth", "requires auth")
    for script, what in (
        ("redis-info", "Redis answered INFO without authentication"),
        ("mongodb-databases", "MongoDB listed its databases without authentication"),
        ("memcached-info", "memcached returned its statistics without authentication"),
        ("couchdb-databases", "CouchDB listed its databases without authentication"),
        ("docker-version", "the Docker Engine API answered /version without authentication"),
    ):
        output = port.script(script)
        if output and not any(r in output.lower() for r in refused):
            return f"{what} (nmap {script}: {_first_lines(output)})"
    if "elasticsearch rest api" in port.product.lower() and "name:" in port.extrainfo:
        return ("Elasticsearch answered GET / with its cluster banner without authentication "
                f"({port.extrainfo})")
    vnc = port.script("vnc-info")
    if vnc and _VNC_NONE.search(vnc):  # security type 1 is "None": no password at all
        return f"VNC offers the 'None' security type (nmap vnc-info: {_first_lines(vnc)})"
    return None


def _first_lines(text: str, count: int = 3) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return "; ".join(lines[:count])


def port_details(scan: PortScan, port: OpenPort, **extra: object) -> dict[str, object]:
    """The details every per-port finding carries, with the nmap command that saw it
    (so an auditor can reproduce the observation by hand)."""
    return {"port": port.port, "service": port.service, "product": port.product,
            "version": port.version, **extra, "nmap": scan.command}


def reachable_services(ctx: CheckContext, category: str) -> Iterator[Issue]:
    """One issue per open port of ``category``; critical when a read-only script
    confirmed that it answers without credentials."""
    scan = host_scan(ctx)
    for port in ports_of(scan, category):
        confirmed = unauthenticated(port)
        evidence = f"{scan.host}:{port.port}/tcp open: {port.label}"
        if confirmed:
            evidence += f". Unauthenticated access confirmed: {confirmed}"
        yield Issue(
            location=endpoint(scan, port.port),
            key=str(port.port),
            evidence=evidence,
            severity=Severity.CRITICAL if confirmed else None,
            confidence=Confidence.CERTAIN if confirmed or port.probed else Confidence.FIRM,
            details=port_details(scan, port, unauthenticated=confirmed is not None),
        )
