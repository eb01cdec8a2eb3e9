"""Field-corpus layouts of a fourth batch written after the detector was tuned: CSV
with multi-line quoted cells, deeply nested JSON, several labelled identifiers in one
table cell, XML exports, e-KTP text layers, and two-column biodata forms as real PDFs.

Each layout is ``(builder, index) -> (fmt, text)`` (see benchmarks/pii_field_tables.py).
"""

from __future__ import annotations

import html
import json
from typing import Any

import pii_field_ids as ids
import pii_field_lookalikes as fake
from pii_field_doc import Builder
from pii_field_pdf import assemble, show_text
from pii_field_render import page


def multiline_csv(b: Builder, i: int) -> tuple[str, str]:
    """Spreadsheet exports whose address cells hold line breaks inside quotes, so a
    record spans several physical lines."""
    rng = b.rng
    header = ["No", "Nama", "NIK", "No KK", "Alamat", "No HP"]
    lines = [",".join(header)]
    for n in range(1, rng.randint(30, 150)):
        p = ids.person(rng)
        address = (
            f"{rng.choice(ids.STREETS)} No. {rng.randint(1, 99)}\nRT {rng.randint(1, 15):03d}"
            f" RW {rng.randint(1, 9):03d}\nKode Pos {b.neg('postcode', fake.postcode(rng))}"
        )
        lines.append(
            ",".join(
                [
                    str(n),
                    f'"{p.name}"',
                    b.pos("nik", p.nik),
                    b.pos("kk", p.kk),
                    f'"{address}"',
                    b.pos("phone", ids.mobile(rng)),
                ]
            )
        )
    return "csv", "\r\n".join(lines) + "\r\n"


def deep_json(b: Builder, i: int) -> tuple[str, str]:
    """Household data nested four levels deep: the KK at the family level, the members'
    NIK inside, the parents' NIK as fields of each member."""
    rng = b.rng
    families = []
    for _ in range(rng.randint(5, 40)):
        area = ids.region(rng)
        family = ids.kk(rng, area)
        members: list[dict[str, Any]] = []
        for _ in range(rng.randint(1, 6)):
            p = ids.person(rng, area, family=family)
            members.append(
                {
                    "biodata": {
                        "nama": p.name,
                        "nik": b.pos("nik", p.nik),
                        "tgl_lahir": f"{p.born:%Y-%m-%d}",
                    },
                    "orang_tua": {"nik_ibu": b.pos("nik", ids.person(rng, area).nik)},
                }
            )
        families.append(
            {
                "keluarga": {
                    "no_kk": b.pos("kk", family),
                    "wilayah": {"kode": area, "kode_pos": b.neg("postcode", fake.postcode(rng))},
                    "anggota": members,
                }
            }
        )
    return "json", json.dumps({"response": {"code": 200, "payload": {"rumah_tangga": families}}})


def identity_cells(b: Builder, i: int) -> tuple[str, str]:
    """Tables whose one 'Identitas' cell holds several labelled values on separate
    lines (NIK, KK, HP), as CMS editors type them."""
    rng = b.rng
    rows = []
    for n in range(1, rng.randint(20, 100)):
        p = ids.person(rng)
        parts = [f"NIK: {b.pos('nik', p.nik)}", f"KK: {b.pos('kk', p.kk)}"]
        if rng.random() < 0.6:
            parts.append(f"HP: {b.pos('phone', ids.phone_printed(rng, ids.mobile(rng)))}")
        rng.shuffle(parts)
        rows.append(
            f"<tr><td>{n}</td><td>{html.escape(p.name)}</td><td>{'<br>'.join(parts)}</td>"
            f"<td>{rng.choice(('Lansia', 'Yatim', 'Disabilitas'))}</td></tr>"
        )
    table = (
        '<table class="table"><thead><tr><th>No</th><th>Nama</th><th>Identitas</th>'
        f"<th>Kategori</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return "html", page(rng, "Dinas Sosial", "Penerima Santunan", table)


def xml_export(b: Builder, i: int) -> tuple[str, str]:
    """An XML export served as text: one element per field, the element names as labels."""
    rng = b.rng
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<dataset>"]
    for _ in range(rng.randint(20, 120)):
        p = ids.person(rng)
        out.append("  <record>")
        out.append(f"    <nik>{b.pos('nik', p.nik)}</nik>")
        out.append(f"    <nokk>{b.pos('kk', p.kk)}</nokk>")
        out.append(f"    <nama>{html.escape(p.name)}</nama>")
        if rng.random() < 0.5:
            out.append(f"    <nisn>{b.pos('nisn', ids.nisn(rng, rng.randint(2008, 2017)))}</nisn>")
        out.append(f"    <telepon>{b.pos('phone', ids.mobile(rng))}</telepon>")
        out.append(f"    <id_transaksi>{b.neg('order', fake.order_number(rng))}</id_transaksi>")
        out.append("  </record>")
    out.append("</dataset>")
    return "text", "\n".join(out) + "\n"


def ktp_text(b: Builder, i: int) -> tuple[str, str]:
    """The text layer of scanned e-KTP cards in an uploaded PDF: province and city
    lines, then NIK and the other fields, values after a colon or on their own."""
    rng = b.rng
    cards = []
    for _ in range(rng.randint(3, 30)):
        p = ids.person(rng)
        city = ids.PLACES.get(p.nik[:4], "KABUPATEN")
        colon = rng.random() < 0.6
        sep = " : " if colon else "\n"
        cards.append(
            "\n".join(
                [
                    "PROVINSI",
                    city,
                    f"NIK{sep}{b.pos('nik', p.nik)}",
                    f"Nama{sep}{p.name}",
                    f"Tempat/Tgl Lahir{sep}{p.birthplace}, {fake.birthday_text(p.born)}",
                    f"Jenis Kelamin{sep}{'PEREMPUAN' if p.female else 'LAKI-LAKI'}",
                    f"Alamat{sep}{rng.choice(ids.STREETS)} {rng.randint(1, 99)}",
                    "Berlaku Hingga : SEUMUR HIDUP",
                ]
            )
        )
    return "text", "\n\n".join(cards) + "\n"


def biodata_pdf(b: Builder, i: int) -> tuple[str, str]:
    """Two-column biodata forms as real PDFs: label, colon and value in each column,
    so a line of extracted text mixes two fields."""
    rng = b.rng
    pages = []
    for _ in range(rng.randint(1, 6)):
        p = ids.person(rng)
        left = [
            ("Nama", p.name),
            ("NIK", b.pos("nik", p.nik)),
            ("No. KK", b.pos("kk", p.kk)),
            ("Tgl Lahir", fake.birthday_text(p.born)),
        ]
        right = [
            ("No. HP", b.pos("phone", ids.mobile(rng))),
            ("Email", b.pos("email", ids.email(rng, p.name))),
            ("NPWP", b.pos("npwp", ids.npwp15_formatted(ids.npwp15(rng)))),
            ("No. Registrasi", b.neg("registration", fake.registration_number(rng, p.nik[:6]))),
        ]
        ops = [show_text(30, 555, "FORMULIR BIODATA PENDAFTAR", bold=True)]
        for row, ((lk, lv), (rk, rv)) in enumerate(zip(left, right, strict=True)):
            y = 520 - row * 16
            ops += [
                show_text(30, y, lk),
                show_text(110, y, ":"),
                show_text(120, y, lv),
                show_text(430, y, rk),
                show_text(510, y, ":"),
                show_text(520, y, rv),
            ]
        pages.append("\n".join(ops))
    return "pdf", assemble(pages)
