"""Hostile documents written from the formats' specifications with the standard library.

PDF objects are written by hand (ISO 32000: header, objects, xref table,
trailer); Office files are ZIP archives (APPNOTE.TXT) written here byte by
byte, so a member can declare what a real writer never would. The project's
own extractors are not used to build anything: the documents must not share
the mistakes of the code they test.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from functools import cache

from .bombs import MIB, zip_member_bomb

# -- PDF ---------------------------------------------------------------------


def _pdf(objects: list[bytes], *, xref: bool = True) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, start)
    return bytes(out)


_TEXT_LINE = b"BT /F1 10 Tf 40 700 Td (Laporan realisasi anggaran triwulan) Tj ET\n"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_huge(size: int = 100 * MIB) -> tuple[int, Iterator[bytes]]:
    """A valid one-page PDF of ``size`` bytes whose content stream is ``size`` long.

    Returns (exact length, chunks): streamed lazily, never held in memory."""
    head = b"%PDF-1.7\n"
    objs = [
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>\nendobj\n",
    ]
    font = b"5 0 obj\n" + _FONT + b"\nendobj\n"
    repeats = max(1, (size - 2048) // len(_TEXT_LINE))
    length = repeats * len(_TEXT_LINE)
    stream_head = b"4 0 obj\n<< /Length %d >>\nstream\n" % length
    stream_tail = b"\nendstream\nendobj\n"
    offsets, position = [], len(head)
    for obj in objs:
        offsets.append(position)
        position += len(obj)
    offsets.append(position)
    position += len(stream_head) + length + len(stream_tail)
    offsets.append(position)
    position += len(font)
    trailer = (b"xref\n0 6\n0000000000 65535 f \n"
               + b"".join(b"%010d 00000 n \n" % o for o in offsets)
               + b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % position)
    total = position + len(trailer)

    def chunks() -> Iterator[bytes]:
        yield head + b"".join(objs) + stream_head
        block = _TEXT_LINE * (MIB // len(_TEXT_LINE))
        left = length
        while left > 0:
            piece = block[:left]
            left -= len(piece)
            yield piece
        yield stream_tail + font + trailer

    return total, chunks()


@cache
def pdf_malformed() -> bytes:
    """Everything a careless PDF reader trusts, wrong at once: a page tree whose
    kids include itself, a stream whose /Length is a billion, a Flate stream of
    garbage, an xref pointing past the end, and no %%EOF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count 999999999 >>",
        b"<< /Type /Page /Parent 2 0 R /Contents [4 0 R 5 0 R 3 0 R] >>",
        b"<< /Length 1000000000 >>\nstream\nBT (NIK) Tj ET\nendstream",
        b"<< /Length 64 /Filter /FlateDecode >>\nstream\n" + bytes(range(64)) + b"\nendstream",
    ]
    text = _pdf(objects)
    return text.replace(b"startxref\n", b"startxref\n9").rsplit(b"%%EOF", 1)[0]


@cache
def pdf_shared_content(pages: int = 3000) -> bytes:
    """Thousands of pages sharing one compressed content stream of 4 MiB of text:
    80 KB on the wire, gigabytes of text for a reader that extracts every page."""
    text = _TEXT_LINE * (4 * MIB // len(_TEXT_LINE))
    content = zlib.compress(text, 9)
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content
        + b"\nendstream",
        _FONT,
    ]
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>")
    return _pdf(objects + [page] * pages)


# -- ZIP (Office Open XML) ---------------------------------------------------

Member = tuple[str, bytes, int, int, int]  # name, stored data, method, crc32, size


def _member(name: str, content: bytes) -> Member:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return name, data, 8, zlib.crc32(content), len(content)


def _zip(members: list[Member]) -> bytes:
    out = bytearray()
    central = bytearray()
    for name, data, method, crc, size in members:
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21,
                           crc, len(data), size, len(raw), 0) + raw + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21,
                               crc, len(data), size, len(raw), 0, 0, 0, 0, 0, offset) + raw
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                                 len(central), len(out), 0)
    return bytes(out)


_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _xlsx_parts() -> list[Member]:
    return [
        _member("[Content_Types].xml", (
            f'<?xml version="1.0"?><Types xmlns="{_CT}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>').encode()),
        _member("_rels/.rels", (
            f'<?xml version="1.0"?><Relationships xmlns="{_REL}"><Relationship Id="rId1" '
            f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode()),
        _member("xl/workbook.xml", (
            f'<?xml version="1.0"?><workbook xmlns="{_SHEET}" xmlns:r="{_DOC}"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>').encode()),
        _member("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0"?><Relationships xmlns="{_REL}"><Relationship Id="rId1" '
            f'Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ).encode()),
    ]


@cache
def xlsx_zip_bomb(size: int = 1024 * MIB) -> bytes:
    """An honest-looking workbook whose one sheet inflates to ``size`` bytes of rows
    (about 1 MB on the wire: a 1000:1 ratio the header states plainly)."""
    head = f'<?xml version="1.0"?><worksheet xmlns="{_SHEET}"><sheetData>'.encode()
    # Whitespace between rows is legal XML and compresses about 1000:1.
    unit = b'<row><c t="inlineStr"><is><t>3201014501900001</t></is></c></row>' + b" " * 8192
    data, crc, total = zip_member_bomb(head, unit, b"</sheetData></worksheet>", size)
    return _zip([*_xlsx_parts(), ("xl/worksheets/sheet1.xml", data, 8, crc, total)])


@cache
def xlsx_malformed() -> bytes:
    """A workbook whose sheet is not XML, whose sizes lie, and whose archive is cut
    before the end of the central directory."""
    sheet = b'<worksheet><sheetData><row><c t="s"><v>99999</v></c><row><<<\xff\xfe'
    name, data, method, crc, _ = _member("xl/worksheets/sheet1.xml", sheet)
    archive = _zip([*_xlsx_parts(), (name, data, method, crc ^ 0xFFFF, 7)])
    return archive[:-9]


def _docx_parts() -> list[Member]:
    return [
        _member("[Content_Types].xml", (
            f'<?xml version="1.0"?><Types xmlns="{_CT}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ).encode()),
        _member("_rels/.rels", (
            f'<?xml version="1.0"?><Relationships xmlns="{_REL}"><Relationship Id="rId1" '
            f'Type="{_DOC}/officeDocument" Target="word/document.xml"/></Relationships>'
        ).encode()),
    ]


@cache
def docx_billion_laughs(levels: int = 10) -> bytes:
    """word/document.xml declares ten nested entities, each ten of the previous:
    10^10 copies of a NIK-shaped string from a 2 KB document."""
    entities = ['<!ENTITY e0 "NIK 3201014501900001 ">'] + [
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, levels)
    ]
    document = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{"".join(entities)}]>'
        f'<w:document xmlns:w="{_WORD}"><w:body><w:p><w:r><w:t>&e{levels - 1};</w:t>'
        '</w:r></w:p></w:body></w:document>'
    ).encode()
    return _zip([*_docx_parts(), _member("word/document.xml", document)])


@cache
def docx_malformed() -> bytes:
    """A document cut mid-tag with invalid UTF-8, a member whose CRC is wrong, and
    a member declared Stored whose bytes are deflate."""
    document = f'<?xml version="1.0"?><w:document xmlns:w="{_WORD}"><w:body><w:p><w:t>'
    name, data, _method, crc, size = _member("word/document.xml",
                                             document.encode() + b"\xc3\x28<w:r")
    styles = _member("word/styles.xml", b"<w:styles/>" * 100)
    return _zip([*_docx_parts(), (name, data, 0, crc ^ 1, size),
                 (styles[0], styles[1], 8, 0, styles[4])])


# -- JSON --------------------------------------------------------------------


def deep_json(depth: int = 200_000) -> bytes:
    """Arrays and objects nested far past any recursion limit."""
    return b'{"a":' * (depth // 2) + b"[" * (depth // 2) + b"1" + b"]" * (depth // 2) + (
        b"}" * (depth // 2))
