"""tls.ssl2_ssl3_accepted"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import LEGACY_SSL, TlsScan

from ._common import get_scan, suite_list, suites_detail


@check(
    id="tls.ssl2_ssl3_accepted",
    title="The server accepts SSL 2.0 or SSL 3.0",
    severity=Severity.CRITICAL,
    cwe=(327, 757),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Turn SSL 2.0 and SSL 3.0 off; allow TLS 1.2 and TLS 1.3 only:
          nginx:  ssl_protocols TLSv1.2 TLSv1.3;
          Apache: SSLProtocol -all +TLSv1.2 +TLSv1.3
          IIS:    set Enabled=0 under HKLM\\SYSTEM\\CurrentControlSet\\Control\\
                  SecurityProviders\\SCHANNEL\\Protocols\\SSL 2.0\\Server and SSL 3.0\\Server
                  (IIS Crypto does the same), then reboot.
    """,
    references=(
        "https://www.rfc-editor.org/rfc/rfc6176",
        "https://www.rfc-editor.org/rfc/rfc7568",
        "https://csrc.nist.gov/pubs/sp/800/52/r2/final",
        "https://cyber.dhs.gov/bod/18-01/",
    ),
    tags=("protocol",),
)
def ssl2_ssl3_accepted(ctx: CheckContext) -> Iterator[Issue]:
    """SSL 2.0 and 3.0 are broken (DROWN, POODLE): an attacker on the network can
    decrypt traffic, and a server that still speaks them can be used to attack
    its modern TLS connections too."""
    scan = get_scan(ctx)
    if not any(scan.protocol_known(p) for p in LEGACY_SSL):
        raise Skip("SSL 2.0/3.0 support could not be tested: "
                   + "; ".join(f"{k}: {v}" for k, v in scan.errors.items()))
    accepted = [p for p in LEGACY_SSL if scan.protocols.get(p)]
    if not accepted:
        return
    suites = [s for s in scan.suites if s.protocol in accepted]
    yield Issue(
        evidence=f"{scan.endpoint} accepts {', '.join(accepted)} "
                 f"(accepted protocols: {', '.join(scan.accepted_protocols)}); "
                 f"suites {suite_list(suites)}",
        details={"accepted_protocols": list(scan.accepted_protocols),
                 "legacy": accepted, "suites": suites_detail(suites)},
    )
