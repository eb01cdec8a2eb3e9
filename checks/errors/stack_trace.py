"""errors.stack_trace"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Severity

from ._issues import NEEDS, issues


@check(
    id="errors.stack_trace",
    title="Error responses show stack traces to visitors",
    severity=Severity.MEDIUM,
    cwe=(209, 497),
    needs=NEEDS,
    remediation="""
        Show a generic error page in production and log the details server-side:
          PHP:     display_errors = Off, log_errors = On (php.ini)
          Laravel: APP_DEBUG=false;  Django: DEBUG = False;  Flask: debug off
          ASP.NET: <customErrors mode="RemoteOnly"/>, <httpErrors errorMode="DetailedLocalOnly"/>
          Spring:  server.error.include-stacktrace=never
          nginx:   proxy_intercept_errors on; error_page 500 502 503 /50x.html;
          Apache:  ErrorDocument 500 /error.html
    """,
    references=(
        "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/08-Testing_for_Error_Handling/01-Testing_For_Improper_Error_Handling",
        "https://cwe.mitre.org/data/definitions/209.html",
    ),
)
def stack_trace(ctx: CheckContext) -> Iterator[Issue]:
    """A stack trace names the framework, libraries, source files and code paths
    behind the site, and sometimes values of the failing request; it turns a
    blind attack into a guided one."""
    yield from issues(ctx, "stack_trace")
