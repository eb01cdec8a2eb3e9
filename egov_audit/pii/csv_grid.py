"""A CSV file that is a plain grid, read without the csv module's list per row.

Exports of recipient lists are mostly plain: no quotes, the same number of
delimiters on every line. Such a file is cut with two ``str`` methods into its
cells, row after row, and :func:`egov_audit.pii.tables.grid_columns` slices the
columns out of them; anything else is left to the csv module.
"""

from __future__ import annotations

import csv
from itertools import repeat

__all__ = ["plain_grid"]


def plain_grid(text: str, delimiter: str) -> tuple[list[str], int] | None:
    """``(cells row after row, width)`` of a CSV the csv module would read as plain
    splits: no quote or NUL, no carriage return but in "\r\n", no empty line, the
    same number of delimiters on every line, no field past the module's size limit;
    else None."""
    if '"' in text or "\x00" in text:
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
    counts = set(map(str.count, lines, repeat(delimiter)))
    if len(counts) != 1:
        return None
    limit = csv.field_size_limit()
    if len(body) > limit and max(map(len, lines)) > limit:
        return None  # a field may be past the limit (no line is, no field is)
    return body.replace(end, delimiter).split(delimiter), counts.pop() + 1


