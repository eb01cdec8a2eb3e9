"""Mixed content outside the HTML: the icons a browser fetches on its own."""

from __future__ import annotations

from egov_audit.demo.server import Response, html, redirect
from egov_audit.model import Severity

from ...conftest import AuditFn, ServeFn, pair
from .._web.servers import HARDENED

CLEAN_PAGE = "<!doctype html><html><head><title>Layanan</title></head><body>ok</body></html>"
ICON = Response(200, [("Content-Type", "image/x-icon")], b"\x00\x00\x01\x00")


def test_a_favicon_redirected_to_plain_http_is_mixed_content(serve: ServeFn,
                                                             audit: AuditFn) -> None:
    # Given an HTTPS page whose markup is clean, but whose /favicon.ico (which every
    # browser requests by itself) redirects to the plain-HTTP side of the host
    http = serve({"/favicon.ico": ICON})
    https = serve({"/": html(CLEAN_PAGE, headers=list(HARDENED)),
                   "/favicon.ico": redirect(http.url("/favicon.ico")),
                   "/apple-touch-icon.png": ICON}, tls=True)
    http.routes["/"] = redirect(https.url("/"))
    # When mixed content is judged
    report = audit([pair(http, https)], checks=["hygiene.mixed_content"])
    # Then the favicon is reported as passive mixed content, and nothing else is
    findings = [f for f in report.findings if f.check == "hygiene.mixed_content"]
    (finding,) = findings
    assert finding.severity is Severity.LOW
    assert finding.details["resource"] == http.url("/favicon.ico")
    assert finding.details["tag"] == "implicit"
    assert "favicon.ico" in finding.evidence.text


def test_an_icon_redirect_that_stays_on_https_is_fine(serve: ServeFn, audit: AuditFn) -> None:
    https = serve({"/": html(CLEAN_PAGE, headers=list(HARDENED)),
                   "/favicon.ico": redirect("/static/favicon.ico"),
                   "/static/favicon.ico": ICON}, tls=True)
    report = audit([pair(None, https)], checks=["hygiene.mixed_content"])
    assert [f for f in report.findings if f.check == "hygiene.mixed_content"] == []
