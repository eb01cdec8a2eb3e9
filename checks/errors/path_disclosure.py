"""errors.path_disclosure"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity

from ._issues import NEEDS, PRODUCTION_ERRORS, issues


@check(
    id="errors.path_disclosure",
    title="Responses disclose absolute file paths on the server",
    severity=Severity.LOW,
    cwe=(209, 200),
    needs=NEEDS,
    judges=Judged.SITE,
    confidence=Confidence.FIRM,
    remediation=PRODUCTION_ERRORS,
    references=("https://owasp.org/www-community/attacks/Full_Path_Disclosure",),
)
def path_disclosure(ctx: CheckContext) -> Iterator[Issue]:
    """An absolute path (/home/<account>/public_html/..., C:\\inetpub\\...) tells an
    attacker the hosting account, the layout of the server and where to aim file
    inclusion attacks. Reported only where no stack trace, SQL error or debug page
    already explains the response."""
    yield from issues(ctx, "path_disclosure", exclusive=True)
