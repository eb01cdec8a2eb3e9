"""hygiene.security_txt_no_contact"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.securitytxt import SecurityTxt

from ._securitytxt import parse_security_txt


@check(
    id="hygiene.security_txt_no_contact",
    title="security.txt has no Contact field",
    severity=Severity.LOW,
    cwe=(1059,),
    needs=(SecurityTxt,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Add at least one Contact (a mailto:, https: or tel: URI), first the one
        you prefer:
          Contact: mailto:csirt@example.go.id
    """,
    references=("https://www.rfc-editor.org/rfc/rfc9116#section-2.5.3",),
)
def security_txt_no_contact(ctx: CheckContext) -> Iterator[Issue]:
    """Contact is the one field the file exists for; without it a reporter still
    has nowhere to go."""
    found = ctx.get(SecurityTxt).found
    if found is None:
        raise Skip("no security.txt (see hygiene.security_txt_missing)")
    if parse_security_txt(found.text).contacts:
        return
    yield Issue(location=found.final_url, evidence="security.txt has no Contact: field")
