"""HTML report: self-contained, escaped, grouped by unit and service, print-friendly."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from egov_audit.reports.html_report import HtmlRenderer, safe_url

from egov_audit.errors import InputError
from egov_audit.model import Evidence, RunReport

from .factory import without_extensions


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: bytes) -> _Collector:
    c = _Collector()
    c.feed(html.decode("utf-8"))
    return c


def test_script_in_evidence_stays_inert(report: RunReport) -> None:
    # Given evidence scraped from a hostile page
    bad = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'
    f = report.outcomes[0].findings[0]
    evil = replace(f, evidence=Evidence(bad), location='https://127.0.0.1/"><script>x()</script>')
    outcome = replace(report.outcomes[0], findings=(evil, *report.outcomes[0].findings[1:]))
    hostile = replace(report, outcomes=(outcome, *report.outcomes[1:]))
    # When rendered
    html = HtmlRenderer().render(hostile)
    # Then no script element or event handler exists; the text is shown escaped
    doc = parse(html)
    assert not [t for t, _ in doc.tags if t == "script"]
    assert not [a for _, attrs in doc.tags for a in attrs if a.startswith("on")]
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert bad in "".join(doc.text)


def test_report_is_self_contained(report: RunReport) -> None:
    html = HtmlRenderer().render(report)
    doc = parse(html)
    # No element that would load anything: no script, no stylesheet link, no remote image
    assert not [t for t, _ in doc.tags if t in {"script", "link", "iframe", "object", "embed"}]
    for tag, attrs in doc.tags:
        if tag in {"img", "source", "video", "audio"}:
            assert (attrs.get("src") or "").startswith("data:")
    assert not re.search(rb"url\(\s*['\"]?(https?:)?//", html)
    assert not re.search(rb"@import", html)
    # CSS and charts are inline; a CSP forbids any remote load even if one slipped through
    assert b"<style>" in html and b"<svg" in html
    assert b"default-src 'none'" in html
    assert b"@media print" in html


def test_sections_per_unit_service_plan_and_compliance(report: RunReport) -> None:
    html = HtmlRenderer().render(report).decode()
    for text in ("Dinas Dukcapil", "DPMPTSP", "Unassigned unit", "Portal Layanan Kependudukan",
                 "Remediation plan", "Enable HSTS in the web server configuration",
                 "UU PDP Pasal 46", "BSSN SPBE security", "Encrypt data in transit",
                 "Not assessed", "Why this rank", "3171****01"):
        assert text in html, text
    # Snippets are shown for the plan item that has them
    assert "add_header Strict-Transport-Security" in html
    # Findings are ordered by risk rank: the rank-1 finding's details come first
    details = html[html.index('id="details"'):]
    assert details.index("f-f0000000000000000001") < details.index("f-f0000000000000000004")


def test_renders_without_extensions(report: RunReport) -> None:
    html = HtmlRenderer().render(without_extensions(report)).decode()
    assert 'id="plan"' not in html and 'id="compliance"' not in html
    assert "Risk score" not in html
    assert "Finding details" in html and "f0000000000000000001" in html


@pytest.mark.parametrize(("section", "value", "field"), [
    ("plan", {"items": ["x", {"action": 3}], "notes": []}, "extensions.plan.items[0]"),
    ("compliance", {"p": "not a mapping"}, "extensions.compliance.p"),
    ("risk", {"f0000000000000000001": {"score": "high"}},
     "extensions.risk.f0000000000000000001.score"),
])
def test_extensions_of_unexpected_shape_are_an_input_error_naming_the_field(
        report: RunReport, section: str, value: object, field: str) -> None:
    # Given a stored result whose post-run section a hand or a tool has mangled
    odd = replace(report, extensions={**report.extensions, section: value})
    # Then rendering it is refused as bad input that says where, not rendered half-empty
    with pytest.raises(InputError, match=re.escape(field) + " is"):
        HtmlRenderer().render(odd)


def test_indonesian_headings_and_check_texts(report: RunReport) -> None:
    html = HtmlRenderer().render(report, lang="id").decode()
    assert '<html lang="id">' in html
    assert "Rencana perbaikan" in html and "Rincian temuan" in html
    assert "Respons HTTPS tidak mengirim Strict-Transport-Security (HSTS)" in html
    assert "Enkripsi data saat transmisi" in html  # control title_id
    assert "Remediation plan" not in html


def test_only_http_links_are_clickable() -> None:
    assert safe_url("javascript:alert(1)") == "#"
    assert safe_url("https://cwe.mitre.org/") == "https://cwe.mitre.org/"
