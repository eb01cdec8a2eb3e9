"""tls.tls12_unsupported"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import get_scan


@check(
    id="tls.tls12_unsupported",
    title="The server does not support TLS 1.2",
    severity=Severity.HIGH,
    cwe=(327,),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Enable TLS 1.2 (and TLS 1.3) on the server; upgrade the TLS library if it is
        too old to offer it:
          nginx:  ssl_protocols TLSv1.2 TLSv1.3;
          Apache: SSLProtocol -all +TLSv1.2 +TLSv1.3
          IIS:    enable the "TLS 1.2" Server key under SCHANNEL\\Protocols (Windows
                  Server 2012 R2 and later), then reboot.
    """,
    references=(
        "https://csrc.nist.gov/pubs/sp/800/52/r2/final",
        "https://cyber.dhs.gov/bod/18-01/",
    ),
    tags=("protocol",),
)
def tls12_unsupported(ctx: CheckContext) -> Iterator[Issue]:
    """TLS 1.2 is the minimum every current standard requires (NIST SP 800-52r2,
    BSSN SPBE K44); a server without it forces clients onto broken protocols or
    locks modern clients out."""
    scan = get_scan(ctx)
    if not scan.protocol_known("TLS 1.2"):
        raise Skip("TLS 1.2 support could not be tested")
    if scan.protocols.get("TLS 1.2"):
        return
    yield Issue(
        evidence=f"{scan.endpoint} refuses TLS 1.2; accepted protocols: "
                 f"{', '.join(scan.accepted_protocols) or 'none'}",
        details={"accepted_protocols": list(scan.accepted_protocols)},
    )
