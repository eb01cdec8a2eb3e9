"""Pages that collect personal data: transport, URLs, trackers and the privacy notice."""

from __future__ import annotations

from urllib.parse import unquote, unquote_plus

import pytest

from egov_audit.demo.server import html
from egov_audit.model import Severity

from ...conftest import AuditFn, ServeFn, pair

NIK_FORM = ('<form method="post" action="{action}"><input name="nama"><input name="nik">'
            '<input name="no_hp" type="tel"><button>Kirim</button></form>')
PRIVACY_LINK = '<a href="/kebijakan-privasi">Kebijakan Privasi</a>'
# A tracker loader on a reserved, never-resolving host (tests name no real host).
TRACKER = '<script async src="https://tags.example.invalid/gtag/js?id=G-TEST"></script>'


def checks_of(report):  # type: ignore[no-untyped-def]
    return sorted(f.check for f in report.findings)


def test_form_collecting_nik_over_plain_http(serve: ServeFn, audit: AuditFn) -> None:
    # Given a plain-HTTP-only service whose form asks for NIK and phone
    http = serve()
    http.routes["/"] = html(NIK_FORM.format(action="/daftar") + PRIVACY_LINK)
    # When the pii family runs
    report = audit([pair(http, None)], checks=["pii.form_plain_http"])
    (finding,) = report.findings
    # Then the form is reported, with the identifier fields it collects
    assert finding.severity is Severity.HIGH
    assert finding.details["fields"] == ["nik", "no_hp"]
    assert finding.details["page_plain_http"] is True


def test_https_form_posting_to_http(serve: ServeFn, audit: AuditFn) -> None:
    https = serve(tls=True)
    https.routes["/"] = html(NIK_FORM.format(action="http://127.0.0.1:9/simpan") + PRIVACY_LINK)
    report = audit([pair(None, https)], checks=["pii.form_plain_http"])
    (finding,) = report.findings
    assert finding.details["action_plain_http"] is True
    assert finding.details["page_plain_http"] is False


def test_https_form_with_notice_and_no_tracker_is_clean(serve: ServeFn, audit: AuditFn) -> None:
    https = serve({"/": html(NIK_FORM.format(action="/daftar") + PRIVACY_LINK),
                   "/kebijakan-privasi": html("<h1>Kebijakan Privasi</h1>")}, tls=True)
    report = audit([pair(None, https)], checks=["pii"])
    assert report.findings == ()


def test_tracker_and_missing_notice_on_collecting_page(serve: ServeFn, audit: AuditFn) -> None:
    https = serve({"/": html('<a href="/daftar">Daftar</a>'),
                   "/daftar": html(NIK_FORM.format(action="/simpan") + TRACKER)}, tls=True)
    report = audit([pair(None, https)], checks=["pii"])
    assert checks_of(report) == ["pii.privacy_notice_missing", "pii.tracker_on_form"]
    tracker = next(f for f in report.findings if f.check == "pii.tracker_on_form")
    assert tracker.details["trackers"] == ["tags.example.invalid"]
    assert tracker.location.endswith("/daftar")
    notice = next(f for f in report.findings if f.check == "pii.privacy_notice_missing")
    assert notice.severity is Severity.MEDIUM  # no notice anywhere on the site


def test_notice_elsewhere_but_not_linked_from_form_is_low(serve: ServeFn,
                                                          audit: AuditFn) -> None:
    https = serve({"/": html('<a href="/daftar">Daftar</a> ' + PRIVACY_LINK),
                   "/kebijakan-privasi": html("<title>Kebijakan Privasi</title>"),
                   "/daftar": html(NIK_FORM.format(action="/simpan"))}, tls=True)
    report = audit([pair(None, https)], checks=["pii.privacy_notice_missing"])
    (finding,) = report.findings
    assert finding.severity is Severity.LOW
    assert finding.details["pages"][0].endswith("/daftar")


def test_identifiers_in_urls_and_get_forms(serve: ServeFn, audit: AuditFn) -> None:
    nik = "1271014508900001"
    https = serve({"/": html(f'<a href="/cek?nik={nik}">status</a>'
                             '<form method="get" action="/cari"><input name="nik"></form>'
                             + PRIVACY_LINK),
                   "/cek": html("<p>Status: diproses</p>")}, tls=True)
    report = audit([pair(None, https)], checks=["pii.identifier_in_url"])
    assert len(report.findings) == 2
    query = next(f for f in report.findings if "parameters" in f.details)
    assert query.details["parameters"] == ["nik"] and query.details["counts"] == {"nik": 1}
    assert nik not in query.location and nik not in query.evidence.text
    form = next(f for f in report.findings if "parameters" not in f.details)
    assert form.details["method"] == "get"


@pytest.mark.parametrize("query", [
    "%33%31%37%31%30%31%34%35%30%38%39%30%30%30%30%31",  # percent, every digit
    "3171+0145+0890+0001",  # plus for spaces
    "%2533%2531%2537%2531%2530%2531%2534%2535%2530%2538%2539%2530%2530%2530%2530%2531",
    "3171%2E0145%2E0890%2E0001",  # dots, percent-encoded
])
def test_encoded_identifiers_in_urls_are_found_and_printed_masked(
        serve: ServeFn, audit: AuditFn, query: str) -> None:
    # Given a link whose query carries a NIK in an encoded form
    https = serve({"/": html(f'<a href="/cek?nik={query}">status</a>' + PRIVACY_LINK),
                   "/cek": html("<p>Status: diproses</p>")}, tls=True)
    # When the check runs
    report = audit([pair(None, https)], checks=["pii.identifier_in_url"])
    (finding,) = report.findings
    # Then the NIK is reported, and the printed URL is masked in every reading of it
    assert finding.details["counts"] == {"nik": 1}
    for text in (finding.location, finding.evidence.text):
        readings = {text, unquote(text), unquote(unquote(text)), unquote_plus(text)}
        assert not any("3171014508900001" in r.replace(" ", "").replace(".", "")
                       for r in readings), text
        assert "3171**********01" in text
