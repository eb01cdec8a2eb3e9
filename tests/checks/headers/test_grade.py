"""The Observatory-style grade: hardened A+, bare F, and modifiers that explain the score."""

from __future__ import annotations

from egov_audit.checks.headers._grade import grade_for

from egov_audit.demo.server import html

from ...conftest import AuditFn, ServeFn, pair
from .._web.helpers import found
from .._web.servers import PAGE, headers_without, reflect_origin, site


def grade_of(report):  # type: ignore[no-untyped-def]
    (g,) = found(report, "headers.grade")
    return g.details


def test_bands_match_the_observatory() -> None:
    assert [grade_for(s) for s in (140, 100, 97, 90, 85, 80, 70, 65, 60, 50, 45, 40, 30, 25,
                                   24, 0)] == [
        "A+", "A+", "A", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F", "F"]


def test_bare_plain_http_site_gets_f(serve: ServeFn, audit: AuditFn) -> None:
    # Given a plain-HTTP-only site with a session cookie and no security headers
    http = serve({"/": html(PAGE, headers=[("Set-Cookie", "PHPSESSID=x1; Path=/")])})
    report = audit([pair(http, None)], checks=["headers.grade"])
    details = grade_of(report)
    assert details["grade"] == "F"
    tests = {m["test"]: m["score"] for m in details["modifiers"]}
    assert tests["csp"] == -25 and tests["hsts"] == -20 and tests["cookies"] == -40


def test_reflected_cors_costs_fifty_points_and_bonuses_are_withheld(
    serve: ServeFn, audit: AuditFn
) -> None:
    # Given a hardened page that reflects origins with credentials
    https = serve({"/": reflect_origin(credentials=True)}, tls=True)  # type: ignore[dict-item]
    report = audit([pair(None, https)], checks=["headers.grade"])
    details = grade_of(report)
    # Then the penalty-only score is 50, under 90, so no bonus is added: grade C
    assert details["score"] == 50
    assert details["grade"] == "C"
    assert "cors any origin reflected with credentials (-50)" in found(
        report, "headers.grade")[0].evidence.text


def test_missing_csp_and_nosniff(serve: ServeFn, audit: AuditFn) -> None:
    target = site(serve, headers_without("Content-Security-Policy", "X-Content-Type-Options"))
    details = grade_of(audit([target], checks=["headers.grade"]))
    # 100 - 25 - 5 = 70 < 90, bonuses withheld → B
    assert (details["score"], details["grade"]) == (70, "B")
