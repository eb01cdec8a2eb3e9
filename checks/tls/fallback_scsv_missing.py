"""tls.fallback_scsv_missing"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import get_scan, require

OLDER = ("SSL 3.0", "TLS 1.0", "TLS 1.1")


@check(
    id="tls.fallback_scsv_missing",
    title=("The server accepts protocol downgrades (no TLS_FALLBACK_SCSV) "
           "while legacy versions are on"),
    severity=Severity.LOW,
    cwe=(757,),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Best: turn the legacy protocols off (then downgrades have nowhere to go).
        Otherwise upgrade OpenSSL (1.0.1j+) / the TLS stack so the server rejects
        TLS_FALLBACK_SCSV connections at lower versions (RFC 7507).
    """,
    references=("https://www.rfc-editor.org/rfc/rfc7507",),
    tags=("vulnerability",),
)
def fallback_scsv_missing(ctx: CheckContext) -> Iterator[Issue]:
    """A network attacker can make a client retry with an older protocol (POODLE
    downgrade) unless the server refuses fallback connections it recognises."""
    scan = get_scan(ctx)
    legacy = [p for p in OLDER if scan.protocols.get(p)]
    if not legacy:
        raise Skip("no legacy protocol is accepted, so there is nothing to downgrade to")
    require(scan, "tls_fallback_scsv")
    if scan.fallback_scsv is False:
        yield Issue(evidence=f"{scan.endpoint} accepts a TLS_FALLBACK_SCSV handshake at a lower "
                             f"version while offering {', '.join(legacy)}",
                    details={"legacy": legacy})
