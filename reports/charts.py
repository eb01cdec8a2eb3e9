"""Inline SVG bar charts: no script, no external request, prints crisply.

Labels come from scanned targets' configuration (service and unit names), so
every text is escaped here and the result is handed to the template as safe
markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

SEVERITY_COLOURS: Mapping[str, str] = {
    "critical": "#7f1d1d",
    "high": "#dc2626",
    "medium": "#d97706",
    "low": "#2563eb",
    "info": "#6b7280",
}

_ROW = 26
_LABEL_W = 200
_BAR_W = 250


def _label(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def severity_bars(counts: Mapping[str, int], labels: Mapping[str, str], title: str) -> Markup:
    """One horizontal bar per severity."""
    rows = [(labels[s], {s: n}) for s, n in counts.items()]
    return stacked_bars(rows, labels, title, legend=False)


def stacked_bars(
    rows: Sequence[tuple[str, Mapping[str, int]]],
    labels: Mapping[str, str],
    title: str,
    *,
    legend: bool = True,
) -> Markup:
    """Horizontal bars, each split by severity (e.g. findings per unit)."""
    peak = max((sum(parts.values()) for _, parts in rows), default=0) or 1
    legend_h = 24 if legend else 0
    height = legend_h + _ROW * max(len(rows), 1) + 6
    width = _LABEL_W + _BAR_W + 50
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    if legend:
        lx = 12
        for sev, colour in SEVERITY_COLOURS.items():
            out.append(f'<rect x="{lx}" y="4" width="12" height="12" fill="{colour}"/>')
            out.append(f'<text x="{lx + 16}" y="14" class="legend">{escape(labels[sev])}</text>')
            lx += 16 + 7 * len(labels[sev]) + 14
    for i, (name, parts) in enumerate(rows):
        y = legend_h + i * _ROW
        out.append(f'<text x="{_LABEL_W - 8}" y="{y + 17}" text-anchor="end" class="label">'
                   f"{escape(_label(name))}</text>")
        x = float(_LABEL_W)
        for sev, colour in SEVERITY_COLOURS.items():
            n = parts.get(sev, 0)
            if not n:
                continue
            w = _BAR_W * n / peak
            out.append(f'<rect x="{x:.1f}" y="{y + 5}" width="{w:.1f}" height="16" '
                       f'fill="{colour}"><title>{escape(labels[sev])}: {n}</title></rect>')
            x += w
        total = sum(parts.values())
        out.append(f'<text x="{x + 6:.1f}" y="{y + 17}" class="value">{total}</text>')
    out.append("</svg>")
    return Markup("".join(out))
