"""network.eol_service_version"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity

from ._catalogue import end_of_life, endpoint, ports_need
from ._scan import host_scan, port_details


@check(
    id="network.eol_service_version",
    title="A network service runs a release line that no longer gets security fixes",
    severity=Severity.MEDIUM,
    cwe=(1104, 1395),
    needs=(ports_need(),),
    remediation="""
        Upgrade the service to a supported release line (see the vendor's lifecycle
        page in the finding's details) and plan upgrades before the next end date.
        Where an upgrade must wait, restrict the port to the hosts that need it.
    """,
    references=("https://endoflife.date/",),
)
def eol_service_version(ctx: CheckContext) -> Iterator[Issue]:
    """Software past its end of life gets no security fixes: every flaw found
    from then on stays open for good. Versions come from nmap's banner-based
    detection (the web ports of the target included)."""
    scan = host_scan(ctx)
    today = date.today()
    for port in scan.open_ports:
        line = end_of_life(port, today)
        if line is None:
            continue
        yield Issue(
            location=endpoint(scan, port.port),
            key=str(port.port),
            evidence=(f"{scan.host}:{port.port}/tcp runs {port.product} {port.version}: "
                      f"the {line.product} {line.line} line reached end of life on "
                      f"{line.ended.isoformat()}"),
            confidence=Confidence.FIRM,
            details=port_details(scan, port, line=line.line,
                                 end_of_life=line.ended.isoformat(), source=line.source),
        )
