"""errors.debug_page"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Severity

from ._issues import NEEDS, issues


@check(
    id="errors.debug_page",
    title="The application runs in debug mode: framework error pages or PHP warnings are shown",
    severity=Severity.HIGH,
    cwe=(489, 215, 209),
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
        "https://docs.djangoproject.com/en/stable/ref/settings/#debug",
        "https://laravel.com/docs/configuration#debug-mode",
        "https://www.php.net/manual/en/errorfunc.configuration.php#ini.display-errors",
    ),
)
def debug_page(ctx: CheckContext) -> Iterator[Issue]:
    """Framework debug pages (Django DEBUG, Werkzeug, Laravel Whoops/Ignition,
    Symfony, ASP.NET detailed errors) print source code, settings and often
    environment variables with passwords; some offer code execution. PHP
    warnings printed into pages show the same carelessness on a smaller scale."""
    yield from issues(ctx, "debug_page")
