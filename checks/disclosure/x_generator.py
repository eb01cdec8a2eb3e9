"""disclosure.x_generator"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from ._factory import banner_issues


@check(
    id="disclosure.x_generator",
    title="X-Generator reveals the CMS and its version",
    severity=Severity.LOW,
    cwe=(497, 200),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Remove the header (Drupal adds it by default):
          nginx:  fastcgi_hide_header X-Generator; proxy_hide_header X-Generator;
          Apache: Header always unset X-Generator
          IIS:    <customHeaders><remove name="X-Generator" /></customHeaders>
    """,
    references=("https://owasp.org/www-project-secure-headers/",),
    tags=("bssn-k72",),
)
def x_generator(ctx: CheckContext) -> Iterator[Issue]:
    """Naming the CMS (and its version) points attackers straight at its plugin
    and core vulnerabilities; INFO when only the product is named (BSSN K72)."""
    yield from banner_issues(ctx, ("X-Generator",), versionless=Severity.INFO)
