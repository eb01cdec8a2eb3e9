"""errors.stack_trace"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Judged, Severity

from ._issues import NEEDS, PRODUCTION_ERRORS, issues


@check(
    id="errors.stack_trace",
    title="Error responses show stack traces to visitors",
    severity=Severity.MEDIUM,
    cwe=(209, 497),
    needs=NEEDS,
    judges=Judged.SITE,
    remediation=PRODUCTION_ERRORS,
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
