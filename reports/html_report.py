"""One self-contained HTML file: inline CSS and SVG, no script, no external request.

Evidence comes from scanned pages, so autoescaping is on for everything and a
Content-Security-Policy meta tag forbids scripts and remote loads even if a
value ever slipped through.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from egov_audit.model import RunReport

from .charts import severity_bars, stacked_bars
from .view import ReportView, build_view


def safe_url(value: str) -> str:
    """Only http(s) links survive: a ``javascript:`` reference would run on click."""
    return value if urlsplit(str(value)).scheme in {"http", "https"} else "#"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("egov_audit.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["safe_url"] = safe_url
    return env


def _charts(v: ReportView) -> dict[str, Markup | None]:
    _ = v.tr.gettext
    labels = {s: v.tr.severity(s) for s in v.by_severity}
    opd_rows = [(g.name, g.counts) for g in v.opds]
    service_rows = []
    for g in v.opds:
        for s in g.services:
            counts = {sev: sum(1 for f in s.findings if f.severity == sev) for sev in labels}
            service_rows.append((s.name, counts))
    service_rows.sort(key=lambda row: -sum(row[1].values()))
    return {
        "severity_chart": severity_bars(v.by_severity, labels, _("Findings by severity")),
        "opd_chart": stacked_bars(opd_rows, labels, _("Findings by unit (OPD)")),
        "service_chart": (
            stacked_bars(service_rows[:12], labels, _("Findings by service"))
            if len(service_rows) > 1 else None
        ),
    }


class HtmlRenderer:
    name = "html"
    filename = "report.html"

    def render(self, report: RunReport, *, lang: str = "en") -> bytes:
        view = build_view(report, lang)
        template = environment().get_template("report.html.j2")
        html = template.render(v=view, _=view.tr.gettext, **_charts(view))
        return html.encode("utf-8")
