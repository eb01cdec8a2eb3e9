"""errors.sql_error"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Severity

from ._issues import NEEDS, issues


@check(
    id="errors.sql_error",
    title="Database error messages are shown to visitors",
    severity=Severity.MEDIUM,
    cwe=(209, 89),
    needs=NEEDS,
    remediation="""
        Show a generic error page in production and log the details server-side:
          PHP:     display_errors = Off, log_errors = On (php.ini)
          Laravel: APP_DEBUG=false;  Django: DEBUG = False;  Flask: debug off
          ASP.NET: <customErrors mode="RemoteOnly"/>, <httpErrors errorMode="DetailedLocalOnly"/>
          Spring:  server.error.include-stacktrace=never
          nginx:   proxy_intercept_errors on; error_page 500 502 503 /50x.html;
          Apache:  ErrorDocument 500 /error.html
        Also review the failing query: an SQL error on a malformed parameter often
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
