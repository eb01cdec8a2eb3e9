"""disclosure.server_version"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from ._factory import banner_issues


@check(
    id="disclosure.server_version",
    title="The Server header reveals the web server's version",
    severity=Severity.LOW,
    cwe=(497, 200),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Send the product name only (or nothing):
          nginx:  server_tokens off;
          Apache: ServerTokens Prod
                  ServerSignature Off
          IIS:    <system.webServer><security><requestFiltering removeServerHeader="true" />
                  </security></system.webServer>   (IIS 10+)
        Behind a load balancer or CDN, check that it does not add its own banner.
    """,
    references=("https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_"
                "Application_Security_Testing/01-Information_Gathering/02-Fingerprint_Web_Server",),
    tags=("bssn-k72",),
)
def server_version(ctx: CheckContext) -> Iterator[Issue]:
    """A version number tells an attacker which known vulnerabilities to try
    first, and lets mass scanners list every government server running an old
    release within hours of a disclosure (BSSN K72)."""
    yield from banner_issues(ctx, ("Server",), versionless=None)
