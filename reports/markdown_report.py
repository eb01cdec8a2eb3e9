"""Compact Markdown for merge-request comments: summary, top findings, plan head.

GitLab and GitHub render comments as Markdown with inline HTML allowed, so
every value from a scan is escaped: table cells cannot break out of their row
and a ``<script>`` in evidence stays text.
"""

from __future__ import annotations

import re

from egov_audit.model import RunReport

from .view import ReportView, build_view

TOP_FINDINGS = 10
PLAN_HEAD = 5

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: object) -> str:
    """Escape for a Markdown table cell or line: no markup, no HTML, one line."""
    flat = " ".join(str(text).split())
    return _SPECIAL.sub(r"\\\1", flat).replace("&", "&amp;")


_BACKTICK_RUN = re.compile(r"`+")


def code(text: object) -> str:
    """Inline code span that no value can close early (CommonMark 6.1).

    A code span ends at the first backtick run exactly as long as its opening
    one, so the fence is one backtick longer than the longest run inside; a
    space pads each side (CommonMark strips one from each side again) so that a
    value starting or ending with a backtick cannot merge with the fence. A
    pipe is escaped because GitHub and GitLab split table cells on it even
    inside code.
    """
    flat = " ".join(str(text).split()).replace("|", "\\|")
    if not flat:
        return ""
    longest = max((len(run) for run in _BACKTICK_RUN.findall(flat)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {flat} {fence}" if longest else f"`{flat}`"


def _changes(v: ReportView) -> list[str]:
    """Since the previous run in the history store, when ``egov-audit run`` recorded it."""
    c = v.changes
    if c is None:
        return []
    _ = v.tr.gettext
    out = [f"**{_('Since the previous run')}** ({code(c.previous_run)}): "
           f"{_('New since the previous run')}: {c.new} · "
           f"{_('Back since the previous run')}: {c.regressed} · "
           f"{_('Fixed since the previous run')}: {len(c.fixed)} · "
           f"{_('Still open')}: {c.still_open} · {_('Not re-checked')}: {len(c.not_rechecked)}",
           ""]
    for f in c.fixed[:TOP_FINDINGS]:
        out.append(f"- {_('Fixed since the previous run')}: {md(f.severity_label)} — "
                   f"{md(f.title)} {code(f.location)}")
    if c.fixed:
        out.append("")
    return out


def _suppressions(v: ReportView) -> list[str]:
    """The muted section: accepted findings, then suppressions that expired."""
    _ = v.tr.gettext
    out: list[str] = []
    if v.suppressed:
        note = _("Accepted in the suppression file: listed for the record, not counted by "
                 "the gate.")
        out += [f"### {_('Suppressed findings')}", "", f"_{md(note)}_", "",
                "| " + " | ".join([_("Severity"), _("Finding"), _("Location"),
                                   _("Justification"), _("Approver"), _("Expires")]) + " |",
                "|---|---|---|---|---|---|"]
        for f in v.suppressed:
            rule = f.suppression
            assert rule is not None
            out.append("| " + " | ".join([md(f.severity_label), md(f.title),
                                          code(f.finding.location), md(rule.justification),
                                          md(rule.approver), md(rule.expires)]) + " |")
        out.append("")
    if v.expired_suppressions:
        out += [f"### {_('Expired suppressions')}", "",
                md(_("These suppressions have expired and no longer apply: the findings "
                     "they matched count again.")), ""]
        for rule in v.expired_suppressions:
            out.append(f"- {code(rule.check)} · {code(rule.target)} — {md(rule.justification)} "
                       f"({_('Approver')}: {md(rule.approver)}, {_('Expires')}: "
                       f"{md(rule.expires)}, {_('Findings')}: {len(rule.findings)})")
        out.append("")
    return out


class MarkdownRenderer:
    name = "markdown"
    filename = "report.md"

    def render(self, report: RunReport, *, lang: str = "en") -> bytes:
        v = build_view(report, lang)
        _ = v.tr.gettext
        out = [f"## {_('Security and data-protection audit report')}", ""]
        out.append(f"{_('Run')}: {code(report.run.id)} · {_('Finished')}: "
                   f"{md(report.run.finished_at)} · {_('Targets')}: {len(report.outcomes)} · "
                   f"{_('Findings')}: {len(v.findings)}")
        out.append("")
        if report.incomplete:
            out += [f"> **{_('Incomplete')}:** " + md(_(
                "This run is incomplete: some targets or checks could not be assessed. "
                "Absence of a finding there is not evidence of safety.")), ""]
        out += [
            "| " + " | ".join(v.tr.severity(s) for s in v.by_severity) + " |",
            "|" + "---:|" * len(v.by_severity),
            "| " + " | ".join(str(n) for n in v.by_severity.values()) + " |",
            "",
        ]
        out += _changes(v)
        top = v.open_findings  # muted findings get their own section below
        if top:
            out += [f"### {_('Fix first')}", ""]
            risk = v.has_risk
            head = ["#", _("Severity"), _("Finding"), _("Service"), _("Location")]
            out.append("| " + " | ".join(head + ([_("Risk score")] if risk else [])) + " |")
            out.append("|" + "---|" * (len(head) + int(risk)))
            for i, f in enumerate(top[:TOP_FINDINGS], start=1):
                cells = [str(i), f"**{md(f.severity_label)}**", md(f.title), md(f.service),
                         code(f.finding.location)]
                if risk:
                    cells.append(f"{f.risk:.1f}" if f.risk is not None else "–")
                out.append("| " + " | ".join(cells) + " |")
            if len(top) > TOP_FINDINGS:
                out.append("")
                out.append(md(_("… and %(n)d more in the full report.")
                              % {"n": len(top) - TOP_FINDINGS}))
            out.append("")
        elif not v.suppressed:
            out += [_("No findings."), ""]
        out += _suppressions(v)
        if v.plan:
            out += [f"### {_('Remediation plan')}", ""]
            if v.plan_notes:
                # One quoted paragraph per note (consecutive "> " lines would merge).
                out.append("\n>\n".join(f"> {md(note)}" for note in v.plan_notes))
                out.append("")
            for item in v.plan[:PLAN_HEAD]:
                prefix = f"**{_('Containment')}:** " if item.containment else ""
                due = f" · {_('Due')}: {md(item.due)}" if item.due else ""
                out.append(f"{item.number}. {prefix}{md(item.action)} — "
                           f"{md(item.severity_label)}, {_('Findings')}: {item.findings}, "
                           f"{_('Hosts')}: {len(item.hosts)}, {md(item.effort)}{due}")
            out.append("")
        for p in v.packs:
            verdict = f" — {_('Verdict')}: **{md(p.verdict)}**" if p.verdict else ""
            out.append(f"- {md(p.title)}: {_('Passed')} {p.summary['pass']}, "
                       f"{_('Failed')} {p.summary['fail']}, {_('Not assessed')} "
                       f"{p.summary['not_assessed']}{verdict}")
        if v.packs:
            out.append("")
        return ("\n".join(out).rstrip() + "\n").encode("utf-8")
