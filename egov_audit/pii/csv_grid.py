"""A CSV file that is a plain grid, read without the csv module's list per row.

Exports of recipient lists are mostly plain: no quotes, the same number of
delimiters on every line. Such a file is cut into its cells, row after row, and
:func:`egov_audit.pii.tables.grid_columns` slices the columns out of them;
anything else is left to the csv module.

Where the C accelerator ``_grids`` was built (setup.py), the file is cut in C,
some five times faster: the Python reader makes a string per line before the
strings per cell, the C one checks the shape first and makes only the cells.
:func:`plain_grid_by_python` stays the reference (tests hold the two equal) and
the reader where the accelerator was not built.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from itertools import repeat

from . import accelerators
from .tables import MAX_CELLS

__all__ = ["plain_grid", "plain_grid_by_python", "quoted_grid"]

_native_plain_grid: Callable[[str, str, int, int], tuple[list[str], int] | None] | None
try:
    from ._grids import plain_grid as _native_plain_grid
except ImportError:  # installed without a C compiler: the Python reader cuts
    _native_plain_grid = None
if not accelerators.ENABLED:
    _native_plain_grid = None


def plain_grid(text: str, delimiter: str, max_cells: int = MAX_CELLS
               ) -> tuple[list[str], int] | None:
    """What :func:`plain_grid_by_python` gives, in C where it was built (the C reader
    takes a delimiter of one character, as the csv module does); for a text with
    quotes, what :func:`quoted_grid` gives."""
    if '"' in text:
        return quoted_grid(text, delimiter, max_cells)
    if _native_plain_grid is not None and len(delimiter) == 1:
        return _native_plain_grid(text, delimiter, csv.field_size_limit(), max_cells)
    return plain_grid_by_python(text, delimiter, max_cells)


def plain_grid_by_python(text: str, delimiter: str, max_cells: int = MAX_CELLS
                         ) -> tuple[list[str], int] | None:
    """``(cells row after row, width)`` of a CSV the csv module would read as plain
    splits: no quote or NUL, no carriage return but in "\r\n", no empty line, the
    same number of delimiters on every line, no field past the module's size limit;
    else None. None too past ``max_cells`` cells, which grid_columns would refuse."""
    if '"' in text:
        return None
    found = _lines(text, delimiter)
    if found is None:
        return None
    body, end, lines, width = found
    if len(lines) * width > max_cells:
        return None
    return body.replace(end, delimiter).split(delimiter), width


def quoted_grid(text: str, delimiter: str, max_cells: int = MAX_CELLS
                ) -> tuple[list[str], int] | None:
    """``(cells row after row, width)`` of a CSV whose every field is quoted, as
    database exports and ``QUOTE_ALL`` writers give it: each line starts and ends
    with a quote, its fields are joined by quote, delimiter, quote, and it holds no
    other quote (so no doubled one, no field broken across lines); else None. Fields
    may hold the delimiter. The csv module reads it as these splits."""
    if len(delimiter) != 1 or delimiter == '"':
        return None
    separator = f'"{delimiter}"'
    found = _lines(text, separator)
    if found is None:
        return None
    body, end, lines, width = found
    if (set(map(str.count, lines, repeat('"'))) != {2 * width}
            or not all(map(str.startswith, lines, repeat('"')))
            or not all(map(str.endswith, lines, repeat('"')))
            or len(lines) * width > max_cells):
        return None
    cells = body[1:-1].replace(f'"{end}"', separator).split(separator)
    return (cells, width) if len(cells) == len(lines) * width else None


def _lines(text: str, separator: str) -> tuple[str, str, list[str], int] | None:
    """``(body, line end, lines, width)`` when the text's lines are rows the csv module
    reads one each, holding the separator the same number of times; else None."""
    if "\x00" in text:
        return None
    end = "\n"
    if "\r" in text:  # csv.writer's "\r\n" line ends; a lone "\r" also ends a row
        if not text.count("\r") == text.count("\r\n") == text.count("\n"):
            return None  # a lone "\r" or "\n" beside the "\r\n" ends a row too
        end = "\r\n"
    body = text.removesuffix(end)  # a last line break ends the last row
    lines = body.split(end)
    if "" in lines:
        return None  # an empty line is an empty row to the csv module
    counts = set(map(str.count, lines, repeat(separator)))
    if len(counts) != 1:
        return None
    limit = csv.field_size_limit()
    if len(body) > limit and max(map(len, lines)) > limit:
        return None  # a field may be past the limit (no line is, no field is)
    return body, end, lines, counts.pop() + 1
