"""Hygiene checks: methods, security.txt, SRI, mixed content and the tracker inventory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from egov_audit.checks.hygiene._third_party import trackers

from egov_audit.demo.server import Request, Response, html, redirect
from egov_audit.model import Confidence, Severity, Status

from ...conftest import AuditFn, ServeFn, pair
from .._web.helpers import found, status
from .._web.servers import HARDENED, PAGE, security_txt, site


def test_advertised_methods_are_reported_without_being_sent(serve: ServeFn,
                                                            audit: AuditFn) -> None:
    # Given a server whose OPTIONS answer advertises TRACE, PUT and DELETE
    def handler(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(200, [("Allow", "GET, HEAD, POST, PUT, DELETE, TRACE, OPTIONS"),
                                  ("Access-Control-Allow-Methods", "GET, POST, PROPFIND")])
        return html(PAGE, headers=HARDENED)

    https = serve({"/": handler}, tls=True)
    report = audit([pair(None, https)], checks=["hygiene.http_methods"])
    (f,) = found(report, "hygiene.http_methods")
    assert f.details["methods"] == ["TRACE", "PUT", "DELETE", "PROPFIND"]
    assert f.confidence is Confidence.TENTATIVE
    # Then only safe methods ever reached the server
    assert {r.method for r in https.requests} <= {"GET", "HEAD", "OPTIONS"}


def test_allow_with_safe_methods_only(serve: ServeFn, audit: AuditFn) -> None:
    https = serve({"/": lambda r: Response(405 if r.method == "OPTIONS" else 200,
                                           [("Allow", "GET, HEAD, POST")], "x")}, tls=True)
    report = audit([pair(None, https)], checks=["hygiene.http_methods"])
    assert report.findings == ()


def test_security_txt_missing_on_catch_all_site(serve: ServeFn, audit: AuditFn) -> None:
    # Given a site that answers 200 with its home page for every path
    https = serve(tls=True, fallback=html(PAGE, headers=HARDENED))
    http = serve(fallback=redirect(https.url("/")))
    report = audit([pair(http, https)], checks=["hygiene.security_txt_*"])
    # Then the home page is not mistaken for a security.txt
    assert found(report, "hygiene.security_txt_missing")
    assert status(report, "hygiene.security_txt_expired") is Status.SKIPPED


@pytest.mark.parametrize(
    ("resp", "expected"),
    [
        (security_txt(expires=datetime.now(UTC) - timedelta(days=3)),
         {"hygiene.security_txt_expired"}),
        (security_txt(contact=False), {"hygiene.security_txt_no_contact"}),
        (Response(200, [("Content-Type", "text/plain")], "Contact: mailto:csirt@example.go.id\n"
                  "Expires: 2030-13-45\n"), {"hygiene.security_txt_expired"}),
        (Response(200, [("Content-Type", "text/plain")],
                  "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
                  "Contact: https://example.go.id/lapor\nExpires: "
                  + (datetime.now(UTC) + timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%S+07:00")
                  + "\n-----BEGIN PGP SIGNATURE-----\nContact: fake\n"
                  "-----END PGP SIGNATURE-----\n"),
         set()),
    ],
)
def test_security_txt_contents(serve: ServeFn, audit: AuditFn, resp: Response,
                               expected: set[str]) -> None:
    target = site(serve, security=resp)
    report = audit([target], checks=["hygiene.security_txt_*"])
    assert {f.check for f in report.findings} == expected


def test_security_txt_only_over_http(serve: ServeFn, audit: AuditFn) -> None:
    https = serve({"/": html(PAGE, headers=HARDENED)}, tls=True)
    http = serve({"/": redirect(https.url("/")), "/.well-known/security.txt": security_txt()})
    report = audit([pair(http, https)], checks=["hygiene.security_txt_*"])
    assert {f.check for f in report.findings} == {"hygiene.security_txt_not_https"}


SRI_PAGE = """<!doctype html><html><head>
<script src="https://cdn.example.invalid/jquery-3.7.1.min.js"></script>
<script src="https://cdn.example.invalid/pinned.js" integrity="sha384-abc" crossorigin></script>
<script src="/local.js"></script>
<link rel="stylesheet" href="https://cdn.example.invalid/bootstrap.css">
</head><body>ok</body></html>"""


def test_sri_missing_on_third_party_scripts_and_styles(serve: ServeFn, audit: AuditFn) -> None:
    report = audit([site(serve, HARDENED, SRI_PAGE)], checks=["hygiene.sri_missing"])
    got = {f.details["resource"]: f.severity for f in found(report, "hygiene.sri_missing")}
    # pinned and local resources pass
    assert got == {"https://cdn.example.invalid/jquery-3.7.1.min.js": Severity.MEDIUM,
                   "https://cdn.example.invalid/bootstrap.css": Severity.LOW}


MIXED_PAGE = """<!doctype html><html><head>
<script src="http://static.example.invalid/app.js"></script></head><body>
<img src="http://static.example.invalid/logo.png"><img src="/ok.png">
<form action="http://static.example.invalid/kirim" method="post"><input name="nik"></form>
</body></html>"""


def test_mixed_content(serve: ServeFn, audit: AuditFn) -> None:
    report = audit([site(serve, HARDENED, MIXED_PAGE)], checks=["hygiene.mixed_content"])
    got = {f.details["tag"]: f.severity for f in found(report, "hygiene.mixed_content")}
    assert got == {"script": Severity.MEDIUM, "img": Severity.LOW, "form": Severity.MEDIUM}


def test_mixed_content_not_judged_on_plain_http_page(serve: ServeFn, audit: AuditFn) -> None:
    http = serve({"/": html(MIXED_PAGE)})
    report = audit([pair(http, None)], checks=["hygiene.mixed_content"])
    assert status(report, "hygiene.mixed_content") is Status.SKIPPED


def test_tracker_inventory_from_settings(serve: ServeFn, audit: AuditFn) -> None:
    # Tests use reserved names only, so the trackers come from the extra_trackers setting
    page = """<html><head><script src="https://stats.tracker.invalid/t.js"></script>
    <script>(function(){var s=document.createElement('script');
    s.src='https://px.other-tracker.invalid/p.js';document.head.appendChild(s);})();</script>
    </head><body>ok</body></html>"""
    extra = [{"name": "Test Analytics", "vendor": "Test Inc.", "country": "US",
              "hosts": ["tracker.invalid"]},
             {"name": "Test Pixel", "vendor": "Pixel Ltd", "country": "SG",
              "hosts": ["other-tracker.invalid"], "category": "advertising"}]
    report = audit([site(serve, HARDENED, page)], checks=["hygiene"],
                   settings={"hygiene": {"extra_trackers": extra}})
    inv = {f.details["tracker"]: f for f in found(report, "hygiene.third_party_trackers")}
    assert set(inv) == {"Test Analytics", "Test Pixel"}
    assert inv["Test Pixel"].evidence.text.endswith("an inline tag snippet")
    assert all(f.severity is Severity.INFO for f in inv.values())
    # a tracker's script is inventoried, not reported again as missing SRI
    assert not found(report, "hygiene.sri_missing")


def test_builtin_tracker_data_is_well_formed() -> None:
    builtin = trackers()
    assert len(builtin) >= 10
    assert all(t.hosts and t.vendor and t.country for t in builtin)
    for t in builtin:  # subdomains match, look-alike suffixes do not
        assert t.matches_host("www." + t.hosts[0])
        assert not t.matches_host(t.hosts[0] + ".look-alike.invalid")


def test_security_txt_not_reported_missing_when_https_does_not_answer(
    serve: ServeFn, audit: AuditFn
) -> None:
    # Given an HTTPS origin that stopped answering (a plain-HTTP one still answers)
    https = serve({"/": html(PAGE)}, tls=True)
    http = serve({"/": html(PAGE)})
    target = pair(http, https)
    https.stop()
    report = audit([target], checks=["hygiene.security_txt_missing"])
    # Then "missing" is not claimed; the check reports that it could not judge
    assert report.findings == ()
    assert status(report, "hygiene.security_txt_missing") is Status.ERROR
