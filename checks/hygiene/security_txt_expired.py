"""hygiene.security_txt_expired"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.securitytxt import SecurityTxt

from ._securitytxt import parse_security_txt


@check(
    id="hygiene.security_txt_expired",
    title="security.txt has expired or has no valid Expires field",
    severity=Severity.LOW,
    cwe=(1059,),
    needs=(SecurityTxt,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Add (or renew) the required Expires field, less than a year ahead, and put
        the renewal in the unit's calendar:
          Expires: 2027-06-30T00:00:00+07:00
    """,
    references=("https://www.rfc-editor.org/rfc/rfc9116#section-2.5.5",),
)
def security_txt_expired(ctx: CheckContext) -> Iterator[Issue]:
    """An expired file tells researchers its contacts are stale, and RFC 9116
    clients treat it as absent; a missing Expires makes the file invalid."""
    found = ctx.get(SecurityTxt).found
    if found is None:
        raise Skip("no security.txt (see hygiene.security_txt_missing)")
    fields = parse_security_txt(found.text)
    raw = fields.fields.get("expires", [])
    expires = fields.expires
    now = datetime.now(UTC)
    if expires is not None and expires > now:
        return
    if not raw:
        evidence = "no Expires field (required by RFC 9116)"
    elif expires is None:
        evidence = f"Expires: {raw[0]} is not an RFC 3339 date-time with an offset"
    else:
        evidence = f"Expires: {raw[0]} is in the past"
    yield Issue(location=found.final_url, evidence=evidence,
                details={"expires": raw[0] if raw else None})
