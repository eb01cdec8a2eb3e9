"""HTML tables and style blocks found in one left-to-right pass, whatever the page holds.

Lazy patterns such as ``<table\\b.*?</table>`` restart at every ``<table`` and
scan to the end of the page when no closing tag follows: 300 KB of ``<style``
took minutes. Here every tag of interest is found once by a pattern that
cannot run past the next ``<``, and a small state machine pairs them, so the
work is proportional to the page. The pairing keeps the meaning of the old
patterns: a table runs from ``<table`` to the first ``</table>`` (tables are
not nested), a row from ``<tr`` to the next ``<tr`` or the table's end, a cell
from ``<td``/``<th`` to the next cell, ``</tr>`` or the row's end; style blocks
are removed from the text left outside tables. A table that is a plain grid
(equal rows of closed cells, no tag or span inside) is proven and cut in one
piece by :mod:`egov_audit.pii.html_grids` instead, with the cells this loop
would give it, so dense tables cost no Python step per cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .html_grids import Row, read_plain_grid

# The tag name, then its attributes up to ">" only if no "<" comes first: the run
# [^<>]* stops at the next tag, so no two matches ever scan the same characters.
_TABLE_TAG = re.compile(r"<(/?)(table|tr|t[dh])\b([^<>]*>)?", re.I)
_STYLE_TAG = re.compile(r"<(/?)style\b([^<>]*>)?", re.I)
TAG = re.compile(r"<[^<>]*>")  # linear: a tag never spans another "<"
# colspan="2" / rowspan=3 inside one tag's attributes (bounded: a tag is short or cut).
_SPAN = re.compile(r"\b(col|row)span\s*+=\s*+[\"']?+\s*+([0-9]{1,4})", re.I)
# Tags that end a line on screen: a list written as <li>/<p>/<br> is one row per line.
# One split with a literal-prefix pattern (the engine jumps from "<" to "<"), the tags
# given their line break in one pass: seven str.replace passes read a typical page at
# ~110 MB/s, a substitution with a callback per tag ~850.
# Upper-case tags count only when an upper-case line end is on the page at all.
_ANY_CASE_LINE_END = re.compile(r"</(?:p|li|div|tr|P|LI|DIV|TR)>|<(?:br|BR)(?: ?/)?>")
_UPPER_HINTS = ("</P", "<BR", "</LI", "</DIV")
_LINE_END_SPLIT = re.compile(f"({_ANY_CASE_LINE_END.pattern})")
# Table cells whose tags are worth keeping: a long number or an address in them.
_WORTH_KEEPING = re.compile(r"[0-9]{10}|@")
# Where the detector's context window stops (detect.CONTEXT_BREAK): a character no page
# text contains, so a name="no_kk[]" does not label the number in the next tag.
ATTRIBUTE_SEPARATOR = "\n\x1f"
MAX_COLSPAN = 64
MAX_ROWSPAN = 1000

@dataclass
class Page:
    # Rows of cell texts: a list of lists, or a Grid for a plain table read in one piece.
    tables: list[Sequence[Row]] = field(default_factory=list)
    text: str = ""  # the page outside tables, style blocks removed
    truncated: bool = False  # cells past ``max_cells`` were not read
    # Tags with attributes inside table cells, one per line: links to a record
    # (?nik=3218…), file names (ktp_3218….jpg), hidden inputs (name="no_kk[]" value=…)
    # carry identifiers the cell's visible text does not show; the attribute names
    # stay beside the values as their context.
    # Joined by ATTRIBUTE_SEPARATOR: one tag's names are not the context of the next's.
    attributes: list[str] = field(default_factory=list)


Cell = tuple[str, int, int]  # text, colspan, rowspan


class _Table:
    """The rows of one table being read, and where its current cell began."""

    def __init__(self) -> None:
        self.rows: list[list[Cell]] = []
        self.cell_start = -1  # -1: no open cell
        self.spans = (1, 1)
        self.spanned = False  # any cell merged: the grid needs laying out

    def open_cell(self, at: int, attributes: str) -> None:
        self.cell_start = at
        col = row = 1
        if "span" in attributes or "SPAN" in attributes or "Span" in attributes:
            for m in _SPAN.finditer(attributes):
                if m.group(1).lower() == "col":
                    col = min(max(int(m.group(2)), 1), MAX_COLSPAN)
                else:
                    row = min(max(int(m.group(2)), 1), MAX_ROWSPAN)
            self.spanned = self.spanned or col > 1 or row > 1
        self.spans = (col, row)

    def end_cell(self, text: str, at: int, page: Page, budget: list[int]) -> None:
        if self.cell_start >= 0 and self.rows:
            if budget[0] > 0:
                budget[0] -= 1
                raw = text[self.cell_start:at]
                if "=" in raw and _WORTH_KEEPING.search(raw):
                    page.attributes.extend(t.group()[1:-1] for t in TAG.finditer(raw)
                                           if "=" in t.group())
                self.rows[-1].append((TAG.sub(" ", raw).strip(), *self.spans))
            else:
                page.truncated = True
        self.cell_start = -1

    def grid(self, budget: list[int]) -> list[Row]:
        """The rows with merged cells laid out: a ``colspan`` cell is followed by empty
        cells and a ``rowspan`` cell leaves empty cells in the rows below, so every
        value stays under its own header (the lower row of a two-row header names
        the columns its group cell spans). Padding counts against the cell budget."""
        if not self.spanned:
            return [[text for text, _, _ in cells] for cells in self.rows]
        out: list[Row] = []
        below: dict[int, int] = {}  # column -> rows still covered by a rowspan above
        for cells in self.rows:
            row: Row = []
            for text, colspan, rowspan in cells:
                while below.get(len(row), 0) > 0 and budget[0] > 0:
                    below[len(row)] -= 1
                    row.append("")
                    budget[0] -= 1
                for k in range(colspan):
                    if k:
                        if budget[0] <= 0:
                            break
                        budget[0] -= 1
                    if rowspan > 1:
                        below[len(row)] = rowspan - 1
                    row.append("" if k else text)
            for col, left in below.items():  # spans past this row's last cell
                if col >= len(row) and left > 0:
                    below[col] = left - 1
            out.append(row)
        return out


def read_page(text: str, max_cells: int, *, plain_grids: bool = True) -> Page:
    """Tables (rows of cell texts) and the text outside them, in linear time.
    ``plain_grids=False`` reads every table step by step (to test the fast path)."""
    page = Page()
    rest: list[str] = []
    outside = 0  # start of the text not yet copied to ``rest``
    table: _Table | None = None
    start = 0
    budget = [max_cells]
    pos = 0
    lowered: str | None = None
    while (m := _TABLE_TAG.search(text, pos)) is not None:
        closing, name, end = m.group(1), m.group(2).lower(), m.end()
        pos = end
        if table is None:
            if not closing and name == "table":
                if lowered is None and text.isascii():
                    lowered = text.lower()  # once per page, for the plain-grid tests
                simple = read_plain_grid(text, lowered, end, budget) if plain_grids else None
                if simple is not None:  # read in C, no Python step per cell
                    rows, after = simple
                    page.tables.append(rows)
                    rest.append(text[outside:m.start()])
                    outside = pos = after
                    continue
                table, start = _Table(), m.start()
            continue
        if name == "table":
            if closing and m.group(3):
                table.end_cell(text, m.start(), page, budget)
                page.tables.append(table.grid(budget))
                rest.append(text[outside:start])
                outside, table = end, None
            continue
        if name == "tr":
            table.end_cell(text, m.start(), page, budget)
            if not closing:
                table.rows.append([])
        elif not closing:  # <td> or <th>
            table.end_cell(text, m.start(), page, budget)
            table.open_cell(end, m.group(3) or "")
    # An unclosed <table> is no table: the old pattern never matched it either.
    rest.append(text[outside:])
    page.text = _line_ends(_without_styles(" ".join(rest)))
    return page


def _line_ends(text: str) -> str:
    # Cut at the tags (the group keeps them), a line break added after each in one
    # comprehension: no Python callback per tag from inside the substitution.
    parts = _LINE_END_SPLIT.split(text)
    tags = parts[1::2]
    if not tags:
        return text
    if all(map(str.islower, tags)) or any(h in text for h in _UPPER_HINTS):
        parts[1::2] = [tag + "\n" for tag in tags]
    else:  # upper-case tags count only beside an upper-case hint: here, none does
        parts[1::2] = [tag + "\n" if tag.islower() else tag for tag in tags]
    return "".join(parts)


def _without_styles(text: str) -> str:
    """Remove ``<style ...> ... </style>`` blocks (first closing tag wins)."""
    if "<" not in text:
        return text
    kept: list[str] = []
    outside = 0
    opened = -1
    for m in _STYLE_TAG.finditer(text):
        if opened < 0:
            if not m.group(1):
                opened = m.start()
        elif m.group(1) and m.group(2):
            kept.append(text[outside:opened])
            outside, opened = m.end(), -1
    kept.append(text[outside:])
    return " ".join(kept)
