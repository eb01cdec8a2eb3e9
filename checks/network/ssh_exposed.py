"""network.ssh_exposed"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity

from ._catalogue import endpoint, ports_need
from ._scan import host_scan, port_details, ports_of


@check(
    id="network.ssh_exposed",
    title="SSH is reachable from the scanner",
    severity=Severity.INFO,
    cwe=(668,),
    needs=(ports_need("ssh"),),
    remediation="""
        If SSH must be reachable, allow keys only and no root login
        (sshd_config: PasswordAuthentication no, PermitRootLogin no), keep the
        server patched, and prefer reaching it through a VPN or jump host with
        the port limited to administrators' addresses at the firewall.
    """,
    references=(
        "https://www.ssh.com/academy/ssh/sshd_config",
        "https://csrc.nist.gov/pubs/ir/7966/final",
    ),
)
def ssh_exposed(ctx: CheckContext) -> Iterator[Issue]:
    """Reachable SSH is not a flaw in itself, but it is an administration door that
    is constantly guessed at; its version tells whether it is kept up to date."""
    scan = host_scan(ctx)
    for port in ports_of(scan, "ssh"):
        version = " ".join(p for p in (port.product, port.version) if p) or "version not detected"
        yield Issue(
            location=endpoint(scan, port.port),
            key=str(port.port),
            evidence=f"{scan.host}:{port.port}/tcp open: SSH, {version}"
                     + (f" ({port.extrainfo})" if port.extrainfo else ""),
            confidence=Confidence.CERTAIN if port.probed else Confidence.FIRM,
            details=port_details(scan, port),
        )
