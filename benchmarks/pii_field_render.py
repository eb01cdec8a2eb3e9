"""How government documents lay a table out: CSV exports of spreadsheets, HTML pages
with their menus, styles and scripts, fixed-width and tab text, and text pulled out of
a PDF (single spaces between cells, the column header far above most rows).

Part of the independent field corpus (benchmarks/pii_field_corpus.py).
"""

from __future__ import annotations

import html
import random

from pii_field_ids import PLACES

Rows = list[list[str]]


def csv_text(
    header: list[str],
    rows: Rows,
    sep: str = ";",
    above: list[str] | None = None,
    group: list[str] | None = None,
    numbering: bool = False,
    below: list[str] | None = None,
) -> str:
    """A spreadsheet saved as CSV: title rows padded with separators, an optional group
    row over the column row, an optional '1;2;3…' column-number row, a signature block."""
    width = len(header)
    pad = sep * (width - 1)
    lines = [f"{t}{pad}" if t else pad for t in (above or [])]
    if group:
        lines.append(sep.join(group))
    lines.append(sep.join(header))
    if numbering:
        lines.append(sep.join(str(i + 1) for i in range(width)))
    lines.extend(sep.join(r) for r in rows)
    lines.extend(f"{pad[:-1]}{t}" if t else pad for t in (below or []))
    return "\r\n".join(lines) + "\r\n"


def html_table(
    header: list[str],
    rows: Rows,
    group: list[tuple[str, int]] | None = None,
    th: bool = True,
    cls: str = "table table-bordered table-striped",
) -> str:
    cell = "th" if th else "td"
    out = [f'<table class="{cls}" id="tabel-data">', "<thead>"]
    if group:
        out.append(
            "<tr>"
            + "".join(
                f'<{cell} colspan="{span}" class="text-center">{html.escape(name)}</{cell}>'
                for name, span in group
            )
            + "</tr>"
        )
    head = "".join(
        f"<{cell}>{html.escape(h)}</{cell}>" if th else f"<{cell}><b>{html.escape(h)}</b></{cell}>"
        for h in header
    )
    out += [f"<tr>{head}</tr>", "</thead>", "<tbody>"]
    for r in rows:
        out.append("<tr>" + "".join(f'<td class="text-nowrap">{c}</td>' for c in r) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def fixed_width(header: list[str], rows: Rows) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) + 2 for i, h in enumerate(header)]
    lines = ["".join(h.ljust(w) for h, w in zip(header, widths, strict=False)).rstrip()]
    lines.append("-" * sum(widths))
    lines += ["".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in rows]
    return "\n".join(lines)


def separated(header: list[str], rows: Rows, sep: str) -> str:
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    if sep == " | ":
        lines = [f"| {line} |" for line in lines]
        lines.insert(1, "|" + "|".join("---" for _ in header) + "|")
    return "\n".join(lines)


def pdf_text(
    rng: random.Random,
    letterhead: list[str],
    header: list[str],
    rows: Rows,
    per_page: int = 35,
    footer: list[str] | None = None,
) -> str:
    """What a PDF text extractor returns for a printed table: cells joined by single
    spaces, the column header on the first page only, letterhead and page numbers
    between the pages."""
    pages = max(1, (len(rows) + per_page - 1) // per_page)
    out = [*list(letterhead), "", " ".join(header)]
    if len(header) > 1 and rng.random() < 0.5:
        out.append(" ".join(f"({i + 1})" for i in range(len(header))))
    for p in range(pages):
        if p:
            out += ["", letterhead[0], ""]
        out += [" ".join(c for c in r if c) for r in rows[p * per_page : (p + 1) * per_page]]
        out += ["", f"Halaman {p + 1} dari {pages}"]
    out += footer or []
    return "\n".join(out) + "\n"


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _tag(rng: random.Random) -> str:
    """A GA4 measurement id: ten upper-case letters and digits."""
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(10))


_MENU = (
    "Beranda",
    "Profil",
    "Visi & Misi",
    "Struktur Organisasi",
    "Berita",
    "Pengumuman",
    "Layanan",
    "PPID",
    "Informasi Publik",
    "Galeri",
    "Unduhan",
    "Kontak",
    "Pengaduan",
    "Transparansi Anggaran",
    "Regulasi",
    "Agenda",
)


def page(rng: random.Random, agency: str, title: str, body: str) -> str:
    """A typical government CMS page: head with inline CSS and JS, a menu, the body,
    a footer with the office address. Only non-personal numbers outside ``body``."""
    city = rng.choice(sorted(PLACES.values()))
    version = f"{rng.randint(1, 5)}.{rng.randint(0, 9)}.{rng.randint(0, 20)}"
    menu = "\n".join(
        '<li class="nav-item"><a class="nav-link" href="/'
        + m.lower().replace(" ", "-").replace("&", "dan")
        + f'">{html.escape(m)}</a></li>'
        for m in _MENU
    )
    css = "\n".join(
        f".c{i} {{ color: #{_hex(rng, 6)}; margin: {rng.randint(0, 40)}px {rng.randint(0, 40)}px;"
        f" font-size: {rng.randint(10, 24)}px; }}"
        for i in range(rng.randint(20, 60))
    )
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} | {html.escape(agency)}</title>
<link rel="stylesheet" href="/assets/css/bootstrap.min.css?v={version}">
<style>
body {{ font-family: 'Open Sans', sans-serif; background: #f5f5f5; }}
{css}
</style>
<script>
window.dataLayer = window.dataLayer || [];
function gtag(){{dataLayer.push(arguments);}}
gtag('js', new Date()); gtag('config', 'G-{_tag(rng)}');
var BASE_URL = "/"; var CSRF_HASH = "{_hex(rng, 32)}";
</script>
</head>
<body>
<header class="topbar"><div class="container">
<a class="navbar-brand" href="/"><img src="/assets/img/logo.png" alt="Logo">
{html.escape(agency)}</a>
<ul class="navbar-nav">
{menu}
</ul></div></header>
<main class="container">
<h1 class="page-title">{html.escape(title)}</h1>
{body}
</main>
<footer class="footer"><div class="container">
<p>{html.escape(agency)}<br>
Jl. Kapten Maulana Lubis No. {rng.randint(1, 200)}, {html.escape(city)}</p>
<p>&copy; {rng.randint(2019, 2025)} {html.escape(agency)}. Hak cipta dilindungi.</p>
</div></footer>
<script src="/assets/js/jquery.min.js?v={version}"></script>
<script>
$(function() {{ $('#tabel-data').DataTable({{ pageLength: 25, order: [[0, 'asc']] }}); }});
</script>
</body></html>
"""
