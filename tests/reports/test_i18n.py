"""Message catalogues: report headings fully translated, check texts by msgid with fallback."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from egov_audit.reports.i18n import Translator, catalogue
from egov_audit.reports.i18n_tool import check_messages, package_dir, report_messages

from egov_audit.errors import InputError


def _po(domain: str) -> dict[str, str]:
    path = package_dir() / "locale" / "id" / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id and not m.fuzzy}


def test_every_report_heading_has_an_indonesian_translation() -> None:
    # Given every message the templates and renderers use
    used = report_messages()
    assert "Remediation plan" in used and "Page" in used  # extraction covers .j2 and .py
    # When compared with the Indonesian report catalogue
    po = _po("report")
    missing = [m for m in used if not po.get(m)]
    # Then nothing is missing (run python -m egov_audit.reports.i18n_tool, then translate)
    assert missing == []


def test_check_text_coverage_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    # Check families land over time: coverage is reported, never a failure...
    texts = check_messages()
    po = _po("checks")
    done = [t for t in texts if po.get(t)]
    with capsys.disabled():
        print(f"\n[i18n] Indonesian check texts: {len(done)}/{len(texts)} translated")
    # ...except that the https family (complete when catalogues were written) stays translated
    tr = Translator("id")
    from egov_audit.registry import load_catalogue

    for cid, reg in load_catalogue().checks.items():
        if cid.startswith("https."):
            meta = reg.check.meta
            assert tr.text(meta.title) != meta.title, cid
            assert tr.text(meta.remediation) != meta.remediation, cid


def test_translations_keep_placeholders() -> None:
    # A translation that drops %(n)d would crash the renderer at runtime
    import re

    po = _po("report")
    for msgid, msgstr in po.items():
        if msgstr:
            assert re.findall(r"%\(\w+\)\w", msgid) == re.findall(r"%\(\w+\)\w", msgstr), msgid


def test_missing_translation_falls_back_to_english() -> None:
    tr = Translator("id")
    assert tr.text("A check text nobody translated yet") == "A check text nobody translated yet"
    assert tr.gettext("Summary") == "Ringkasan"
    assert Translator("en").gettext("Summary") == "Summary"
    assert tr.severity("high") == "Tinggi"


def test_unknown_language_is_an_input_error() -> None:
    with pytest.raises(InputError):
        Translator("fr")


def test_lookup_tolerates_trailing_whitespace() -> None:
    assert catalogue("id", "report")
    assert Translator("id").gettext("Summary\n") == "Ringkasan"
