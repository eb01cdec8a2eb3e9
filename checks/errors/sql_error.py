"""errors.sql_error"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Judged, Severity

from ._issues import NEEDS, PRODUCTION_ERRORS, issues


@check(
    id="errors.sql_error",
    title="Database error messages are shown to visitors",
    severity=Severity.MEDIUM,
    cwe=(209, 89),
    needs=NEEDS,
    judges=Judged.SITE,
    remediation=PRODUCTION_ERRORS
    + """Also review the failing query: an SQL error on a malformed parameter often
means the value reaches the query unparameterised (use prepared statements).
""",
    references=(
        "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/08-Testing_for_Error_Handling/01-Testing_For_Improper_Error_Handling",
        "https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html",
    ),
)
def sql_error(ctx: CheckContext) -> Iterator[Issue]:
    """SQL errors reveal table and column names and the database engine; on a
    benign malformed parameter they usually mean user input reaches the query
    directly, the precondition for SQL injection (not tested here)."""
    yield from issues(ctx, "sql_error")
