"""Real PDF files for the field corpus: a printed table, one text object per cell at
its column's x position, as report engines and "save as PDF" write them.

Uncompressed and ASCII only, so the file is also a ``str`` and the planted values can
be found in it literally. The column header is printed on the first page only (or on
every page), and some engines emit the cells column by column rather than row by
row, which is what text extraction without layout then returns.
"""

from __future__ import annotations

_WIDTH, _HEIGHT = 842, 595  # A4 landscape, points
_FONT_SIZE = 8
_CHAR = 4.6  # average Helvetica advance at 8 pt, enough to keep columns apart
_LINE = 12


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def show_text(x: float, y: float, text: str, bold: bool = False) -> str:
    font = "F2" if bold else "F1"
    return f"BT /{font} {_FONT_SIZE} Tf 1 0 0 1 {x:.1f} {y:.1f} Tm ({_escape(text)}) Tj ET"


def table_pdf(
    title: list[str],
    header: list[str],
    rows: list[list[str]],
    *,
    per_page: int = 34,
    header_every_page: bool = False,
    column_major: bool = False,
    footer: list[str] | None = None,
) -> str:
    """The PDF file (as text) of a titled table spread over as many pages as needed."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    xs, x = [], 30.0
    for w in widths:
        xs.append(x)
        x += w * _CHAR + 14
    pages: list[str] = []
    # Page one carries the title; every page keeps rows above the page-number line.
    first_room = int((_HEIGHT - 40 - len(title) * (_LINE + 2) - (_LINE + 4) - 50) // _LINE)
    chunks = [rows[: min(per_page, first_room)]]
    rest = rows[len(chunks[0]) :]
    chunks += [rest[i : i + per_page] for i in range(0, len(rest), per_page)]
    if (
        footer
        and _HEIGHT - 40 - (_LINE + 4) - len(chunks[-1]) * _LINE - 20 - len(footer) * _LINE < 40
    ):
        chunks.append([])  # the signature block goes on a page of its own
    for n, chunk in enumerate(chunks):
        ops: list[str] = []
        y = _HEIGHT - 40.0
        if n == 0:
            for line in title:
                ops.append(show_text(30, y, line, bold=True))
                y -= _LINE + 2
        if n == 0 or header_every_page:
            ops += [show_text(xs[i], y, h, bold=True) for i, h in enumerate(header)]
        y -= _LINE + 4
        cells = [(i, j) for i in range(len(chunk)) for j in range(len(header))]
        if column_major:
            cells.sort(key=lambda c: (c[1], c[0]))
        ops += [show_text(xs[j], y - i * _LINE, chunk[i][j]) for i, j in cells if chunk[i][j]]
        if n == len(chunks) - 1 and footer:
            fy = y - len(chunk) * _LINE - 20
            for line in footer:
                ops.append(show_text(_WIDTH - 300, fy, line))
                fy -= _LINE
        ops.append(show_text(_WIDTH / 2 - 30, 15, f"Halaman {n + 1} dari {len(chunks)}"))
        pages.append("\n".join(ops))
    return assemble(pages)


def assemble(pages: list[str]) -> str:
    """Objects: 1 catalog, 2 page tree, 3-4 fonts, then a page and its content each."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for content in pages:
        page_no = len(objects) + 1
        kids.append(f"{page_no} 0 R")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_WIDTH} {_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {page_no + 1} 0 R >>"
        )
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content}\nendstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = "%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out
