"""tls.tls13_unsupported"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import get_scan


@check(
    id="tls.tls13_unsupported",
    title="The server does not support TLS 1.3",
    severity=Severity.MEDIUM,
    cwe=(327,),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Enable TLS 1.3 (OpenSSL 1.1.1+, nginx 1.13+, Apache 2.4.37+, Windows Server 2022+):
          nginx:  ssl_protocols TLSv1.2 TLSv1.3;
          Apache: SSLProtocol -all +TLSv1.2 +TLSv1.3
          IIS:    Windows Server 2022 enables TLS 1.3 by default; older versions
                  need an OS upgrade or a TLS-terminating proxy in front.
    """,
    references=(
        "https://csrc.nist.gov/pubs/sp/800/52/r2/final",
        "https://www.rfc-editor.org/rfc/rfc8446",
    ),
    tags=("protocol",),
)
def tls13_unsupported(ctx: CheckContext) -> Iterator[Issue]:
    """TLS 1.3 removes every legacy algorithm and always gives forward secrecy;
    NIST SP 800-52r2 requires government servers to support it since 1 January 2024."""
    scan = get_scan(ctx)
    if not scan.protocol_known("TLS 1.3"):
        raise Skip("TLS 1.3 support could not be tested")
    if scan.protocols.get("TLS 1.3"):
        return
    yield Issue(
        evidence=f"{scan.endpoint} refuses TLS 1.3; accepted protocols: "
                 f"{', '.join(scan.accepted_protocols) or 'none'}",
        details={"accepted_protocols": list(scan.accepted_protocols)},
    )
