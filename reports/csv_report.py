"""One row per finding, for spreadsheets.

Column names are stable machine keys (English) so imports and formulas keep
working whatever ``--lang`` was; the cell texts are translated. The file starts
with a UTF-8 byte-order mark so spreadsheet programs read Indonesian text and
"→" correctly.

Every field is quoted. Excel splits an unquoted line on the list separator of
the reader's locale, which is ``;`` in Indonesia: ``x;=HYPERLINK(…)`` would
become a second cell holding a formula. Inside quotes the whole field is one
cell whatever the separator, so a ``;`` or ``,`` in the middle of a value is
harmless and is kept as it is. What quoting does not stop is a cell that
*starts* like a formula: Excel evaluates ``"=1+1"`` just the same. Text cells
that start with ``= + - @``, a tab or a carriage return (after any leading
spaces, and in their full-width forms) get a leading ``'`` as OWASP
recommends. The numeric columns we compute ourselves (risk score and rank) are
written as plain numbers and never prefixed, so a spreadsheet still sorts them.
"""

from __future__ import annotations

import csv
import io
import math

from egov_audit.model import RunReport

from .view import build_view

COLUMNS = (
    "id", "check", "title", "severity", "confidence", "cwe", "target", "service", "opd",
    "location", "evidence", "controls", "remediation", "risk_score", "risk_rank",
)

# Added only when the run was given a suppression file, so a run without one
# keeps exactly the columns above. "suppression" is "active" (muted, not
# counted by the gate), "expired" (a rule matched but no longer applies) or empty.
SUPPRESSION_COLUMNS = ("suppression", "suppression_justification", "suppression_approver",
                       "suppression_expires")

# ASCII starters plus their full-width forms, which some Excel versions accept too.
_FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def cell(value: object) -> str:
    """Text a spreadsheet shows, never evaluates (OWASP CSV injection guidance)."""
    text = "" if value is None else str(value)
    first = text.lstrip(" ")[:1]
    return "'" + text if first and first in _FORMULA_START else text


def number(value: float | int | None, digits: int | None = None) -> str:
    """A number we computed, as a spreadsheet should read it; empty when there is none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return f"{value:.{digits}f}" if digits is not None else str(int(value))


class CsvRenderer:
    name = "csv"
    filename = "findings.csv"

    def render(self, report: RunReport, *, lang: str = "en") -> bytes:
        v = build_view(report, lang)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        writer.writerow(COLUMNS + (SUPPRESSION_COLUMNS if v.has_suppressions else ()))
        for f in v.findings:
            raw = f.finding
            text = [cell(x) for x in (
                raw.id, raw.check, f.title, raw.severity.value, raw.confidence.value,
                ";".join(f"CWE-{c}" for c in raw.cwe), raw.target, f.service, f.opd,
                raw.location, raw.evidence.text, ";".join(raw.controls), f.remediation_head,
            )]
            extra: list[str] = []
            if v.has_suppressions:
                rule = f.suppression or f.expired
                extra = [("active" if f.suppression else "expired") if rule else "",
                         *(cell(x) for x in ((rule.justification, rule.approver, rule.expires)
                                             if rule else ("", "", "")))]
            writer.writerow([*text, number(f.risk, 1), number(f.rank), *extra])
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
