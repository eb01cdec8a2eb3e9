"""hygiene.security_txt_not_https"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.securitytxt import SecurityTxt


@check(
    id="hygiene.security_txt_not_https",
    title="security.txt is served only over plain HTTP",
    severity=Severity.LOW,
    cwe=(319, 345),
    needs=(SecurityTxt,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Serve the file over HTTPS at https://<host>/.well-known/security.txt
        (RFC 9116 §3 requires HTTPS) and redirect the HTTP URL there.
    """,
    references=("https://www.rfc-editor.org/rfc/rfc9116#section-3",),
)
def security_txt_not_https(ctx: CheckContext) -> Iterator[Issue]:
    """A security.txt fetched over HTTP can be swapped in transit, sending
    vulnerability reports (and the details in them) to an attacker."""
    found = ctx.get(SecurityTxt).found
    if found is None:
        raise Skip("no security.txt (see hygiene.security_txt_missing)")
    if urlsplit(found.final_url).scheme == "https":
        return
    yield Issue(location=found.final_url,
                evidence=f"security.txt found only at {found.final_url}")
