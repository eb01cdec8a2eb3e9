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
from collections import defaultdict

from .csv_grid import plain_grid
from .documents import FORMATS as DOCUMENT_FORMATS
from .documents import read_document
from .html_grids import Grid
from .html_tables import ATTRIBUTE_SEPARATOR, read_page
from .json_depth import too_deep
from .json_values import collect
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
    grid = plain_grid(text, delimiter) if grids else None
    if grid is not None and grid_columns(*grid, out):
        return  # read without the csv module's list per row (grids=False: always with it)
    try:
        columns(csv.reader(io.StringIO(text), delimiter=delimiter), out)
    except csv.Error:  # a field past csv's size limit, a NUL: not a table after all
        out.units.clear()
        _text(text, out)


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
            rows = (Grid([*header, *rows.cells], rows.width) if isinstance(rows, Grid)
                    else [header, *rows])
        header = rows[0] if len(rows) == 1 and is_header(rows[0]) else None
        if isinstance(rows, Grid) and grid_columns(rows.cells, rows.width, out):
            continue  # a plain grid: one slice per column, no list per row (as for CSV)
        columns(rows, out)
    out.truncated = out.truncated or page.truncated
    if page.attributes:  # links and file names inside cells: ?nik=3218…, ktp_3218….jpg
        _text(ATTRIBUTE_SEPARATOR.join(page.attributes), out)
    _text(page.text, out)
