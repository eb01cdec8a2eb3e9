"""PDF for auditors, drawn with fpdf2 (pure Python, no browser, no native libraries).

Text is real, extractable text in an embedded Unicode TrueType font (DejaVu,
Debian package ``fonts-dejavu-core``), so Indonesian text, "→" and masked
values survive copy-and-paste and search. Without such a font the report falls
back to the PDF core fonts and transliterates what Latin-1 cannot show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from egov_audit.model import RunReport

from .pdf_text import FONT_FILES, font_dir, wrap
from .view import ReportView, build_view

if TYPE_CHECKING:
    from fpdf import FPDF

SEVERITY_RGB = {"critical": (127, 29, 29), "high": (220, 38, 38), "medium": (217, 119, 6),
                "low": (37, 99, 235), "info": (107, 114, 128)}
ACCENT = (15, 76, 129)
_LATIN1_SWAPS = {"→": "->", "–": "-", "—": "-", "…": "...", "·": "-", "×": "x", "≥": ">=",
                 "“": '"', "”": '"', "‘": "'", "’": "'"}


class _Doc:
    """Thin drawing helpers over FPDF that keep the report code readable."""

    def __init__(self, v: ReportView) -> None:
        from fpdf import FPDF

        self.v = v
        self._widths: dict[tuple[str, str, float], dict[str, float]] = {}
        _ = v.tr.gettext
        page_label = _("Page")
        title = _("Security and data-protection audit report")

        class Pdf(FPDF):
            def footer(self) -> None:
                self.set_y(-12)
                self.set_font(doc.sans, "", 7.5)
                self.set_text_color(107, 114, 128)
                self.cell(0, 5, doc.t(f"{title} · {page_label} {self.page_no()}/{{nb}}"),
                          align="C")

        doc = self
        self.pdf: FPDF = Pdf(format="A4")
        pdf = self.pdf
        pdf.set_auto_page_break(True, margin=16)
        pdf.set_margins(16, 16, 16)
        directory = font_dir()
        self.unicode = directory is not None
        if directory is not None:
            pdf.add_font("DejaVu", "", str(directory / FONT_FILES[""]))
            pdf.add_font("DejaVu", "B", str(directory / FONT_FILES["B"]))
            pdf.add_font("DejaVuMono", "", str(directory / FONT_FILES["mono"]))
            self.sans, self.mono = "DejaVu", "DejaVuMono"
        else:
            self.sans, self.mono = "helvetica", "courier"
        pdf.set_title(title)
        pdf.set_author("egov-audit")
        pdf.set_lang(v.lang)
        pdf.set_creator(f"egov-audit {v.report.tool.get('version', '')}")
        pdf.set_creation_date(_parse_time(v.report.run.finished_at))

    def t(self, text: Any) -> str:
        s = str(text)
        if self.unicode:
            return s
        for a, b in _LATIN1_SWAPS.items():
            s = s.replace(a, b)
        return s.encode("latin-1", "replace").decode("latin-1")

    def heading(self, text: str, size: float = 14) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(self.sans, "B", size)
        pdf.set_text_color(*ACCENT)
        pdf.multi_cell(0, size * 0.5, self.t(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(31, 41, 55)
        pdf.ln(1)

    def para(self, text: str, size: float = 9.5, style: str = "",
             colour: tuple[int, int, int] = (31, 41, 55)) -> None:
        pdf = self.pdf
        pdf.set_font(self.sans, style, size)
        pdf.set_text_color(*colour)
        self._emit(self.t(text), size * 0.5)
        pdf.set_text_color(31, 41, 55)

    def block(self, text: str) -> None:
        """Monospaced, shaded, wrapped anywhere (evidence, snippets)."""
        pdf = self.pdf
        pdf.set_font(self.mono, "", 7.8)
        pdf.set_fill_color(243, 244, 246)
        pdf.ln(0.8)
        self._emit(self.t(text.rstrip()) or " ", 3.9, fill=True)
        pdf.ln(2)

    def _emit(self, text: str, line_h: float, *, fill: bool = False) -> None:
        """Write pre-wrapped lines with cell(): fpdf2's multi_cell re-measures the
        growing line for every character (quadratic), which made a 2,000-finding
        report take minutes; measuring each word once keeps it linear."""
        pdf = self.pdf
        width = pdf.w - pdf.l_margin - pdf.r_margin - 2 * pdf.c_margin
        for line in wrap(text, width, self._measure()):
            pdf.cell(0, line_h, line, new_x="LMARGIN", new_y="NEXT", fill=fill)

    def _measure(self) -> Callable[[str], float]:
        """Width of a string in the current font, from cached per-character widths
        (get_string_width itself is slow per call; fpdf2 does not kern by default)."""
        pdf = self.pdf
        key = (pdf.font_family, pdf.font_style, pdf.font_size_pt)
        widths = self._widths.setdefault(key, {})

        def measure(text: str) -> float:
            total = 0.0
            for ch in text:
                w = widths.get(ch)
                if w is None:
                    w = widths[ch] = pdf.get_string_width(ch)
                total += w
            return total

        return measure

    def table(self, rows: list[list[str]], widths: tuple[float, ...], size: float = 8.2) -> None:
        pdf = self.pdf
        pdf.set_font(self.sans, "", size)
        pdf.set_draw_color(209, 213, 219)
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=size * 0.52,
                       headings_style=_headings_style(), first_row_as_headings=True,
                       padding=1.2) as table:
            for row in rows:
                r = table.row()
                for value in row:
                    r.cell(self.t(value))
        pdf.ln(2)


def _headings_style() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(241, 245, 249))


def _parse_time(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return datetime(1970, 1, 1)


class PdfRenderer:
    name = "pdf"
    filename = "report.pdf"

    def render(self, report: RunReport, *, lang: str = "en") -> bytes:
        v = build_view(report, lang)
        doc = _Doc(v)
        doc.pdf.add_page()
        _cover(doc)
        _summary(doc)
        _compliance(doc)
        _plan(doc)
        _findings(doc)
        return bytes(doc.pdf.output())


def _cover(doc: _Doc) -> None:
    v, _ = doc.v, doc.v.tr.gettext
    r = v.report
    doc.heading(_("Security and data-protection audit report"), 18)
    doc.para(f"{_('Tool')}: {r.tool.get('name', '')} {r.tool.get('version', '')}   "
             f"{_('Run')}: {r.run.id}", 8.5, colour=(75, 85, 99))
    doc.para(f"{_('Started')}: {r.run.started_at}   {_('Finished')}: {r.run.finished_at}   "
             f"{_('Duration')}: {r.run.duration_s:.1f} s", 8.5, colour=(75, 85, 99))
    doc.para(f"{_('Catalogue hash')}: {r.catalogue.get('sha256', '')}", 7.5,
             colour=(107, 114, 128))
    doc.pdf.ln(2)


def _summary(doc: _Doc) -> None:
    v, _ = doc.v, doc.v.tr.gettext
    doc.heading(_("Summary"))
    if v.report.incomplete:
        doc.para(_("This run is incomplete: some targets or checks could not be assessed. "
                   "Absence of a finding there is not evidence of safety."), 9, "B",
                 colour=(185, 28, 28))
    doc.para(f"{_('Targets')}: {len(v.targets)}   {_('Findings')}: {len(v.findings)}   "
             f"{_('Checks passed')}: {v.results.get('pass', 0)}/{len(v.report.results)}")
    doc.pdf.ln(1)
    doc.table([[_("Severity"), _("Findings")],
               *([v.tr.severity(s), str(n)] for s, n in v.by_severity.items())], (3, 1))
    rows = [[_("Unit (OPD)"), *(v.tr.severity(s) for s in v.by_severity), _("Findings")]]
    for g in v.opds:
        rows.append([g.name, *(str(g.counts[s]) for s in v.by_severity), str(g.total)])
    doc.table(rows, (8, 3, 3, 3, 3, 3, 3))
    rows = [[_("Target"), _("Service"), _("Status"), _("Failed"), _("Errors")]]
    for t in v.targets:
        rows.append([t["spec"], t["service"], t["status_label"], str(t["failed"]),
                     str(t["errors"])])
    doc.table(rows, (10, 8, 4, 3, 3))


def _compliance(doc: _Doc) -> None:
    v, _ = doc.v, doc.v.tr.gettext
    if not v.packs:
        return
    doc.heading(_("Compliance"))
    for p in v.packs:
        version = f" ({p.version})" if p.version else ""
        doc.para(f"{p.title}{version}", 10.5, "B")
        verdict = f" — {_('Verdict')}: {p.verdict}" if p.verdict else ""
        doc.para(f"{_('Passed')}: {p.summary['pass']} · {_('Failed')}: {p.summary['fail']} · "
                 f"{_('Incomplete')}: {p.summary['incomplete']} · {_('Not assessed')}: "
                 f"{p.summary['not_assessed']}{verdict}", 9)
        rows = [[_("Control"), _("Title"), _("Status"), _("Findings")]]
        rows += [[c.id, c.title, c.status_label, str(len(c.findings))] for c in p.controls]
        doc.table(rows, (3, 12, 4, 3))


def _plan(doc: _Doc) -> None:
    v, _ = doc.v, doc.v.tr.gettext
    if not v.plan:
        return
    doc.heading(_("Remediation plan"))
    doc.para(_("Actions are grouped by the fix that clears them and ordered by the risk "
               "they remove."), 9, colour=(75, 85, 99))
    for note in v.plan_notes:
        doc.para(note, 9, "B", colour=(185, 28, 28))
    rows = [["#", _("Action"), _("Severity"), _("Findings"), _("Hosts"), _("Effort"), _("Due")]]
    for item in v.plan:
        action = (f"{_('Containment')}: " if item.containment else "") + item.action
        rows.append([str(item.number), action, item.severity_label, str(item.findings),
                     str(len(item.hosts)), item.effort, item.due or "–"])
    doc.table(rows, (1.2, 10, 3, 3, 2.4, 3, 3.4))
    for item in v.plan:
        if item.summary or item.snippets:
            doc.para(f"{item.number}. {item.action}", 9, "B")
        if item.summary:
            doc.para(item.summary, 8.5)
        for server, snippet in sorted(item.snippets.items()):
            doc.para(server, 8, colour=(75, 85, 99))
            doc.block(snippet)


def _findings(doc: _Doc) -> None:
    v, _ = doc.v, doc.v.tr.gettext
    doc.heading(_("Finding details"))
    if not v.findings:
        doc.para(_("No findings."))
    for i, f in enumerate(v.findings, start=1):
        raw = f.finding
        if doc.pdf.get_y() > doc.pdf.h - 60:
            doc.pdf.add_page()
        muted = f.suppression is not None
        doc.para(f"{i}. [{f.severity_label}] {f.title}", 10.5, "B",
                 colour=(107, 114, 128) if muted else SEVERITY_RGB.get(f.severity, (31, 41, 55)))
        if f.suppression is not None:
            rule = f.suppression
            doc.para(f"{_('Suppressed findings')}: {rule.justification} ({_('Approver')}: "
                     f"{rule.approver}, {_('Expires')}: {rule.expires})", 8.5,
                     colour=(107, 114, 128))
        facts = [
            f"{_('Check')}: {raw.check}   {_('Finding ID')}: {raw.id}",
            f"{_('Unit (OPD)')}: {f.opd}   {_('Service')}: {f.service}",
            f"{_('Location')}: {raw.location}",
            f"{_('Confidence')}: {f.confidence_label}"
            + (f"   CWE: {', '.join(f'CWE-{c}' for c in raw.cwe)}" if raw.cwe else "")
            + (f"   {_('Risk score')}: {f.risk:.1f}" if f.risk is not None else ""),
        ]
        if raw.controls:
            facts.append(f"{_('Controls')}: {', '.join(raw.controls)}")
        doc.para("\n".join(facts), 8.2, colour=(75, 85, 99))
        if f.why:
            doc.para(f"{_('Why this rank')}: {f.why}", 8.5)
        if f.description:
            doc.para(f.description, 9)
        doc.para(_("Evidence (redacted)"), 8.5, "B")
        doc.block(raw.evidence.text)
        doc.para(_("Remediation"), 8.5, "B")
        doc.block(f.remediation)
        if raw.references:
            doc.para(f"{_('References')}: " + " ".join(raw.references), 7.5,
                     colour=(75, 85, 99))
        doc.pdf.ln(2)
    if v.expired_suppressions:
        doc.heading(_("Expired suppressions"), 11)
        doc.para(_("These suppressions have expired and no longer apply: the findings "
                   "they matched count again."), 9)
        for rule in v.expired_suppressions:
            doc.para(f"{rule.check} · {rule.target}: {rule.justification} ({_('Approver')}: "
                     f"{rule.approver}, {_('Expires')}: {rule.expires}, {_('Findings')}: "
                     f"{len(rule.findings)})", 8.5)
