"""Cookie checks: attributes judged per cookie, names and attributes only in evidence."""

from __future__ import annotations

from dataclasses import replace

from egov_audit.checks.cookies.broad_domain import broad_domain

from egov_audit.demo.server import html, redirect
from egov_audit.model import Severity
from egov_audit.probes.site import Site

from ...conftest import AuditFn, ServeFn, pair
from .._web.helpers import fetched_site, found, run_check
from .._web.servers import HARDENED, PAGE, headers_without, site


def cookie_site(serve: ServeFn, *cookies: str, hsts: bool = True,
                cache: str | None = "no-store") -> object:
    headers = headers_without("Set-Cookie", "Cache-Control",
                              *(() if hsts else ("Strict-Transport-Security",)))
    headers += [("Set-Cookie", c) for c in cookies]
    if cache:
        headers.append(("Cache-Control", cache))
    return site(serve, headers)


def test_secure_missing_severity_follows_cookie_kind_and_hsts(serve: ServeFn,
                                                               audit: AuditFn) -> None:
    # Given a session cookie and a preference cookie without Secure, no HSTS
    target = cookie_site(serve, "PHPSESSID=abcdef0123456789; HttpOnly; SameSite=Lax; Path=/",
                         "bahasa=id; Path=/", hsts=False)
    report = audit([target], checks=["cookies.secure_missing"])
    by_name = {f.details["cookie"]: f for f in found(report, "cookies.secure_missing")}
    # Then the session cookie is HIGH, the other LOW, and no value is shown
    assert by_name["PHPSESSID"].severity is Severity.HIGH
    assert by_name["bahasa"].severity is Severity.LOW
    assert "abcdef0123456789" not in by_name["PHPSESSID"].evidence.text
    assert "PHPSESSID=<16 chars>" in by_name["PHPSESSID"].evidence.text


def test_hsts_lowers_session_cookie_secure_severity(serve: ServeFn, audit: AuditFn) -> None:
    target = cookie_site(serve, "laravel_session=eyJpdiI6; HttpOnly; SameSite=Lax; Path=/")
    report = audit([target], checks=["cookies.secure_missing"])
    (f,) = found(report, "cookies.secure_missing")
    assert f.severity is Severity.MEDIUM


def test_httponly_and_samesite_on_session_cookies_only(serve: ServeFn, audit: AuditFn) -> None:
    # Given a session cookie lacking HttpOnly and SameSite, and Laravel's XSRF-TOKEN,
    # which the page's script must read, also without HttpOnly
    target = cookie_site(serve, "ci_session=a1b2c3; Secure; Path=/",
                         "XSRF-TOKEN=tok123; Secure; SameSite=Lax; Path=/",
                         "tema=gelap; Secure; Path=/")
    report = audit([target], checks=["cookies"])
    assert [f.details["cookie"] for f in found(report, "cookies.httponly_missing")] == [
        "ci_session"]
    assert [f.details["cookie"] for f in found(report, "cookies.samesite")] == ["ci_session"]


def test_samesite_none_without_secure_and_invalid_value(serve: ServeFn, audit: AuditFn) -> None:
    target = cookie_site(serve, "widget=1; SameSite=None; Path=/",
                         "JSESSIONID=9F8E; Secure; HttpOnly; SameSite=Relaxed; Path=/")
    report = audit([target], checks=["cookies.samesite"])
    problems = {f.details["cookie"]: f.details["problem"] for f in found(report,
                                                                          "cookies.samesite")}
    assert problems["widget"].startswith("SameSite=None without Secure")
    assert problems["JSESSIONID"] == "invalid SameSite value 'Relaxed'"


def test_invalid_prefixes(serve: ServeFn, audit: AuditFn) -> None:
    target = cookie_site(
        serve,
        "__Host-sid=x1; Secure; HttpOnly; SameSite=Lax; Path=/app",
        "__Secure-pref=x2; HttpOnly; SameSite=Lax",
        "__host-ok=x3; Secure; HttpOnly; SameSite=Strict; Path=/",
    )
    report = audit([target], checks=["cookies.prefix_invalid"])
    problems = {f.details["cookie"]: f.details["problems"]
                for f in found(report, "cookies.prefix_invalid")}
    assert problems == {"__Host-sid": ["Path is not /"],
                        "__Secure-pref": ["no Secure attribute"]}


def test_broad_domain(serve: ServeFn, audit: AuditFn) -> None:
    # Loopback tests only reach 127.0.0.1, where Domain does not apply; the check is a
    # pure function of the Site snapshot, so it is run here on a snapshot for a named
    # host, built from a real response of a real server.
    https = serve(tls=True)
    cookies = [("Set-Cookie", "SESS=a; Secure; HttpOnly; SameSite=Lax; Domain=.example.go.id"),
               ("Set-Cookie", "lang=id; Secure; Domain=Layanan.Example.go.id"),
               ("Set-Cookie", "foreign=1; Secure; Domain=other.go.id")]
    https.routes["/"] = html(PAGE, headers=headers_without("Set-Cookie") + cookies)
    report = audit([pair(None, https)], checks=["cookies.broad_domain"])
    assert report.findings == ()  # an IP host: Domain cannot widen anything
    real = fetched_site(https.url("/"))
    named = replace(real.https, url="https://layanan.example.go.id/",
                    final_url="https://layanan.example.go.id/")
    issues = run_check(broad_domain, Site(None, named), "layanan.example.go.id")
    assert [(i.key, i.severity, i.details["domain"]) for i in issues] == [
        ("SESS", Severity.MEDIUM, "example.go.id")]


def test_cookie_set_on_redirect_hop_is_judged(serve: ServeFn, audit: AuditFn) -> None:
    # Given the session cookie is set on the 302 to the login page, not on the page
    https = serve(tls=True)
    https.routes["/"] = redirect(https.url("/login"), status=302, headers=[
        ("Set-Cookie", "PHPSESSID=deadbeef; Path=/")])
    https.routes["/login"] = html(PAGE, headers=headers_without("Set-Cookie"))
    report = audit([pair(None, https)], checks=["cookies"])
    names = {(f.check, f.details["cookie"]) for f in report.findings}
    assert ("cookies.secure_missing", "PHPSESSID") in names
    assert ("cookies.httponly_missing", "PHPSESSID") in names
    # the redirect had no Cache-Control: a cache could keep the session
    assert ("cookies.session_cacheable", "PHPSESSID") in names


def test_session_cacheable_severity(serve: ServeFn, audit: AuditFn) -> None:
    cookie = "sessionid=q; Secure; HttpOnly; SameSite=Lax; Path=/"
    public = cookie_site(serve, cookie, cache="public, max-age=600")
    private = cookie_site(serve, cookie, cache="private, no-cache")
    fine = cookie_site(serve, cookie, cache="no-store, private")
    report = audit([public, private, fine], checks=["cookies.session_cacheable"])
    sev = {f.target: f.severity for f in report.findings}
    assert sev == {public.spec: Severity.MEDIUM, private.spec: Severity.LOW}  # type: ignore[attr-defined]


def test_hardened_cookie_passes(serve: ServeFn, audit: AuditFn) -> None:
    report = audit([site(serve, HARDENED)], checks=["cookies"])
    assert report.findings == ()
