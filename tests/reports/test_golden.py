"""Golden files per format: any change to a rendered report shows up as a reviewed diff.

Regenerate after an intended change with ``EGOV_AUDIT_REGEN_GOLDEN=1 pytest tests/reports``.
The PDF is compared by its extracted text (its bytes carry font subsets and ids),
ignoring white space, which PDF text extractors place by heuristics.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from egov_audit.reports import get_renderer

from egov_audit.model import RunReport

from .conftest import GoldenFn

TEXT_FORMATS = [
    ("json", "en"), ("html", "en"), ("html", "id"), ("markdown", "en"), ("markdown", "id"),
    ("csv", "en"), ("junit", "en"), ("sarif", "en"), ("defectdojo", "en"),
]


@pytest.mark.parametrize(("fmt", "lang"), TEXT_FORMATS)
def test_format_matches_golden(report: RunReport, golden: GoldenFn, fmt: str, lang: str) -> None:
    renderer = get_renderer(fmt)
    text = renderer.render(report, lang=lang).decode("utf-8")
    golden(f"{lang}-{renderer.filename}", text)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_pdf_text_matches_golden(report: RunReport, golden: GoldenFn, lang: str) -> None:
    from egov_audit.reports.pdf_report import font_dir
    from pypdf import PdfReader

    if font_dir() is None:
        pytest.skip("PDF golden text assumes DejaVu (Debian: apt-get install fonts-dejavu-core)")
    data = get_renderer("pdf").render(report, lang=lang)
    text = "\n".join(p.extract_text() or "" for p in PdfReader(BytesIO(data)).pages)
    golden(f"{lang}-report.pdf.txt", text, layout_insensitive=True)


def test_rendering_is_deterministic(report: RunReport) -> None:
    for fmt in ("html", "sarif", "junit", "csv", "markdown", "defectdojo"):
        r = get_renderer(fmt)
        assert r.render(report) == r.render(report), fmt
