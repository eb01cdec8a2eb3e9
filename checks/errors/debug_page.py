"""errors.debug_page"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Judged, Severity

from ._issues import NEEDS, PRODUCTION_ERRORS, issues


@check(
    id="errors.debug_page",
    title="The application runs in debug mode: framework error pages or PHP warnings are shown",
    severity=Severity.HIGH,
    cwe=(489, 215, 209),
    needs=NEEDS,
    judges=Judged.SITE,
    remediation=PRODUCTION_ERRORS,
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
