"""Trend sparklines as inline SVG: no script, no external asset, no inline style.

Only numbers computed here reach the drawing; the one text (the accessible
label) is escaped, so a service name from a configuration cannot inject markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 160, 36, 3


def _points(values: Sequence[int], top: int) -> str:
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    scale = (HEIGHT - 2 * PAD) / max(top, 1)
    return " ".join(f"{PAD + i * step:.1f},{HEIGHT - PAD - v * scale:.1f}"
                    for i, v in enumerate(values))


def sparkline(trend: Sequence[tuple[str, Mapping[str, int]]], label: str) -> Markup:
    """Open findings over the runs (oldest first): all at low or above (dark line)
    and critical + high (red line); the label says the numbers in words."""
    if not trend:
        return Markup("")
    totals = [sum(n for s, n in c.items() if s != "info") for _, c in trend]
    serious = [c.get("critical", 0) + c.get("high", 0) for _, c in trend]
    top = max(totals + serious + [1])
    lines = []
    for values, css in ((totals, "trend-all"), (serious, "trend-serious")):
        if len(values) == 1:
            lines.append(f'<circle class="{css}" cx="{WIDTH / 2:.1f}" '
                         f'cy="{HEIGHT - PAD - values[0] * (HEIGHT - 2 * PAD) / top:.1f}" r="2"/>')
        else:
            lines.append(f'<polyline class="{css}" fill="none" points="{_points(values, top)}"/>')
    return Markup(
        f'<svg class="trend" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        + "".join(lines) + "</svg>")
