"""Turning a fetched body into labelled text units the detector can scan.

Tables (CSV, XLSX, DOCX and HTML tables, SQL ``INSERT`` lists) become one
unit per column, labelled with the column header; JSON becomes one unit per
key; everything else is one unit of plain text with no label. Every reader
is bounded (``limits``): a 4 MB spreadsheet can unpack to far more text.
Document libraries are imported inside the functions that need them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice, zip_longest
from typing import Any

MAX_CHARS = 32 * 1024 * 1024  # text extracted per document
MAX_ROWS = 200_000
MAX_CELLS = 4_000_000
MAX_PAGES = 500


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
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def extract(body: bytes, fmt: str, charset: str = "utf-8") -> Extracted:
    out = Extracted(fmt)
    try:
        if fmt == "xlsx":
            _xlsx(body, out)
        elif fmt == "docx":
            _docx(body, out)
        elif fmt == "pdf":
            _pdf(body, out)
        elif fmt == "binary":
            out.error = "binary content not read"
        else:
            text = decode(body, charset)
            if len(text) > MAX_CHARS:
                text, out.truncated = text[:MAX_CHARS], True
            {"csv": _csv, "json": _json, "sql": _sql, "html": _html}.get(fmt, _text)(text, out)
    except Exception as exc:  # a malformed document is reported, never fatal
        out.error = f"could not read {fmt}: {type(exc).__name__}"
    return out


def _text(text: str, out: Extracted) -> None:
    out.units.append(Unit("", text))


def columns(rows: Iterable[Sequence[Any]], out: Extracted) -> None:
    """Rows → one unit per column, labelled by the header row when there is one.

    Transposed with ``zip`` so that a 100,000-row list costs a few C-level
    passes, not a Python loop per cell."""
    table = [row if _all_str(row) else [_cell(v) for v in row]
             for row in islice(_capped(rows, out), MAX_ROWS + 1)]
    if len(table) > MAX_ROWS:
        out.truncated = True
        table = table[:MAX_ROWS]
    while table and not any(table[0]):
        table.pop(0)
    if not table:
        return
    header: Sequence[str] = ()
    if _is_header(table[0]):
        header, table = table[0], table[1:]
    width = max((len(r) for r in table), default=0)
    for i, values in enumerate(zip_longest(*table, fillvalue="")):
        if i >= width:
            break
        text = "\n".join(v for v in values if v)
        if text:
            label = header[i].strip() if i < len(header) and header[i] else ""
            out.units.append(Unit(label, text))


def _capped(rows: Iterable[Sequence[Any]], out: Extracted) -> Iterator[Sequence[Any]]:
    """Stop after MAX_CELLS cells: a sheet 16,384 columns wide is a bomb, not a list."""
    cells = 0
    for row in rows:
        cells += len(row)
        if cells > MAX_CELLS:
            out.truncated = True
            return
        yield row


def _all_str(row: Sequence[Any]) -> bool:
    return all(type(v) is str for v in row)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores numbers as floats: 1.27101e15 → digits
    return str(value).strip()


_DATAISH = re.compile(r"\d{5}|@")


def _is_header(cells: Sequence[str]) -> bool:
    """A header row names columns: no long numbers, no addresses (else it is data)."""
    filled = [c for c in cells if c]
    return bool(filled) and not any(_DATAISH.search(c) for c in filled)


def _csv(text: str, out: Extracted) -> None:
    first = text[:4096].split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count)
    columns(csv.reader(io.StringIO(text), delimiter=delimiter), out)


def _json(text: str, out: Extracted) -> None:
    try:
        data = json.loads(text)
    except ValueError:
        _text(text, out)
        return
    by_key: dict[str, list[str]] = defaultdict(list)
    for key, value in _leaves(data, ""):
        by_key[key].append(value)
    for key, values in by_key.items():
        out.units.append(Unit(key, "\n".join(values)))


def _leaves(value: Any, key: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v, key)
    elif isinstance(value, bool) or value is None:
        return
    else:
        yield key, str(value)


_INSERT = re.compile(
    r"INSERT\s+INTO\s+\S+\s*\(([^)]*)\)\s*VALUES\s*(.*?);\s*$", re.I | re.S | re.M)
_TUPLE_SPLIT = re.compile(r"\)\s*,\s*\(")


def _sql(text: str, out: Extracted) -> None:
    """``INSERT INTO t (a, b) VALUES (...), (...);`` → columns a, b; the rest as text."""
    rest = text
    for m in _INSERT.finditer(text):
        names = [n.strip(" `\"[]\n") for n in m.group(1).split(",")]
        body = m.group(2).strip().removeprefix("(").removesuffix(")")
        rows = csv.reader(_TUPLE_SPLIT.split(body), quotechar="'", skipinitialspace=True)
        columns(([*names], *rows), out)
        rest = rest.replace(m.group(), " ")
    _text(rest, out)


_TABLE = re.compile(r"<table\b.*?</table>", re.I | re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)(?=<tr\b|</table>|$)", re.I | re.S)
_CELL = re.compile(r"<t([dh])\b[^>]*>(.*?)(?=<t[dh]\b|</tr>|$)", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_SCRIPT_STYLE = re.compile(r"<(style)\b.*?</style>", re.I | re.S)


def _html(text: str, out: Extracted) -> None:
    """Tables become labelled columns; the rest of the page stays as text (with
    scripts: inline data blobs are where resident records hide)."""
    if "<table" in text or "<TABLE" in text:
        for table in _TABLE.findall(text):
            rows = [[_TAG.sub(" ", c[1]).strip() for c in _CELL.findall(r)]
                    for r in _ROW.findall(table)]
            columns(rows, out)
        text = _TABLE.sub(" ", text)
    out.units.append(Unit("", _SCRIPT_STYLE.sub(" ", text)))


def _xlsx(body: bytes, out: Extracted) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    try:
        props = wb.properties
        _meta(out, author=props.creator, last_modified_by=props.lastModifiedBy)
        for ws in wb.worksheets:
            columns(ws.iter_rows(values_only=True), out)
    finally:
        wb.close()


def _docx(body: bytes, out: Extracted) -> None:
    from docx import Document

    doc = Document(io.BytesIO(body))
    props = doc.core_properties
    _meta(out, author=props.author, last_modified_by=props.last_modified_by)
    out.units.append(Unit("", "\n".join(p.text for p in doc.paragraphs)))
    for table in doc.tables:
        columns(([c.text for c in row.cells] for row in table.rows), out)


def _pdf(body: bytes, out: Extracted) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    info = reader.metadata
    if info is not None:
        _meta(out, author=info.get("/Author"), last_modified_by=None)
    parts: list[str] = []
    size = 0
    for i, page in enumerate(reader.pages):
        if i >= MAX_PAGES or size >= MAX_CHARS:
            out.truncated = True
            break
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
    out.units.append(Unit("", "\n".join(parts)))


def _meta(out: Extracted, **fields: object) -> None:
    for name, value in fields.items():
        if isinstance(value, str) and value.strip():
            out.metadata[name] = value.strip()
