"""network.file_sharing_exposed"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity

from ._catalogue import endpoint, ports_need
from ._scan import host_scan, port_details, ports_of


@check(
    id="network.file_sharing_exposed",
    title="A file-sharing service (SMB, NetBIOS, NFS) is reachable",
    severity=Severity.HIGH,
    cwe=(668, 1327),
    needs=(ports_need("file_sharing"),),
    remediation="""
        Never expose SMB (139/445) or NFS (2049) beyond the internal network:
        block them at the perimeter and host firewall, disable SMBv1
        (Set-SmbServerConfiguration -EnableSMB1Protocol $false), and restrict NFS
        exports to named clients (/etc/exports: /srv 10.0.0.5(ro,root_squash)).
    """,
    references=(
        "https://learn.microsoft.com/windows-server/storage/file-server/smb-secure-traffic",
        "https://www.cisa.gov/news-events/alerts/2017/05/12/indicators-associated-wannacry-ransomware",
    ),
)
def file_sharing_exposed(ctx: CheckContext) -> Iterator[Issue]:
    """SMB and NFS exposed to untrusted networks leak shared files and have a
    long history of wormable remote-code-execution flaws (WannaCry, EternalBlue)."""
    scan = host_scan(ctx)
    for port in ports_of(scan, "file_sharing"):
        yield Issue(
            location=endpoint(scan, port.port),
            key=str(port.port),
            evidence=f"{scan.host}:{port.port}/tcp open: {port.label}",
            confidence=Confidence.CERTAIN if port.probed else Confidence.FIRM,
            details=port_details(scan, port),
        )
