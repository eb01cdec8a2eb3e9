"""errors.path_disclosure"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity

from ._issues import NEEDS, issues


@check(
    id="errors.path_disclosure",
    title="Responses disclose absolute file paths on the server",
    severity=Severity.LOW,
    cwe=(209, 200),
    needs=NEEDS,
    confidence=Confidence.FIRM,
    remediation="""
        Show a generic error page in production and log the details server-side:
          PHP:     display_errors = Off, log_errors = On (php.ini)
          Laravel: APP_DEBUG=false;  Django: DEBUG = False;  Flask: debug off
          ASP.NET: <customErrors mode="RemoteOnly"/>, <httpErrors errorMode="DetailedLocalOnly"/>
          Spring:  server.error.include-stacktrace=never
          nginx:   proxy_intercept_errors on; error_page 500 502 503 /50x.html;
          Apache:  ErrorDocument 500 /error.html
    """,
    references=("https://owasp.org/www-community/attacks/Full_Path_Disclosure",),
)
def path_disclosure(ctx: CheckContext) -> Iterator[Issue]:
    """An absolute path (/home/<account>/public_html/..., C:\\inetpub\\...) tells an
    attacker the hosting account, the layout of the server and where to aim file
    inclusion attacks. Reported only where no stack trace, SQL error or debug page
    already explains the response."""
    yield from issues(ctx, "path_disclosure", exclusive=True)
