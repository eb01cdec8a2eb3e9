"""Document builders for the pii tests: real XLSX, PDF and DOCX files made on the fly.

Identifiers come from :class:`egov_audit.pii.synthetic.Synthetic`: structurally
valid, belonging to nobody.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

from egov_audit.demo.server import Response
from egov_audit.pii.synthetic import Synthetic

Rows = Sequence[Sequence[str]]


def people(n: int, seed: int = 11) -> list[dict[str, str]]:
    gen = Synthetic(seed)
    return [{"nama": gen.name(), "nik": gen.nik(), "no_kk": gen.kk(), "no_hp": gen.phone()}
            for _ in range(n)]


def table(records: list[dict[str, str]], header: Sequence[str] = ("Nama", "NIK", "No KK",
                                                                  "No HP")) -> list[list[str]]:
    return [list(header), *([r["nama"], r["nik"], r["no_kk"], r["no_hp"]] for r in records)]


def csv_bytes(rows: Rows) -> bytes:
    return "\n".join(",".join(r) for r in rows).encode()


def xlsx_bytes(rows: Rows, author: str | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    if author:
        wb.properties.creator = author
        wb.properties.lastModifiedBy = author
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def docx_bytes(rows: Rows, paragraph: str = "", author: str | None = None) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph(paragraph or "Daftar penerima bantuan")
    t = doc.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    doc.core_properties.author = author or ""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def pdf_bytes(lines: Sequence[str], author: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    for line in lines:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    if author:
        pdf.set_author(author)
    return bytes(pdf.output())


def doc(body: bytes, content_type: str, headers: Sequence[tuple[str, str]] = ()) -> Response:
    return Response(200, [("Content-Type", content_type), *headers], body)


def json_doc(data: object, headers: Sequence[tuple[str, str]] = ()) -> Response:
    return doc(json.dumps(data).encode(), "application/json", headers)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
