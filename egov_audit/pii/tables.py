"""What extraction produces (labelled text units) and the one way rows become columns.

Shared by the readers that run in this process (CSV, JSON, HTML, SQL) and the
document readers that run in a child process (XLSX, DOCX, PDF), whose
:class:`Extracted` comes back pickled. The caps below bound what any one
document can turn into, whatever its size on the wire.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise, zip_longest
from typing import Any

from .lexicon import kind_named, names_a_kind

# Text kept per document. A 4 MB page decodes to at most 4 M characters; documents
# can unpack to far more. 8 M characters is ~100,000 rows of a recipient list, and
# keeps the parent's peak for one document (the pickled result plus its units) under
# ~100 MB even when every character needs four bytes. Past it, counts are a lower bound.
MAX_CHARS = 8 * 1024 * 1024
MAX_ROWS = 200_000
MAX_CELLS = 4_000_000
# Column tuples built by the transpose: rows x width. A ragged table (one row
# 1,000,000 cells wide over 200,000 one-cell rows) would otherwise cost 2 x 10^11.
MAX_GRID = 2 * MAX_CELLS


@dataclass(frozen=True)
class Unit:
    label: str  # column header or JSON key; "" for running text
    text: str


@dataclass
class Extracted:
    format: str
    units: list[Unit] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)  # author, last_modified_by
    error: str | None = None
    truncated: bool = False


def columns(rows: Iterable[Sequence[Any]], out: Extracted) -> None:
    """Rows → one unit per column, labelled by the header row when there is one.

    Transposed with ``zip`` so that a 100,000-row list costs a few C-level
    passes, not a Python loop per cell."""
    table = _read(rows, out)
    if not {str}.issuperset(map(type, chain.from_iterable(table))):  # one C-level pass
        table = [row if _all_str(row) else [_cell(v) for v in row] for row in table]
    if len(table) > MAX_ROWS:
        out.truncated = True
        table = table[:MAX_ROWS]
    # leading empty rows dropped by one slice (pop(0) per row was quadratic)
    first = next((i for i, row in enumerate(table) if any(row)), len(table))
    table = table[first:]
    if not table or _sideways(table, out):
        return
    header, table = _header(table)
    width = max((len(r) for r in table), default=0)
    if table and width * len(table) > MAX_GRID:
        width, out.truncated = max(1, MAX_GRID // len(table)), True
    typed = _type_column(table, width)
    _emit(header, width, typed, zip_longest(*table, fillvalue=""), out)


def grid_columns(cells: list[str], width: int, out: Extracted) -> bool:
    """What :func:`columns` makes of a rectangular table of text whose cells are given
    row after row, ``width`` per row, without a list per row: each column is one
    extended slice. Only for tables past the sideways reading's 200 rows and within
    the caps; False (nothing added) otherwise, for :func:`columns` to read."""
    rows = len(cells) // width
    if rows * width != len(cells) or rows > MAX_ROWS or len(cells) > MAX_CELLS:
        return False
    first = 0  # leading empty rows dropped, as columns() drops them
    while first < rows and not any(cells[first * width:(first + 1) * width]):
        first += 1
    if rows - first <= 200:
        return False
    head: list[Sequence[str]] = [cells[r * width:(r + 1) * width]
                                 for r in range(first, first + 20)]
    header, rest = _header(head)  # reads at most the first 15 rows
    data = first + len(head) - len(rest)
    typed = _type_column([cells[r * width:(r + 1) * width]
                          for r in range(data, min(rows, data + 50))], width)
    _emit(header, width, typed, (cells[data * width + i::width] for i in range(width)), out)
    return True


def _emit(header: Sequence[str], width: int, typed: int | None,
          table_columns: Iterable[Sequence[str]], out: Extracted) -> None:
    """One unit per column (the first ``width``), labelled by ``header``."""
    types: Sequence[str] = ()
    for i, column in enumerate(table_columns):
        if i >= width:
            break
        label = header[i].strip() if i < len(header) and header[i] else ""
        values: Sequence[str] = column
        if typed is not None and i == typed:
            types = column
        elif typed is not None and i == typed + 1:
            values = _by_type(types, column, out)
        parts = _label_parts(label) if "/" in label or "&" in label else None
        cells: Iterable[str] = values if parts is None else _split_combined(values, parts, out)
        text = "\n".join(filter(None, cells))  # the cells are str: drops the empty ones
        if text:
            out.units.append(Unit(label, text))


def _type_column(table: list[Sequence[str]], width: int) -> int | None:
    """A column that says, row by row, what the number beside it is (``JENIS
    IDENTITAS: KTP | PASPOR | KK`` before ``NOMOR IDENTITAS``): four in five of its
    filled cells are short words naming a kind of number. Looked for in the first
    fifty rows; the first such column is taken."""
    head = table[:50]
    for c in range(min(width, 32) - 1):
        cells = [str(r[c]).strip() for r in head if c < len(r) and r[c]]
        if len(cells) < 3:
            continue
        named = sum(1 for v in cells if len(v) <= 30 and not any(ch.isdigit() for ch in v)
                    and kind_named(v) is not None)
        if named >= 0.8 * len(cells):
            return c
    return None


def _by_type(types: Sequence[str], values: Sequence[str], out: Extracted) -> list[str]:
    """The numbers of a column labelled row by row by the type column before it; the
    rows whose type names nothing stay in the column."""
    kept: list[str] = []
    by_type: dict[str, list[str]] = {}
    for kind, value in zip_longest(types, values, fillvalue=""):
        kind = str(kind).strip()
        if value and kind and kind_named(kind) is not None:
            by_type.setdefault(kind, []).append(value)
        else:
            kept.append(value)
    out.units.extend(Unit(kind, "\n".join(v)) for kind, v in by_type.items())
    return kept


_PART_SPLIT = re.compile(r"[/&]")


def _label_parts(label: str) -> list[str] | None:
    """``NIK / No. KK`` → [NIK, No. KK] when each part names a kind of number."""
    parts = [p.strip() for p in _PART_SPLIT.split(label) if p.strip()]
    kinds = [kind_named(p) for p in parts]
    if len(parts) < 2 or None in kinds or len(set(kinds)) < len(kinds):
        return None  # "NO. TELP/HP" names one kind twice: one number, not two
    return parts


def _split_combined(values: Iterable[str], parts: list[str], out: Extracted) -> list[str]:
    """A cell holding one value per part of its label (``3218…<br>3218…`` under
    ``NIK / No. KK``): the values go, in order, to a column per part. Cells holding
    another count (``NPWP/NIK`` over one number) stay in the combined column."""
    kept: list[str] = []
    split: list[list[str]] = [[] for _ in parts]
    for value in values:
        numbers = value.split() if value else []
        if len(numbers) == len(parts) and all(sum(map(str.isdigit, n)) >= 9 for n in numbers):
            for column, number in zip(split, numbers, strict=True):
                column.append(number)
        else:
            kept.append(value)
    for part, column in zip(parts, split, strict=True):
        if column:
            out.units.append(Unit(part, "\n".join(column)))
    return kept


def _read(rows: Iterable[Sequence[Any]], out: Extracted) -> list[Sequence[Any]]:
    """At most MAX_ROWS + 1 rows, and no more than MAX_CELLS cells: a sheet 16,384
    columns wide is a bomb, not a list. One loop, no generator between reader and list."""
    table: list[Sequence[Any]] = []
    append = table.append
    cells = 0
    for row in rows:
        cells += len(row)
        if cells > MAX_CELLS:
            out.truncated = True
            break
        append(row)
        if len(table) > MAX_ROWS:
            break
    return table


def _all_str(row: Sequence[Any]) -> bool:
    return all(type(v) is str for v in row)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores numbers as floats: 1.27101e15 → digits
    return str(value).strip()


# Five digits, possibly grouped (0812-3456-7890 has no five in a row), or an address.
_DATAISH = re.compile(r"[0-9](?:[ .\-/]?[0-9]){4}|@")
MAX_HEADER_ROWS = 6


def _sideways(table: list[Sequence[str]], out: Extracted) -> bool:
    """A table whose first column names the fields (``NIK | : | 3218…`` on a detail
    page, or one record per column): each row's values go under its first cell. Read
    this way when every first cell is a label, two or more of them name a kind of
    number, and none of them is data."""
    if len(table) < 2 or len(table) > 200:
        return False
    firsts = [str(row[0]).strip() if row else "" for row in table]
    if not all(firsts) or any(_DATAISH.search(c) for c in firsts):
        return False
    if sum(1 for c in firsts if names_a_kind(c)) < 2:
        return False
    by_label: dict[str, list[str]] = {}
    for row, label in zip(table, firsts, strict=True):
        values = [v for v in (str(c).strip() for c in row[1:]) if v and v != ":"]
        if values:
            by_label.setdefault(label, []).extend(v.removeprefix(":").strip() for v in values)
    out.units.extend(Unit(label, "\n".join(values)) for label, values in by_label.items())
    return True


def is_header(cells: Sequence[str]) -> bool:
    return _is_header(cells)


def _is_header(cells: Sequence[str]) -> bool:
    """A header row names columns: no long numbers, no addresses (else it is data)."""
    filled = [c for c in cells if c]
    return bool(filled) and not any(_DATAISH.search(c) for c in filled)


def _header(table: list[Sequence[str]]) -> tuple[list[str], list[Sequence[str]]]:
    """The column labels and the data rows.

    Real lists put more than one row above the data: a title (``DAFTAR PENERIMA
    BLT;;``), blank rows, a group row (``Identitas`` over ``NIK`` and ``No KK``),
    the column row, and often a row numbering the columns (``1;2;3`` or ``(1);(2)``).
    Every leading row without data is a header row; a title (one filled cell in a
    wider table), a blank row and a numbering row name no column; each column takes
    the lowest naming cell above it, so a group label only fills a column its lower
    row leaves empty (a cell merged downwards, ``rowspan``)."""
    # The block ends with the column row: the first row that fills most of the width
    # (a title or a group row leaves cells empty). Data rows with no number in them
    # (names, e-mail addresses written "(at)") must not be read as more header rows.
    # A full group row (three of four cells over a two-column group) goes on only when
    # the next row is a partial header row filling a cell the group left empty.
    width = max(len(r) for r in table[:10])
    full = max(2, 0.75 * width)
    k = 0
    while k < len(table) and k < MAX_HEADER_ROWS:
        row = table[k]
        if any(row) and not _is_header(row):
            break
        k += 1
        if sum(1 for c in row if c) >= full:
            after = table[k] if k < len(table) else ()
            if _numbering(after):
                k += 1
                break
            if not (_is_header(after) and sum(1 for c in after if c) < full
                    and any(c and (i >= len(row) or not row[i]) for i, c in enumerate(after))):
                break
    if k == 0:
        return [], table
    if k == len(table):  # no data row: the first row names the columns, as ever
        return [str(c) for c in table[0]], table[1:]
    data_width = max(len(r) for r in table[k:k + 8])
    named = [r for r in table[:k]
             if (data_width == 1 or sum(1 for c in r if c) > 1) and not _numbering(r)]
    if not named:
        return [], table[k:]
    width = max(len(r) for r in named)
    labels = [""] * width
    for row in named:
        for i, cell in enumerate(row):
            if cell and cell.strip():
                labels[i] = cell
    return labels, table[k:]


_COLUMN_NUMBER = re.compile(r"\(?[0-9]{1,3}\)?")


def _numbering(row: Sequence[str]) -> bool:
    """``1;2;3;…`` or ``(1);(2);…`` under the header: numbers the columns, names none.
    Three numbers at least, counting up by one (a data row of small numbers does not)."""
    filled = [c.strip() for c in row if c and c.strip()]
    if len(filled) < 3 or not all(_COLUMN_NUMBER.fullmatch(c) for c in filled):
        return False
    numbers = [int(c.strip("()")) for c in filled]
    return all(b == a + 1 for a, b in pairwise(numbers))


def add_text(text: str, out: Extracted) -> None:
    """Running text, cut at what is left of the document's MAX_CHARS."""
    room = MAX_CHARS - sum(len(u.text) for u in out.units)
    if len(text) > room:
        text, out.truncated = text[:max(room, 0)], True
    out.units.append(Unit("", text))
