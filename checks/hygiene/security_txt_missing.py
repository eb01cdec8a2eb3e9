"""hygiene.security_txt_missing"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.securitytxt import WELL_KNOWN, SecurityTxt


@check(
    id="hygiene.security_txt_missing",
    title="No security.txt tells researchers how to report a vulnerability",
    severity=Severity.LOW,
    cwe=(1059,),
    needs=(SecurityTxt,),
    confidence=Confidence.FIRM,
    remediation="""
        Publish /.well-known/security.txt (text/plain, UTF-8, over HTTPS), e.g.:
          Contact: mailto:csirt@example.go.id
          Contact: https://example.go.id/lapor-kerentanan
          Expires: 2027-06-30T00:00:00+07:00
          Preferred-Languages: id, en
          Policy: https://example.go.id/kebijakan-pengungkapan
        Point Contact at the institution's CSIRT (or the provincial Gov-CSIRT).
          nginx:  location = /.well-known/security.txt { alias /etc/nginx/security.txt; }
          Apache: Alias /.well-known/security.txt /etc/apache2/security.txt
          IIS:    add the file under .well-known and a text/plain MIME map for .txt
    """,
    references=("https://www.rfc-editor.org/rfc/rfc9116",),
)
def security_txt_missing(ctx: CheckContext) -> Iterator[Issue]:
    """Someone who finds a vulnerability (or a personal-data leak) has no clear way to
    tell the institution, so the report goes nowhere, or goes public first."""
    snap = ctx.get(SecurityTxt)
    if snap.found is not None:
        return
    yield Issue(
        evidence="no security.txt: " + ", ".join(
            f"{r.url} → {r.status or r.error} {r.content_type or ''}".rstrip()
            for r in snap.tried
        ) if snap.tried else f"no HTTP(S) origin to look for {WELL_KNOWN}",
        details={"tried": [r.url for r in snap.tried]},
    )
