"""One row per finding, for spreadsheets.

Column names are stable machine keys (English) so imports and formulas keep
working whatever ``--lang`` was; the cell texts are translated. The file starts
with a UTF-8 byte-order mark so spreadsheet programs read Indonesian text and
"→" correctly. Cells that a spreadsheet would run as a formula are defused.
"""

from __future__ import annotations

import csv
import io

from egov_audit.model import RunReport

from .view import build_view

COLUMNS = (
    "id", "check", "title", "severity", "confidence", "cwe", "target", "service", "opd",
    "location", "evidence", "controls", "remediation", "risk_score", "risk_rank",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """Text a spreadsheet shows, never evaluates (OWASP CSV injection guidance)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class CsvRenderer:
    name = "csv"
    filename = "findings.csv"

    def render(self, report: RunReport, *, lang: str = "en") -> bytes:
        v = build_view(report, lang)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for f in v.findings:
            raw = f.finding
            writer.writerow([cell(x) for x in (
                raw.id, raw.check, f.title, raw.severity.value, raw.confidence.value,
                ";".join(f"CWE-{c}" for c in raw.cwe), raw.target, f.service, f.opd,
                raw.location, raw.evidence.text, ";".join(raw.controls), f.remediation_head,
                f"{f.risk:.1f}" if f.risk is not None else "",
                f.rank if f.rank is not None else "",
            )])
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
