"""Prove that an HTML table is a plain grid and cut its cells in one piece.

A plain grid is whitespace, then rows of the same number of cells, each row and
cell closed, no tag inside a cell and no span; attributes of <tr>, <td> and <th>
are allowed, and so are <thead>, <tbody> and <tfoot> between rows (a DataTables
or Bootstrap listing has them; the tag-by-tag reader passes over them too). Read
tag by tag (html_tables.read_page), such a table gives each cell's text stripped,
in rows, at a Python step per cell; here one fullmatch proves the shape and one
findall takes the texts, and the cells stay one flat list (:class:`Grid`), so
dense tables of identifiers cost no object per row. Where the C accelerator
``_grids`` was built (setup.py) it reads the same grammar in two plain passes,
some ten times faster; grid_cells_by_python stays the reference. Anything else
(spans, tags in cells, ragged rows, past the cell budget) answers None and the
caller reads the table tag by tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import overload

from . import accelerators

_native_grid_cells: Callable[[str, int, int, int, int], tuple[list[str], int] | None] | None
_native_holds_span: Callable[[str, int, int], bool] | None
try:
    from ._grids import holds_span as _native_holds_span
    from ._grids import simple_table as _native_grid_cells
except ImportError:  # installed without a C compiler: the patterns below decide
    _native_grid_cells = _native_holds_span = None
if not accelerators.ENABLED:
    _native_grid_cells = _native_holds_span = None

MAX_SIMPLE_WIDTH = 1000  # wider rows take the loop (one pattern is compiled per width)

Row = list[str]


class Grid(Sequence[Row]):
    """A plain table's cells row after row, ``width`` to a row: a list per row is not
    made (ten thousand rows are ten thousand objects for the garbage collector to
    walk), and :func:`egov_audit.pii.tables.grid_columns` slices the columns out of
    ``cells``. To everything else it is the sequence of its rows, equal to their list."""

    __slots__ = ("cells", "width")
    __hash__ = None  # type: ignore[assignment]  # equal to a list, which has none

    def __init__(self, cells: list[str], width: int) -> None:
        if width < 1 or len(cells) % width:
            raise ValueError(f"{len(cells)} cells are not rows of {width}")
        self.cells, self.width = cells, width

    def __len__(self) -> int:
        return len(self.cells) // self.width

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self[k] for k in range(len(self))[index]]
        k = range(len(self))[index]  # IndexError and negative indices as a list's
        return self.cells[k * self.width:(k + 1) * self.width]

    def __iter__(self) -> Iterator[Row]:
        w, n = self.width, len(self.cells)  # row slices made in C, no Python step per row
        return map(self.cells.__getitem__, map(slice, range(0, n, w), range(w, n + w, w)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Grid):
            return self.width == other.width and self.cells == other.cells
        return isinstance(other, list) and list(self) == other

    def __repr__(self) -> str:
        return f"Grid({list(self)!r})"


# Each row is an atomic group, (?>row): it matches whole or not at all, so the
# possessive repeat of rows never sees one fail half-way, and every other repeat is of
# one character class. Python 3.11.2 (Debian 12's) lets a possessive repeat of rows
# written as a look-ahead and a back-reference, (?=(row))\1, end on a row that failed
# half-way, reading "…</tr> <tr" as a whole grid (tests/pii/test_native_grids.py caught
# it against the C reader); a greedy repeat would be right but keep a backtracking
# stack entry per row.
_TABLE_CLOSE = re.compile(r"</table\b[^<>]*+>", re.I)
_CELL_OPEN = r"<t[dh](?:\s[^<>]*+)?>"
_SIMPLE_CELL = re.compile(_CELL_OPEN + r"([^<]*+)</t[dh]>", re.I)
_ROW_CLOSE = re.compile(r"</tr>", re.I)
_SPAN_WORD = re.compile("span", re.I)


@lru_cache(maxsize=64)
def _simple_rows(width: int) -> re.Pattern[str]:
    row = (r"<tr(?:\s[^<>]*+)?>\s*+(?:" + _CELL_OPEN + r"[^<]*+</t[dh]>\s*+)"
           + f"{{{width}}}" + r"</tr>\s*+")
    return re.compile(r"\s*+(?>" + row + r")++", re.I)


def _table_close(text: str, lowered: str | None, start: int) -> re.Match[str] | None:
    """The first ``</table…>`` from ``start``. On an ASCII page (``lowered`` is its lower
    case, same positions) found by str.find: a case-insensitive pattern over a
    megabyte is some ten times slower than a plain search."""
    if lowered is None:
        return _TABLE_CLOSE.search(text, start)
    at = lowered.find("</table", start)
    while at >= 0:
        close = _TABLE_CLOSE.match(text, at)
        if close is not None:
            return close
        at = lowered.find("</table", at + 1)
    return None


# <thead>, <tbody>, <tfoot>: a section's end tag is found by str.find in lower or upper
# case, from its start tag (a tag in mixed case on a page that is not ASCII is not
# found, and the table is read tag by tag, as it would be without sections).
_SECTION_OPEN = re.compile(r"<(t(?:head|body|foot))(?:\s[^<>]*+)?>", re.I)
_SECTION_CLOSE = re.compile(r"</t(?:head|body|foot)(?:\s[^<>]*+)?>", re.I)
_SPACES = re.compile(r"\s*+")


def _after_spaces(text: str, pos: int, end: int) -> int:
    spaces = _SPACES.match(text, pos, end)  # always matches: \s*+ may match nothing
    return end if spaces is None else spaces.end()


def _section_end(text: str, lowered: str | None, needle: str, start: int, end: int) -> int:
    """Where ``needle`` (an end tag's start, lower case) first stands in either case."""
    if lowered is not None:
        return lowered.find(needle, start, end)
    at = text.find(needle, start, end)
    upper = text.find(needle.upper(), start, end if at < 0 else at)
    return upper if upper >= 0 else at


def _grid_cells(text: str, start: int, end: int, cell_budget: int
                ) -> tuple[list[str], int] | None:
    read = grid_cells_by_python if _native_grid_cells is None else _native_grid_cells
    return read(text, start, end, MAX_SIMPLE_WIDTH, cell_budget)


def _sectioned_grid_cells(text: str, lowered: str | None, start: int, end: int,
                          cell_budget: int) -> tuple[list[str], int] | None:
    """The cells of ``text[start:end]``: when it opens with a section tag, the plain
    rows of each section in turn (and of rows after the last), every section's rows
    the same width; else its plain rows. None where they are not. Each search for a
    section's end stops there, so the page is searched once, not once per tag name."""
    pos = _after_spaces(text, start, end)
    if _SECTION_OPEN.match(text, pos, end) is None:
        return _grid_cells(text, start, end, cell_budget)
    cells: list[str] = []
    width = 0
    while pos < end:
        section = _SECTION_OPEN.match(text, pos, end)
        if section is None:  # rows after the last section (a <tbody> left implied)
            rows_start = pos
            rows_end = pos = end
        else:
            rows_start = section.end()
            rows_end = _section_end(text, lowered, "</" + section.group(1).lower(),
                                    rows_start, end)
            close = _SECTION_CLOSE.match(text, rows_end, end) if rows_end >= 0 else None
            if close is None:
                return None
            pos = close.end()
        if _after_spaces(text, rows_start, rows_end) < rows_end:  # rows, not only spaces
            found = _grid_cells(text, rows_start, rows_end, cell_budget - len(cells))
            if found is None or (width and found[1] != width):
                return None
            cells.extend(found[0])
            width = found[1]
        pos = _after_spaces(text, pos, end)
    return (cells, width) if width else None


def read_plain_grid(text: str, lowered: str | None, body_start: int, budget: list[int]
                    ) -> tuple[Grid, int] | None:
    """``(grid, end of </table>)`` when the table opening before ``body_start`` is a
    plain grid within the cell budget (``budget[0]``, reduced by the cells read);
    None otherwise (the caller reads it). ``lowered``: the page in lower case when
    it is ASCII (positions unchanged), else None."""
    close = _table_close(text, lowered, body_start)
    if close is None:
        return None
    if _holds_span(text, lowered, body_start, close.start()):
        return None  # colspan / rowspan: the grid needs laying out
    found = _sectioned_grid_cells(text, lowered, body_start, close.start(), budget[0])
    if found is None:
        return None  # not a plain grid, or past the budget: the caller reads it
    cells, width = found
    budget[0] -= len(cells)
    return Grid(cells, width), close.end()


def _holds_span(text: str, lowered: str | None, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds "span" in any case: by str.find in an ASCII
    page's lower case, else in C (the pattern reads some 10 ms a megabyte)."""
    if lowered is not None:
        return lowered.find("span", start, end) >= 0
    if _native_holds_span is not None:
        return _native_holds_span(text, start, end)
    return _SPAN_WORD.search(text, start, end) is not None


def grid_cells_by_python(text: str, start: int, end: int, max_width: int, max_cells: int
                         ) -> tuple[list[str], int] | None:
    """``(stripped cell texts row after row, width)`` when ``text[start:end]`` is
    whitespace and rows of the same number of plain cells (``_simple_rows``), 1 to
    ``max_width`` of them, ``max_cells`` cells at most; else None. The reference for
    the C reader."""
    first = _ROW_CLOSE.search(text, start, end)
    if first is None:
        return None
    # The first row's cells give the width; the fullmatch below proves it for every row.
    width = len(_SIMPLE_CELL.findall(text, start, first.start()))
    if not 0 < width <= max_width or _simple_rows(width).fullmatch(text, start, end) is None:
        return None
    cells = list(map(str.strip, _SIMPLE_CELL.findall(text, start, end)))
    if len(cells) > max_cells:
        return None
    return cells, width
