"""Markdown for merge requests and PDF for auditors."""

from __future__ import annotations

import re
from dataclasses import replace
from io import BytesIO

import pytest
from egov_audit.reports.markdown_report import MarkdownRenderer, md
from egov_audit.reports.pdf_report import PdfRenderer, font_dir

from egov_audit.model import Evidence, RunReport

from .factory import without_extensions


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)


def test_markdown_is_compact_and_ordered(report: RunReport) -> None:
    text = MarkdownRenderer().render(report).decode()
    assert text.startswith("## Security and data-protection audit report")
    assert "| Critical | High | Medium | Low | Info |" in text
    lines = text.splitlines()
    first_row = next(ln for ln in lines if ln.startswith("| 1 |"))
    assert "Plain HTTP serves content" in first_row and "91.5" in first_row
    assert "1. **Containment:** Take the form" in text
    assert len(text) < 4000  # fits a merge-request comment


def test_markdown_escapes_table_breakers_and_html(report: RunReport) -> None:
    f = report.outcomes[0].findings[0]
    service = replace(report.outcomes[0].target.service, name="A | B <img src=x onerror=y>")
    target = replace(report.outcomes[0].target, service=service)
    o = replace(report.outcomes[0], target=target, findings=(f,))
    text = MarkdownRenderer().render(replace(report, outcomes=(o,))).decode()
    row = next(ln for ln in text.splitlines() if ln.startswith("| 1 |"))
    assert row.count(" | ") == 5  # the pipe in the name did not add a column
    assert not re.search(r"(?<!\\)<img", text) and r"\<img" in text
    assert md("a\nb") == "a b"


def test_markdown_without_extensions(report: RunReport) -> None:
    text = MarkdownRenderer().render(without_extensions(report)).decode()
    assert "Remediation plan" not in text and "Risk score" not in text
    assert "Fix first" in text


def test_pdf_text_is_extractable_in_both_languages(report: RunReport) -> None:
    # Given the report with every section
    en = pdf_text(PdfRenderer().render(report))
    # Then headings, compliance, plan and findings are all searchable text
    for text in ("Security and data-protection audit report", "Summary", "Compliance",
                 "BSSN SPBE security", "Remediation plan", "Enable HSTS in the web server",
                 "Finding details", "3171****01", "f0000000000000000004"):
        assert text in en, text
    idn = pdf_text(PdfRenderer().render(report, lang="id"))
    for text in ("Laporan audit keamanan dan pelindungan data", "Ringkasan", "Kepatuhan",
                 "Rencana perbaikan", "Enkripsi data saat transmisi"):
        assert text in idn, text


def test_pdf_keeps_unicode_with_a_unicode_font(report: RunReport) -> None:
    if font_dir() is None:
        pytest.skip("no DejaVu TrueType font (Debian: apt-get install fonts-dejavu-core)")
    text = pdf_text(PdfRenderer().render(report))
    assert "→" in text and "3 × 24" in text


def test_pdf_core_font_fallback_transliterates(report: RunReport,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a machine without DejaVu
    monkeypatch.setenv("EGOV_AUDIT_PDF_FONT_DIR", "/nonexistent")
    monkeypatch.setattr("egov_audit.reports.pdf_text.FONT_DIRS", ())
    font_dir.cache_clear()
    try:
        f = report.outcomes[0].findings[0]
        o = replace(report.outcomes[0], findings=(replace(f, evidence=Evidence("a → b ✓")),))
        text = pdf_text(PdfRenderer().render(replace(report, outcomes=(o,))))
    finally:
        font_dir.cache_clear()
    # Then the PDF is still produced and readable
    assert "a -> b ?" in text


def test_pdf_without_extensions_and_findings(report: RunReport) -> None:
    empty = replace(without_extensions(report),
                    outcomes=tuple(replace(o, findings=()) for o in report.outcomes))
    text = pdf_text(PdfRenderer().render(empty))
    assert "No findings." in text and "Remediation plan" not in text


def test_markdown_pipe_in_location_does_not_split_the_row(report: RunReport) -> None:
    f = replace(report.outcomes[0].findings[0], location="https://127.0.0.1/a|b`c")
    o = replace(report.outcomes[0], findings=(f,))
    text = MarkdownRenderer().render(replace(report, outcomes=(o,))).decode()
    row = next(ln for ln in text.splitlines() if ln.startswith("| 1 |"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 7  # 6 columns → 7 unescaped pipes


def test_wrap_keeps_indentation_and_cuts_overlong_words() -> None:
    from egov_audit.reports.pdf_text import wrap

    lines = wrap("  nginx: add_header X\n" + "a" * 25 + " bb", 10.0, lambda s: float(len(s)))
    assert lines[0].startswith("  nginx:")
    assert all(len(line) <= 10 for line in lines)
    assert lines[3:] == ["a" * 10, "a" * 10, "aaaaa bb"]
