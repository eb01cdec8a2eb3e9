"""disclosure.x_powered_by"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from ._factory import banner_issues


@check(
    id="disclosure.x_powered_by",
    title="X-Powered-By reveals the application platform",
    severity=Severity.LOW,
    cwe=(497, 200),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Stop sending the header:
          PHP:    expose_php = Off   (php.ini)
          nginx:  fastcgi_hide_header X-Powered-By; proxy_hide_header X-Powered-By;
          Apache: Header always unset X-Powered-By
          IIS:    <customHeaders><remove name="X-Powered-By" /></customHeaders>
          Express: app.disable('x-powered-by')
    """,
    references=("https://owasp.org/www-project-secure-headers/#x-powered-by",),
    tags=("bssn-k72",),
)
def x_powered_by(ctx: CheckContext) -> Iterator[Issue]:
    """The header serves no browser; it only tells attackers the language and often
    the exact version (PHP/7.4.3) of the application platform (BSSN K72)."""
    yield from banner_issues(ctx, ("X-Powered-By",), versionless=Severity.LOW)
