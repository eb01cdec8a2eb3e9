"""Report language: message catalogues (gettext .po files) looked up by English msgid.

Two domains live under ``locale/<lang>/LC_MESSAGES/``:

* ``report.po`` — headings, labels and sentences of the report formats
  themselves; every one must be translated (a test enforces it).
* ``checks.po`` — check titles, descriptions and remediation, keyed by the
  English text the check declares. Families land over time, so a missing
  translation falls back to English instead of failing.

The .po files are read directly with babel at first use (a few milliseconds),
so no compiled .mo file can drift from its source.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources

from egov_audit.errors import InputError

LANGUAGES = ("en", "id")
DOMAINS = ("report", "checks")


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


# Labels used through lookup tables; marked so the extractor sees them.
SEVERITY_LABELS: Mapping[str, str] = {
    "critical": N_("Critical"),
    "high": N_("High"),
    "medium": N_("Medium"),
    "low": N_("Low"),
    "info": N_("Info"),
}
STATUS_LABELS: Mapping[str, str] = {
    "pass": N_("Pass"),
    "fail": N_("Fail"),
    "error": N_("Error"),
    "skipped": N_("Skipped"),
    "incomplete": N_("Incomplete"),
    "not_assessed": N_("Not assessed"),
    "ok": N_("OK"),
    "partial": N_("Partial"),
}
EFFORT_LABELS: Mapping[str, str] = {
    "low": N_("Low effort"),
    "medium": N_("Medium effort"),
    "high": N_("High effort"),
}
# Compliance verdicts are Indonesian terms of art in the result (BSSN/SPBE index
# wording); English reports show an English label.
VERDICT_LABELS: Mapping[str, str] = {
    "Memadai": N_("Adequate"),
    "Perlu Peningkatan": N_("Needs improvement"),
    "Tidak Memadai": N_("Inadequate"),
}
CONFIDENCE_LABELS: Mapping[str, str] = {
    "certain": N_("Certain"),
    "firm": N_("Firm"),
    "tentative": N_("Tentative"),
}


def _key(text: str) -> str:
    # Trailing blanks and line-ending styles must not defeat a lookup.
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


@cache
def catalogue(lang: str, domain: str) -> Mapping[str, str]:
    """msgid → translation for one language and domain; empty for English."""
    if lang == "en":
        return {}
    from babel.messages.pofile import read_po

    node = resources.files("egov_audit.reports").joinpath(
        f"locale/{lang}/LC_MESSAGES/{domain}.po"
    )
    if not node.is_file():
        return {}
    with node.open("rb") as fh:
        parsed = read_po(fh, locale=lang, domain=domain)
    table: dict[str, str] = {}
    for message in parsed:
        if not message.id or message.fuzzy or not isinstance(message.id, str):
            continue
        if isinstance(message.string, str) and message.string:
            table[_key(message.id)] = message.string
    return table


class Translator:
    """Texts of one report language; English is the source and the fallback."""

    def __init__(self, lang: str = "en") -> None:
        if lang not in LANGUAGES:
            raise InputError(f"unsupported report language {lang!r}",
                             expected="one of " + ", ".join(LANGUAGES))
        self.lang = lang

    def gettext(self, message: str) -> str:
        """A report heading or label."""
        return catalogue(self.lang, "report").get(_key(message), message)

    def text(self, message: str) -> str:
        """A check text (title, description, remediation) or a plan action."""
        if not message:
            return message
        return catalogue(self.lang, "checks").get(_key(message), message)

    def severity(self, value: str) -> str:
        return self.gettext(SEVERITY_LABELS.get(value, value))

    def status(self, value: str) -> str:
        return self.gettext(STATUS_LABELS.get(value, value))

    def effort(self, value: str) -> str:
        return self.gettext(EFFORT_LABELS.get(value, value))

    def verdict(self, value: str) -> str:
        return self.gettext(VERDICT_LABELS.get(value, value))

    def confidence(self, value: str) -> str:
        return self.gettext(CONFIDENCE_LABELS.get(value, value))


__all__ = ["DOMAINS", "LANGUAGES", "N_", "Translator", "catalogue"]
