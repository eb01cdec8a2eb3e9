"""HTML tables and style blocks found in one left-to-right pass, whatever the page holds.

Lazy patterns such as ``<table\\b.*?</table>`` restart at every ``<table`` and
scan to the end of the page when no closing tag follows: 300 KB of ``<style``
took minutes. Here every tag of interest is found once by a pattern that
cannot run past the next ``<``, and a small state machine pairs them, so the
work is proportional to the page. The pairing keeps the meaning of the old
patterns: a table runs from ``<table`` to the first ``</table>`` (tables are
not nested), a row from ``<tr`` to the next ``<tr`` or the table's end, a cell
from ``<td``/``<th`` to the next cell, ``</tr>`` or the row's end; style blocks
are removed from the text left outside tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The tag name, then its attributes up to ">" only if no "<" comes first: the run
# [^<>]* stops at the next tag, so no two matches ever scan the same characters.
_TABLE_TAG = re.compile(r"<(/?)(table|tr|t[dh])\b([^<>]*>)?", re.I)
_STYLE_TAG = re.compile(r"<(/?)style\b([^<>]*>)?", re.I)
TAG = re.compile(r"<[^<>]*>")  # linear: a tag never spans another "<"

Row = list[str]


@dataclass
class Page:
    tables: list[list[Row]] = field(default_factory=list)
    text: str = ""  # the page outside tables, style blocks removed
    truncated: bool = False  # cells past ``max_cells`` were not read


class _Table:
    """The rows of one table being read, and where its current cell began."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.cell_start = -1  # -1: no open cell

    def end_cell(self, text: str, at: int, page: Page, budget: list[int]) -> None:
        if self.cell_start >= 0 and self.rows:
            if budget[0] > 0:
                budget[0] -= 1
                self.rows[-1].append(TAG.sub(" ", text[self.cell_start:at]).strip())
            else:
                page.truncated = True
        self.cell_start = -1


def read_page(text: str, max_cells: int) -> Page:
    """Tables (rows of cell texts) and the text outside them, in linear time."""
    page = Page()
    rest: list[str] = []
    outside = 0  # start of the text not yet copied to ``rest``
    table: _Table | None = None
    start = 0
    budget = [max_cells]
    for m in _TABLE_TAG.finditer(text):
        closing, name, end = m.group(1), m.group(2).lower(), m.end()
        if table is None:
            if not closing and name == "table":
                table, start = _Table(), m.start()
            continue
        if name == "table":
            if closing and m.group(3):
                table.end_cell(text, m.start(), page, budget)
                page.tables.append(table.rows)
                rest.append(text[outside:start])
                outside, table = end, None
            continue
        if name == "tr":
            table.end_cell(text, m.start(), page, budget)
            if not closing:
                table.rows.append([])
        elif not closing:  # <td> or <th>
            table.end_cell(text, m.start(), page, budget)
            table.cell_start = end
    # An unclosed <table> is no table: the old pattern never matched it either.
    rest.append(text[outside:])
    page.text = _without_styles(" ".join(rest))
    return page


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
