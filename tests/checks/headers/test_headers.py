"""Header checks against real loopback servers, one variant of the hardened page each."""

from __future__ import annotations

import pytest

from egov_audit.demo.server import html, redirect
from egov_audit.model import Severity, Status

from ...conftest import AuditFn, ServeFn, pair
from .._web.helpers import checks_failed, found, status
from .._web.servers import HARDENED, PAGE, STRICT_CSP, headers_without, site


def test_missing_csp_is_reported_once(serve: ServeFn, audit: AuditFn) -> None:
    # Given the hardened page without its CSP
    target = site(serve, headers_without("Content-Security-Policy"))
    # When the headers family runs
    report = audit([target], checks=["headers"])
    # Then only csp_missing fires; the directive checks skip, framing is covered by XFO
    (finding,) = found(report, "headers.csp_missing")
    assert finding.severity is Severity.MEDIUM
    assert status(report, "headers.csp_unsafe_inline") is Status.SKIPPED
    assert checks_failed(report) == {"headers.csp_missing", "headers.grade"}


def test_report_only_policy_is_not_protection(serve: ServeFn, audit: AuditFn) -> None:
    target = site(serve, headers_without(
        "Content-Security-Policy",
        replace={"Content-Security-Policy-Report-Only": STRICT_CSP}))
    report = audit([target], checks=["headers.csp_*"])
    assert found(report, "headers.csp_report_only")
    assert not found(report, "headers.csp_missing")


@pytest.mark.parametrize(
    ("csp", "expected"),
    [
        ("default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; "
         "base-uri 'none'; frame-ancestors 'none'", {"headers.csp_unsafe_inline"}),
        ("default-src 'self'; script-src 'self' 'unsafe-inline' 'nonce-Zm9v'; "
         "object-src 'none'; base-uri 'none'; frame-ancestors 'none'", set()),
        ("default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'; "
         "base-uri 'none'; frame-ancestors 'none'", {"headers.csp_unsafe_eval"}),
        ("default-src 'self'; script-src https: data:; object-src 'none'; base-uri 'none'; "
         "frame-ancestors 'none'", {"headers.csp_insecure_sources"}),
        ("default-src *; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
         {"headers.csp_insecure_sources"}),
        ("frame-ancestors 'none'; base-uri 'none'",
         {"headers.csp_insecure_sources", "headers.csp_object_src"}),
        ("default-src 'self'; frame-ancestors 'none'",
         {"headers.csp_object_src", "headers.csp_base_uri"}),
        # odd casing, spacing and a later duplicate that would be unsafe: still strict
        ("  DEFAULT-SRC   'none' ;SCRIPT-SRC 'SELF';;; script-src * 'unsafe-inline'; "
         "Object-Src 'none'; BASE-URI 'none';frame-ancestors 'none'", set()),
    ],
)
def test_csp_directive_judgements(serve: ServeFn, audit: AuditFn, csp: str,
                                  expected: set[str]) -> None:
    target = site(serve, headers_without(replace={"Content-Security-Policy": csp}))
    report = audit([target], checks=["headers.csp_*"])
    failed = {c for c in checks_failed(report) if c.startswith("headers.csp_")}
    assert failed == expected


def test_meta_csp_counts_for_scripts_but_not_for_framing(serve: ServeFn, audit: AuditFn) -> None:
    # Given a page whose only CSP is a <meta> that tries to set frame-ancestors
    meta = ('<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
            'object-src \'none\'; base-uri \'none\'; frame-ancestors \'none\'">')
    body = PAGE.replace("<title>", meta + "<title>")
    target = site(serve, headers_without("Content-Security-Policy", "X-Frame-Options"), body)
    report = audit([target], checks=["headers"])
    # Then the meta policy satisfies the script checks, is reported as LOW (it relies
    # on a directive browsers ignore there), and the page is framable
    assert not found(report, "headers.csp_missing")
    (meta_f,) = found(report, "headers.csp_meta")
    assert meta_f.severity is Severity.LOW
    assert meta_f.details["ignored_directives"] == ["frame-ancestors"]
    assert found(report, "headers.clickjacking")


@pytest.mark.parametrize(
    ("replace", "drop", "clickjacking"),
    [
        ({}, ("X-Frame-Options", "Content-Security-Policy"), True),
        ({"X-Frame-Options": "ALLOW-FROM https://portal.example.go.id"},
         ("Content-Security-Policy",), True),
        ({"Content-Security-Policy": "default-src 'self'; frame-ancestors *"}, (), True),
        ({"Content-Security-Policy": "frame-ancestors 'self'"}, ("X-Frame-Options",), False),
        ({"X-Frame-Options": "sameorigin"}, ("Content-Security-Policy",), False),
    ],
)
def test_clickjacking(serve: ServeFn, audit: AuditFn, replace: dict[str, str],
                      drop: tuple[str, ...], clickjacking: bool) -> None:
    target = site(serve, headers_without(*drop, replace=replace))
    report = audit([target], checks=["headers.clickjacking"])
    assert bool(found(report, "headers.clickjacking")) is clickjacking


def test_xfo_without_frame_ancestors_is_info(serve: ServeFn, audit: AuditFn) -> None:
    csp = STRICT_CSP.replace("frame-ancestors 'none'; ", "")
    target = site(serve, headers_without(replace={"Content-Security-Policy": csp}))
    report = audit([target], checks=["headers"])
    (f,) = found(report, "headers.csp_frame_ancestors")
    assert f.severity is Severity.INFO
    assert not found(report, "headers.clickjacking")


def test_simple_headers_missing_or_wrong(serve: ServeFn, audit: AuditFn) -> None:
    # Given nosniff misspelt, a leaking referrer policy, no Permissions-Policy, no COOP/CORP
    target = site(serve, headers_without(
        "Permissions-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy",
        replace={"X-Content-Type-Options": "no-sniff", "Referrer-Policy": "unsafe-url"},
    ), data_classification="personal")
    report = audit([target], checks=["headers"])
    assert found(report, "headers.nosniff_missing")[0].details["value"] == "no-sniff"
    (ref,) = found(report, "headers.referrer_policy_unsafe")
    assert ref.severity is Severity.MEDIUM  # personal-data service, full URLs leak
    assert not found(report, "headers.referrer_policy_missing")
    assert found(report, "headers.permissions_policy_missing")[0].severity is Severity.LOW
    (iso,) = found(report, "headers.cross_origin_isolation")
    assert iso.severity is Severity.INFO
    assert set(iso.details["missing"]) == {"Cross-Origin-Opener-Policy",
                                           "Cross-Origin-Resource-Policy"}


def test_referrer_policy_last_valid_token_and_meta(serve: ServeFn, audit: AuditFn) -> None:
    # "unsafe-url, bogus" → unsafe-url is the last recognised token; a missing header
    # with a <meta name="referrer"> is not "missing"
    target = site(serve, headers_without(replace={"Referrer-Policy": "no-referrer, unsafe-url, "
                                                                     "bogus"}))
    body = PAGE.replace("<title>", '<meta name="referrer" content="no-referrer"><title>')
    target2 = site(serve, headers_without("Referrer-Policy"), body)
    report = audit([target, target2], checks=["headers.referrer_*"])
    by_target = {(f.target, f.check) for f in report.findings}
    assert (target.spec, "headers.referrer_policy_unsafe") in by_target
    assert not [f for f in report.findings if f.target == target2.spec]


def test_headers_of_the_final_page_count_not_the_redirect(serve: ServeFn, audit: AuditFn) -> None:
    # Given an HTTPS entry that redirects (bare, no headers) to a hardened page
    https = serve(tls=True)
    https.routes["/"] = redirect(https.url("/beranda"))
    https.routes["/beranda"] = html(PAGE, headers=HARDENED)
    report = audit([pair(None, https)], checks=["headers"])
    # Then no "missing header" finding comes from the redirect response
    assert {f.severity for f in report.findings} <= {Severity.INFO}


def test_error_page_is_not_judged(serve: ServeFn, audit: AuditFn) -> None:
    https = serve(tls=True)
    https.routes["/"] = html("<h1>502</h1>", status=502)
    report = audit([pair(None, https)], checks=["headers.csp_missing"])
    assert report.findings == ()
    assert status(report, "headers.csp_missing") is Status.SKIPPED


@pytest.mark.parametrize(
    ("hsts", "missing"),
    [
        ("max-age=63072000; includeSubDomains; preload", []),
        ("max-age=31536000; includeSubDomains", ["preload"]),
        ("max-age=86400; preload", ["max-age ≥ 31536000", "includeSubDomains"]),
    ],
)
def test_hsts_preload_readiness(serve: ServeFn, audit: AuditFn, hsts: str,
                                missing: list[str]) -> None:
    target = site(serve, headers_without(replace={"Strict-Transport-Security": hsts}))
    report = audit([target], checks=["headers.hsts_preload_ready"])
    findings = found(report, "headers.hsts_preload_ready")
    assert (findings[0].details["missing"] if findings else []) == missing


def test_json_api_entry_point_is_not_asked_for_page_headers(serve: ServeFn,
                                                            audit: AuditFn) -> None:
    # Given an API whose entry point answers JSON without any security header
    from egov_audit.demo.server import Response

    https = serve({"/": Response(200, [("Content-Type", "application/json")], '{"ok": true}')},
                  tls=True)
    report = audit([pair(None, https)], checks=["headers"])
    # Then page-only headers are skipped, and nosniff (which protects JSON) is still asked
    for check_id in ("headers.csp_missing", "headers.clickjacking",
                     "headers.permissions_policy_missing", "headers.referrer_policy_missing"):
        assert status(report, check_id) is Status.SKIPPED
    assert found(report, "headers.nosniff_missing")


def test_preload_readiness_needs_http_to_redirect(serve: ServeFn, audit: AuditFn) -> None:
    # Given a perfect HSTS header, but plain HTTP serving the page instead of redirecting
    https = serve({"/": html(PAGE, headers=HARDENED)}, tls=True)
    http = serve({"/": html(PAGE)})
    report = audit([pair(http, https)], checks=["headers.hsts_preload_ready"])
    (f,) = found(report, "headers.hsts_preload_ready")
    assert f.details["missing"] == ["first redirect from HTTP goes to HTTPS"]
