"""tls.legacy_tls_accepted"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import LEGACY_TLS, TlsScan

from ._common import get_scan, suite_list, suites_detail


@check(
    id="tls.legacy_tls_accepted",
    title="The server accepts TLS 1.0 or TLS 1.1",
    severity=Severity.HIGH,
    cwe=(327, 757),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Allow TLS 1.2 and TLS 1.3 only (every browser since 2014 speaks TLS 1.2):
          nginx:  ssl_protocols TLSv1.2 TLSv1.3;
          Apache: SSLProtocol -all +TLSv1.2 +TLSv1.3
          IIS:    disable "TLS 1.0" and "TLS 1.1" Server keys under SCHANNEL\\Protocols
                  (or with IIS Crypto), then reboot.
        If a citizen-facing service must keep an old client population for a while,
        record the exception and lower this check with the setting
        `[settings.tls] legacy_severity = "medium"`.
    """,
    references=(
        "https://www.rfc-editor.org/rfc/rfc8996",
        "https://csrc.nist.gov/pubs/sp/800/52/r2/final",
    ),
    tags=("protocol",),
)
def legacy_tls_accepted(ctx: CheckContext) -> Iterator[Issue]:
    """TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on SHA-1/MD5 in the
    handshake and on CBC constructions with known attacks (BEAST, Lucky13), and
    BSSN SPBE K44 requires TLS 1.2 or newer."""
    scan = get_scan(ctx)
    if not any(scan.protocol_known(p) for p in LEGACY_TLS):
        raise Skip("TLS 1.0/1.1 support could not be tested")
    accepted = [p for p in LEGACY_TLS if scan.protocols.get(p)]
    if not accepted:
        return
    suites = [s for s in scan.suites if s.protocol in accepted]
    yield Issue(
        evidence=f"{scan.endpoint} accepts {', '.join(accepted)} "
                 f"(accepted protocols: {', '.join(scan.accepted_protocols)}); "
                 f"suites {suite_list(suites)}",
        severity=Severity.parse(str(ctx.setting("legacy_severity", "high"))),
        details={"accepted_protocols": list(scan.accepted_protocols),
                 "legacy": accepted, "suites": suites_detail(suites)},
    )
