"""Hostile documents, built from the formats' specifications (not from our readers).

- OOXML packages (ECMA-376 Part 2, Open Packaging Conventions): a ZIP with
  ``[Content_Types].xml``, ``_rels/.rels`` pointing at the main part, and the
  main part's own relationships; SpreadsheetML and WordprocessingML (Part 1)
  for the parts themselves.
- PDF (ISO 32000-1 §7.5): header, numbered indirect objects, a cross-reference
  table with 20-byte entries, a trailer naming the catalog, ``startxref``.
- ZIP (PKWARE APPNOTE): written by :mod:`zipfile`, whose member sizes are then
  what the central directory declares.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence

_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_WML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _rels(*targets: tuple[str, str]) -> str:
    items = "".join(f'<Relationship Id="rId{i}" Type="{_OD}/{kind}" Target="{target}"/>'
                    for i, (kind, target) in enumerate(targets, 1))
    return f'{_DECL}<Relationships xmlns="{_PR}">{items}</Relationships>'


def _content_types(*overrides: tuple[str, str]) -> str:
    items = "".join(f'<Override PartName="{p}" ContentType="application/vnd.openxmlformats-'
                    f'officedocument.{t}+xml"/>' for p, t in overrides)
    return (f'{_DECL}<Types xmlns="{_CT}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f"{items}</Types>")


def _package(parts: Iterable[tuple[str, str | Iterable[bytes]]], level: int = 6) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, content in parts:
            if isinstance(content, str):
                zf.writestr(name, content)
            else:  # streamed, so a 100 MB member never sits in memory
                with zf.open(name, "w", force_zip64=False) as member:
                    for chunk in content:
                        member.write(chunk)
    return buf.getvalue()


def xlsx(sheet_xml: str | Iterable[bytes], level: int = 6) -> bytes:
    """A one-sheet workbook whose worksheet part is ``sheet_xml``."""
    return _package([
        ("[Content_Types].xml", _content_types(
            ("/xl/workbook.xml", "spreadsheetml.sheet.main"),
            ("/xl/worksheets/sheet1.xml", "spreadsheetml.worksheet"))),
        ("_rels/.rels", _rels(("officeDocument", "xl/workbook.xml"))),
        ("xl/workbook.xml", f'{_DECL}<workbook xmlns="{_SML}" xmlns:r="{_OD}"><sheets>'
                            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels", _rels(("worksheet", "worksheets/sheet1.xml"))),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ], level)


def sheet(rows: Sequence[Sequence[str]]) -> str:
    """Worksheet XML with inline strings (no shared-strings part needed)."""
    body = "".join(
        f'<row r="{r}">' + "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
            for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, 1))
    return f'{_DECL}<worksheet xmlns="{_SML}"><sheetData>{body}</sheetData></worksheet>'


def xlsx_bomb(unpacked: int = 96 * 1024 * 1024) -> bytes:
    """A workbook whose one sheet is ``unpacked`` bytes of identical rows: deflate
    packs it about 1,000:1, so a few hundred KB on the wire."""
    def chunks() -> Iterator[bytes]:
        yield f'{_DECL}<worksheet xmlns="{_SML}"><sheetData>'.encode()
        row = b'<row><c t="n"><v>1</v></c></row>'
        block = row * (1024 * 1024 // len(row))
        for _ in range(unpacked // len(block)):
            yield block
        yield b"</sheetData></worksheet>"
    return xlsx(chunks(), level=9)


def docx(document_xml: str) -> bytes:
    """A document whose main part is ``document_xml``."""
    return _package([
        ("[Content_Types].xml", _content_types(
            ("/word/document.xml", "wordprocessingml.document.main"))),
        ("_rels/.rels", _rels(("officeDocument", "word/document.xml"))),
        ("word/document.xml", document_xml),
    ])


def paragraphs(texts: Sequence[str]) -> str:
    body = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)
    return f'{_DECL}<w:document xmlns:w="{_WML}"><w:body>{body}</w:body></w:document>'


def billion_laughs(levels: int = 9) -> str:
    """WordprocessingML whose text is an entity that expands to 10^levels "lol"s."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1))
    return (f'<?xml version="1.0"?>\n<!DOCTYPE w:document [{entities}]>\n'
            f'<w:document xmlns:w="{_WML}"><w:body><w:p><w:r><w:t>&lol{levels};</w:t>'
            "</w:r></w:p></w:body></w:document>")


def pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF of ``objects`` (object 1 must be the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, compress: bool = True) -> bytes:
    if compress:
        packed = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (
            len(packed), packed)
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def text_ops(lines: Sequence[str]) -> bytes:
    """Content-stream operators showing each line with the standard Helvetica font."""
    shown = b"".join(b"(%s) Tj T*\n" % line.encode("latin-1") for line in lines)
    return b"BT /F1 10 Tf 12 TL 72 760 Td\n" + shown + b"ET"


def pdf_pages(contents: Sequence[bytes], shared: bool = False, pages: int = 1) -> bytes:
    """``pages`` pages. ``shared``: every page draws the one content stream
    ``contents[0]`` (objects 4); else page i draws ``contents[i]``."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    count = pages if shared else len(contents)
    first_page = 4 + (1 if shared else len(contents))
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count), font]
    objects += [stream(c) for c in (contents[:1] if shared else contents)]
    for i in range(count):
        content = 4 if shared else 4 + i
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content)
    return pdf(objects)


def nested_json(depth: int) -> bytes:
    return b"[" * depth + b"1" + b"]" * depth
