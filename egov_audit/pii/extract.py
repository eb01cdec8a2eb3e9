"""Turning a fetched body into labelled text units the detector can scan.

Tables (CSV, XLSX, DOCX and HTML tables, SQL ``INSERT`` lists) become one
unit per column, labelled with the column header; JSON becomes one unit per
key; everything else is one unit of plain text with no label.

Every body is hostile, so every reader is bounded in bytes and time: at most
``MAX_CHARS`` bytes are decoded, the text readers here scan in linear time (no
pattern that backtracks over the page), JSON deeper than ``MAX_JSON_DEPTH`` is
read as text, and XLSX, DOCX and PDF are parsed in a child process with memory,
CPU and wall-clock limits (:mod:`egov_audit.pii.documents`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import accumulate, repeat
from typing import Any

from .documents import FORMATS as DOCUMENT_FORMATS
from .documents import read_document
from .html_tables import ATTRIBUTE_SEPARATOR, read_page
from .lexicon import names_a_kind
from .sql_inserts import copies, inserts
from .tables import (
    MAX_CELLS,
    MAX_CHARS,
    Extracted,
    Unit,
    add_text,
    columns,
    grid_columns,
    is_header,
)
from .text_tables import split as split_text_tables

__all__ = ["MAX_CELLS", "MAX_CHARS", "Extracted", "Unit", "columns", "decode", "extract",
           "sniff_format"]

# Real APIs nest a few levels (GeoJSON about ten); json.loads recurses in C once per
# level and the walk below once per value, so deeper documents are read as text.
MAX_JSON_DEPTH = 100

_EXT_FORMATS = {
    "csv": "csv", "tsv": "csv", "xlsx": "xlsx", "xlsm": "xlsx", "pdf": "pdf", "docx": "docx",
    "json": "json", "sql": "sql", "txt": "text", "js": "text", "map": "json", "html": "html",
    "htm": "html", "xml": "text", "php": "html", "asp": "html", "aspx": "html",
}
_TYPE_FORMATS = (
    ("spreadsheetml", "xlsx"), ("wordprocessingml", "docx"), ("pdf", "pdf"), ("json", "json"),
    ("csv", "csv"), ("html", "html"), ("javascript", "text"), ("sql", "sql"), ("text/", "text"),
    ("xml", "text"),
)


def sniff_format(url_path: str, content_type: str, body: bytes) -> str:
    """The reader to use, from magic bytes first, then the content type, then the name."""
    head = body[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    name = url_path.rsplit("/", 1)[-1].lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if head.startswith(b"PK\x03\x04"):
        return "docx" if ext == "docx" or "wordprocessing" in content_type else (
            "xlsx" if ext in ("xlsx", "xlsm") or "spreadsheet" in content_type else "binary")
    if ext in _EXT_FORMATS:
        return _EXT_FORMATS[ext]
    if "html" not in content_type and body[:64].lstrip()[:1] in (b"{", b"["):
        return "json"  # APIs often answer text/plain or octet-stream
    for needle, fmt in _TYPE_FORMATS:
        if needle in content_type:
            return fmt
    return "binary" if b"\x00" in body[:1024] else "text"


def decode(body: bytes, charset: str = "utf-8") -> str:
    """At most ``MAX_CHARS`` bytes of ``body`` as text; bad bytes become U+FFFD."""
    body = body[:MAX_CHARS]
    try:
        return body.decode(charset, errors="replace")
    except (LookupError, ValueError):  # unknown charset, or a NUL in its name
        return body.decode("utf-8", errors="replace")


def extract(body: bytes, fmt: str, charset: str = "utf-8") -> Extracted:
    """The labelled text of ``body``; a body that cannot be read is an ``error``, never
    an exception (apart from MemoryError, left to the caller)."""
    if fmt in DOCUMENT_FORMATS:
        return _with_text_tables(read_document(body, fmt))
    out = Extracted(fmt)
    if fmt == "binary":
        out.error = "binary content not read"
        return out
    try:
        text = decode(body, charset)
        out.truncated = len(body) > MAX_CHARS
        if fmt == "text" and any(w in text for w in _DUMP_WORDS):
            fmt = "sql"  # a dump served as .txt (or text/plain) is still a dump
        {"csv": _csv, "json": _json, "sql": _sql, "html": _html}.get(fmt, _text)(text, out)
    except Exception as exc:  # a malformed body is reported, never fatal
        out.error = f"could not read {fmt}: {type(exc).__name__}"
    return _with_text_tables(out)


def _with_text_tables(out: Extracted) -> Extracted:
    """Rows of tables written as text (PDF pages, listings) under their column labels;
    the rest of the text as it was (:mod:`egov_audit.pii.text_tables`)."""
    units: list[Unit] = []
    for unit in out.units:
        if unit.label:
            units.append(unit)
            continue
        found, rest = split_text_tables(unit.text)
        units.extend(Unit(label, "\n".join(values)) for label, values in found.items())
        units.append(Unit("", rest) if found else unit)
    out.units = units
    return out


_DUMP_WORDS = ("INSERT INTO", "insert into", "FROM stdin;")


def _text(text: str, out: Extracted) -> None:
    add_text(text, out)


def _csv(text: str, out: Extracted, grids: bool = True) -> None:
    first = text[:4096].split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count)
    grid = _plain_grid(text, delimiter) if grids else None
    if grid is not None and grid_columns(*grid, out):
        return  # read without the csv module's list per row (grids=False: always with it)
    try:
        columns(csv.reader(io.StringIO(text), delimiter=delimiter), out)
    except csv.Error:  # a field past csv's size limit, a NUL: not a table after all
        out.units.clear()
        _text(text, out)


def _plain_grid(text: str, delimiter: str) -> tuple[list[str], int] | None:
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


def _json(text: str, out: Extracted) -> None:
    if too_deep(text, MAX_JSON_DEPTH):
        _text(text, out)
        return
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        _text(text, out)
        return
    by_key: defaultdict[str, list[str]] = defaultdict(list)
    collect(data, by_key)
    # {"rekening": {"nomor": …}}: a key that names nothing is read with its parent's name.
    for key, values in by_key.items():
        out.units.append(Unit(key, "\n".join(values)))


# Nesting is read in two C-level passes: strings are removed by one substitution, then
# the brackets left are summed by accumulate. A Python step per quote and bracket cost
# more than json.loads (a 1 MB list of records has 200,000 quotes). The string pattern
# reads each string once: an unterminated one runs to the end of the text (nothing
# after its quote is outside a string), so the substitution never starts again inside
# it. Each escape step is guarded by a look-ahead, so the possessive repeat never sees
# a step fail half-way (Python 3.11.2, Debian 12's, mishandles that).
_JSON_STRING = re.compile(r'"[^"\\]*+(?:(?=\\[\s\S])\\[\s\S][^"\\]*+)*+(?:"|\\?\Z)')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DEPTH_STEP = tuple(1 if b in b"[{" else -1 if b in b"]}" else 0 for b in range(256))


def too_deep(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` at any point."""
    if text.count("[") + text.count("{") <= limit:
        return False
    # Without a backslash a string is what lies between two quotes: every other piece
    # of a split (an odd count leaves the unterminated last string out, as it should).
    bare = ("".join(text.split('"')[::2]) if "\\" not in text
            else _JSON_STRING.sub("", text)).encode("utf-8", "surrogatepass")
    brackets = bare.translate(None, _NOT_BRACKETS)  # UTF-8's other bytes are >= 0x80
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) > limit


def _leaves(data: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(key, value) for every scalar, in document order; an explicit stack, so the
    work is one step per value however deep the nesting. A key that names no kind of
    identifier (``nomor``) is given with its parent's: ``rekening.nomor``."""
    stack: list[tuple[Any, str]] = [(data, key)]
    while stack:
        value, key = stack.pop()
        if isinstance(value, dict):
            stack.extend(_children(value, key))
        elif isinstance(value, list):
            stack.extend((v, key) for v in reversed(value))
        elif not (isinstance(value, bool) or value is None):
            yield key, str(value)


def _children(value: dict[Any, Any], key: str) -> list[tuple[Any, str]]:
    """An object's values with their labels, last first (to be pushed on a stack)."""
    table = _names_and_rows(value)
    if table is not None:  # {"fields": ["nik", …], "rows": [["3218…", …], …]}
        names, rows = table
        return [(cell, names[i]) for row in reversed(rows)
                for i, cell in reversed(list(enumerate(row[:len(names)])))]
    named = _named_by_sibling(value)
    return [(v, named if named is not None and not isinstance(v, dict | list)
             and not names_a_kind(str(k)) else _label(key, str(k)))
            for k, v in reversed(value.items())]


def collect(data: Any, by_key: defaultdict[str, list[str]]) -> None:
    """``by_key[key].append(value)`` for every (key, value) :func:`_leaves` gives, in
    its order, with less work per value: a list is walked by one iterator, and a
    flat record in it (no list or object inside) is read in place, its labels cached
    per (parent, keys), so a list of 10,000 records costs no stack step per value."""
    labels: dict[tuple[Any, ...], list[str]] = {}  # (parent, *keys) -> labels
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, key = stack.pop()
        if isinstance(value, list):
            value = iter(value)
        if isinstance(value, Iterator):
            for item in value:
                if isinstance(item, dict):
                    if not any(isinstance(v, dict | list) for v in item.values()):
                        _flat_record(item, key, by_key, labels)
                        continue
                elif not isinstance(item, list):
                    if not (isinstance(item, bool) or item is None):
                        by_key[key].append(str(item))
                    continue
                stack.append((value, key))  # the rest of this list, after the item
                stack.append((item, key))
                break
        elif isinstance(value, dict):
            stack.extend(_children(value, key))
        elif not (isinstance(value, bool) or value is None):
            by_key[key].append(str(value))


def _flat_record(record: dict[Any, Any], key: str, by_key: defaultdict[str, list[str]],
                 labels: dict[tuple[Any, ...], list[str]]) -> None:
    """A record without nested values, as :func:`_leaves` reads it (its sibling-named
    label included; a record of scalars is never a fields-and-rows table)."""
    named = _named_by_sibling(record)
    if named is None:  # the common case: labels by the record's keys, cached per shape
        shape = (key, *record)
        names = labels.get(shape)
        if names is None:
            names = labels[shape] = [_label(key, str(k)) for k in record]
        for label, v in zip(names, record.values(), strict=True):
            if not (isinstance(v, bool) or v is None):
                by_key[label].append(str(v))
        return
    for k, v in record.items():
        if not (isinstance(v, bool) or v is None):
            name = str(k)
            by_key[named if not names_a_kind(name) else _label(key, name)].append(str(v))


def _names_and_rows(value: dict[Any, Any]) -> tuple[list[str], list[list[Any]]] | None:
    """A table sent as column names and rows of values (DataTables, pandas "split",
    report APIs): a list of names and a list of lists as long as it, in one object."""
    names = rows = None
    for v in value.values():
        if isinstance(v, list) and v:
            if names is None and all(isinstance(x, str) for x in v[:64]):
                names = v
            elif rows is None and isinstance(v[0], list):
                rows = v
    if names is None or rows is None or len(rows[0]) != len(names):
        return None
    if not all(isinstance(x, str) for x in names):
        return None
    return names, [r for r in rows if isinstance(r, list)]


def _named_by_sibling(value: dict[Any, Any]) -> str | None:
    """``{"jenis": "KK", "nomor": "3218…"}``: a short text value naming a kind of number
    (under a key that names none) labels the object's other values. Looked for only
    in small objects (a label and a value, perhaps a note: four keys at most) holding a
    long number, so a list of full records costs one length test each."""
    if len(value) > 4 or not any(isinstance(v, int | str) and _long_digits(str(v))
                                 for v in value.values()):
        return None
    for k, v in value.items():
        if (isinstance(v, str) and 1 < len(v) <= 30 and not _long_digits(v)
                and not names_a_kind(str(k)) and names_a_kind(v)):
            return v
    return None


_LONG_DIGITS = re.compile(r"[0-9]{6}")


def _long_digits(text: str) -> bool:
    """Six ASCII digits in a row; a value that is all digits says so without a search."""
    return (len(text) >= 6 and text.isdigit() and text.isascii()) or bool(
        _LONG_DIGITS.search(text))


def _label(parent: str, key: str) -> str:
    if not parent or names_a_kind(key):
        return key
    return f"{parent.rsplit('.', 1)[-1]}.{key}"


def _sql(text: str, out: Extracted) -> None:
    """``INSERT INTO t (a, b) VALUES (...), (...);`` → columns a, b; the rest as text."""
    rest: list[str] = []
    pos = 0
    for statement in sorted([*inserts(text), *copies(text)], key=lambda s: s.start):
        if statement.start < pos:
            continue  # inside a statement already read
        columns(([*statement.names], *statement.rows), out)
        rest.append(text[pos:statement.start])
        pos = statement.end
    rest.append(text[pos:])
    _text(" ".join(rest), out)


def _html(text: str, out: Extracted) -> None:
    """Tables become labelled columns; the rest of the page stays as text (with
    scripts: inline data blobs are where resident records hide)."""
    page = read_page(text, MAX_CELLS)
    header: list[str] | None = None
    for rows in page.tables:
        # A grid whose header is a table of its own (fixed header, scrolling body):
        # the header-only table's row labels the next table of the same width.
        if header is not None and rows and len(rows[0]) == len(header) and not is_header(
                rows[0]):
            rows = [header, *rows]
        header = rows[0] if len(rows) == 1 and is_header(rows[0]) else None
        columns(rows, out)
    out.truncated = out.truncated or page.truncated
    if page.attributes:  # links and file names inside cells: ?nik=3218…, ktp_3218….jpg
        _text(ATTRIBUTE_SEPARATOR.join(page.attributes), out)
    _text(page.text, out)
