"""HTTPS transport checks against real loopback HTTP and HTTPS servers."""

from __future__ import annotations

from egov_audit.demo.server import html, redirect
from egov_audit.model import Finding, RunReport, Severity, Status

from ...conftest import AuditFn, ServeFn, pair

HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def by_check(report: RunReport, check_id: str) -> list[Finding]:
    return [f for f in report.findings if f.check == check_id]


def status_of(report: RunReport, check_id: str) -> Status:
    (result,) = [r for r in report.results if r.check == check_id]
    return result.status


def test_well_configured_site_has_no_transport_findings(serve: ServeFn, audit: AuditFn) -> None:
    # Given HTTP that redirects to HTTPS on the same host, and HTTPS with a one-year HSTS
    https = serve({"/": html("<h1>ok</h1>", headers=[HSTS])}, tls=True)
    http = serve({"/": redirect(https.url("/"))})
    # When the HTTPS family runs
    report = audit([pair(http, https)], checks=["https"])
    # Then every check passes
    assert report.findings == ()
    assert {r.status for r in report.results} == {Status.PASS}


def test_plain_http_with_form_is_high_and_missing_hsts_is_reported(
    serve: ServeFn, audit: AuditFn
) -> None:
    page = html('<form action="/login"><input name="nik"></form>')
    https = serve({"/": page}, tls=True)
    http = serve({"/": page})
    report = audit([pair(http, https)], checks=["https"])
    (plain,) = by_check(report, "https.plain_http_served")
    assert plain.severity is Severity.HIGH
    assert "contains a form" in plain.evidence.text
    assert by_check(report, "https.hsts_missing")
    # HSTS details checks have nothing to judge without a header
    assert status_of(report, "https.hsts_short_max_age") is Status.SKIPPED


def test_password_field_outside_a_form_is_rated_like_one_inside(
    serve: ServeFn, audit: AuditFn
) -> None:
    # Given a plain-HTTP page whose password field sits in no <form> (a script posts it)
    page = html('<div id="login"><input name="user"><input TYPE = "Password" name="pw">'
                '<button onclick="send()">Masuk</button></div>')
    https = serve({"/": page}, tls=True)
    http = serve({"/": page})
    # When the HTTPS family runs
    report = audit([pair(http, https)], checks=["https"])
    # Then plain HTTP is rated high, as it is for a form
    (plain,) = by_check(report, "https.plain_http_served")
    assert plain.severity is Severity.HIGH
    assert "has a password field" in plain.evidence.text
    assert plain.details["password_field"] is True and plain.details["form"] is False


def test_password_field_scan_is_bounded_per_tag() -> None:
    from egov_audit.checks.https.plain_http_served import has_password_field

    assert has_password_field(b"<p><input class=x type=password></p>")
    assert not has_password_field(b"<input type=text>type=password")
    # "<input" repeated without ">" costs a bounded look each, not the rest of the page
    assert not has_password_field(b"<input " * 200_000)


def test_redirect_through_plain_http_hop(serve: ServeFn, audit: AuditFn) -> None:
    https = serve({"/": html("ok", headers=[HSTS])}, tls=True)
    http = serve()
    http.routes["/"] = redirect(http.url("/step"))
    http.routes["/step"] = redirect(https.url("/"))
    report = audit([pair(http, https)], checks=["https"])
    (finding,) = by_check(report, "https.redirect_via_http")
    assert "/step" in finding.evidence.text
    assert finding.details["plain_http_hops"] == [http.url("/step")]


def test_short_max_age_and_no_subdomains(serve: ServeFn, audit: AuditFn) -> None:
    https = serve({"/": html("ok", headers=[("Strict-Transport-Security", "max-age=86400")])},
                  tls=True)
    http = serve({"/": redirect(https.url("/"))})
    report = audit([pair(http, https)], checks=["https"])
    assert by_check(report, "https.hsts_short_max_age")[0].details["max_age"] == 86400
    assert by_check(report, "https.hsts_no_include_subdomains")
    assert not by_check(report, "https.hsts_missing")


def test_hsts_max_age_zero_disables_policy(serve: ServeFn, audit: AuditFn) -> None:
    https = serve({"/": html("ok", headers=[("Strict-Transport-Security", "max-age=0")])},
                  tls=True)
    report = audit([pair(None, https)], checks=["https.hsts_short_max_age"])
    (finding,) = report.findings
    assert finding.severity is Severity.MEDIUM
    assert "disabled" in finding.evidence.text


def test_hsts_sent_only_over_http(serve: ServeFn, audit: AuditFn) -> None:
    https = serve({"/": html("ok")}, tls=True)
    http = serve({"/": html("ok", headers=[HSTS])})
    report = audit([pair(http, https)], checks=["https.hsts_over_http_only"])
    assert [f.check for f in report.findings] == ["https.hsts_over_http_only"]


def test_redirect_off_host_is_recorded_but_not_followed(serve: ServeFn, audit: AuditFn) -> None:
    # 127.0.0.2 is loopback too, but not in the audit scope
    elsewhere = serve({"/": html("elsewhere")}, host="127.0.0.2")
    http = serve({"/": redirect(elsewhere.url("/"))})
    report = audit([pair(http, None)], checks=["https.redirect_off_host"])
    (finding,) = report.findings
    assert elsewhere.url("/") in finding.evidence.text
    assert elsewhere.requests == []  # never contacted: out of scope


def test_https_port_closed_is_unavailable(serve: ServeFn, audit: AuditFn) -> None:
    http = serve({"/": html("plain only")})
    https = serve(tls=True)
    target = pair(http, https)
    https.stop()  # the port is now closed
    report = audit([target], checks=["https.unavailable"])
    (finding,) = report.findings
    assert "connection refused" in finding.evidence.text
