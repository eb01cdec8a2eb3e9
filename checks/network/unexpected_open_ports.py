"""network.unexpected_open_ports"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity

from ._catalogue import classify, ports_need
from ._scan import host_scan


@check(
    id="network.unexpected_open_ports",
    title="Open ports other than the service's own web ports",
    severity=Severity.INFO,
    cwe=(1327, 668),
    needs=(ports_need(),),
    confidence=Confidence.TENTATIVE,
    remediation="""
        Review every listed port: close what the service does not need (stop the
        daemon, or bind it to localhost), and allow the rest only from the networks
        that use it. Keep an inventory of intended ports per host so that new
        ones stand out.
    """,
    references=("https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",),
)
def unexpected_open_ports(ctx: CheckContext) -> Iterator[Issue]:
    """Every open port is attack surface; ports nobody can explain are often
    forgotten test instances, admin tools or services left on by default."""
    scan = host_scan(ctx)
    others = [p for p in scan.open_ports
              if classify(p) is None and p.port not in scan.web_ports]
    if not others:
        return
    listed = ", ".join(f"{p.port}/tcp {p.label}" for p in others)
    yield Issue(
        location=f"tcp://{scan.host}",
        evidence=f"{scan.host}: {len(others)} other open port(s): {listed}",
        details={"ports": [{"port": p.port, "service": p.service, "product": p.product,
                            "version": p.version} for p in others],
                 "nmap": scan.command},
    )
