"""tls.compression"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import get_scan, require


@check(
    id="tls.compression",
    title="The server accepts TLS-level compression (CRIME)",
    severity=Severity.MEDIUM,
    cwe=(200, 327),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Disable TLS compression: upgrade OpenSSL (1.1.0+ has none) or
          Apache: SSLCompression off
          nginx:  compression is off since 1.3.2 with OpenSSL 1.0+; upgrade.
    """,
    references=("https://nvd.nist.gov/vuln/detail/CVE-2012-4929",),
    tags=("vulnerability",),
)
def compression(ctx: CheckContext) -> Iterator[Issue]:
    """Compressing before encrypting leaks secrets through the ciphertext length
    (CRIME): an attacker who can inject requests recovers session cookies."""
    scan = get_scan(ctx)
    require(scan, "tls_compression")
    if scan.compression:
        yield Issue(evidence=f"{scan.endpoint} negotiated DEFLATE compression at the TLS layer")
