"""tls.insecure_renegotiation"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import get_scan, require


@check(
    id="tls.insecure_renegotiation",
    title="The server allows insecure or client-initiated TLS renegotiation",
    severity=Severity.MEDIUM,
    cwe=(295, 400),
    needs=(TlsScan,),
    confidence=Confidence.FIRM,
    remediation="""
        Update the TLS library (RFC 5746 secure renegotiation is in every release
        since 2010) and disable client-initiated renegotiation:
          nginx: refuses it by default (upgrade if this finding appears);
          Apache: SSLInsecureRenegotiation off (the default), upgrade mod_ssl;
          IIS:   set DisableRenegoOnServer=1 (DWORD) under SCHANNEL.
    """,
    references=("https://www.rfc-editor.org/rfc/rfc5746",
                "https://nvd.nist.gov/vuln/detail/CVE-2009-3555"),
    tags=("vulnerability",),
)
def insecure_renegotiation(ctx: CheckContext) -> Iterator[Issue]:
    """Without RFC 5746 secure renegotiation an attacker can splice their own
    request in front of a victim's (CVE-2009-3555); client-initiated
    renegotiation lets one client exhaust the server's CPU."""
    scan = get_scan(ctx)
    require(scan, "session_renegotiation")
    if scan.secure_renegotiation is False:
        yield Issue(key="insecure",
                    evidence=f"{scan.endpoint} does not support secure renegotiation "
                             f"(RFC 5746 renegotiation_info)")
    if scan.client_renegotiation_dos:
        yield Issue(key="client_dos", severity=Severity.LOW,
                    evidence=f"{scan.endpoint} accepts repeated client-initiated "
                             f"renegotiations (denial-of-service amplifier)")
