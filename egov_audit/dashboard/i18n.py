"""The dashboard's language: its own labels, then the report catalogues.

Labels the reports already translate (severities, statuses, BSSN verdicts,
check titles and remediation) come from :mod:`egov_audit.reports.i18n`, so a
finding reads the same on the page and in the PDF. Words only the dashboard
uses live in ``locale/id/LC_MESSAGES/dashboard.po`` beside this module.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("en", "id")

__all__ = ["LANGUAGES", "DashboardTranslator", "dashboard_catalogue"]


def _key(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


@cache
def dashboard_catalogue(lang: str) -> Mapping[str, str]:
    """msgid → translation of the dashboard's own labels; empty for English."""
    if lang == "en":
        return {}
    from babel.messages.pofile import read_po

    node = resources.files("egov_audit.dashboard").joinpath(
        f"locale/{lang}/LC_MESSAGES/dashboard.po")
    if not node.is_file():
        return {}
    with node.open("rb") as fh:
        parsed = read_po(fh, locale=lang, domain="dashboard")
    return {_key(m.id): m.string for m in parsed
            if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string
            and not m.fuzzy}


class DashboardTranslator:
    """The report translator (kept whole, by composition: mypy sees the report
    packages only as top-level ``reports``), with the dashboard's labels first."""

    def __init__(self, lang: str = "en") -> None:
        # Through importlib: the renderers install as egov_audit.reports from the
        # top-level reports/ folder, which mypy checks under that name only.
        translator = importlib.import_module("egov_audit.reports.i18n").Translator

        self.lang = lang if lang in LANGUAGES else "en"
        self._report: Any = translator(self.lang)

    def gettext(self, message: str) -> str:
        own = dashboard_catalogue(self.lang).get(_key(message))
        return own if own is not None else str(self._report.gettext(message))

    def text(self, message: str) -> str:
        """A check's title, description or remediation."""
        return str(self._report.text(message))

    def severity(self, value: str) -> str:
        return str(self._report.severity(value))

    def status(self, value: str) -> str:
        return str(self._report.status(value))

    def verdict(self, value: str) -> str:
        return str(self._report.verdict(value))
