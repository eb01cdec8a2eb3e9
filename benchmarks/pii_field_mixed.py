"""Field-corpus layouts of a sixth batch written after the detector was tuned: an
identity-type column that says what the number next to it is, several contacts in one
cell, notes between the title and the header with a totals row, a header repeated
every page in one long HTML table, English press releases, and applicant JSON with
role-prefixed keys.

Each layout is ``(builder, index) -> (fmt, text)`` (see benchmarks/pii_field_tables.py).
"""

from __future__ import annotations

import html
import json
from typing import Any

import pii_field_ids as ids
import pii_field_lookalikes as fake
from pii_field_doc import Builder
from pii_field_render import csv_text, page


def id_type_column(b: Builder, i: int) -> tuple[str, str]:
    """Visitor / pilgrim registers with a 'JENIS IDENTITAS' column (KTP, KK, PASPOR)
    and one 'NOMOR IDENTITAS' column whose meaning changes row by row."""
    rng = b.rng
    header = ["NO", "NAMA", "JENIS IDENTITAS", "NOMOR IDENTITAS", "NO. HP"]
    rows = []
    for n in range(1, rng.randint(30, 150)):
        p = ids.person(rng)
        kind = rng.choice(("KTP", "KTP", "KK", "PASPOR"))
        if kind == "KTP":
            number = b.pos("nik", p.nik)
        elif kind == "KK":
            number = b.pos("kk", p.kk)
        else:
            number = b.pos("passport", ids.passport(rng))
        rows.append([str(n), p.name, kind, number, b.pos("phone", ids.mobile(rng))])
    if rng.random() < 0.5:
        return "csv", csv_text(header, rows, above=["BUKU TAMU / REGISTRASI PENGUNJUNG"])
    trs = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    head = "".join(f"<th>{h}</th>" for h in header)
    return "html", page(
        rng,
        "Lapas",
        "Registrasi Pengunjung",
        f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table>',
    )


def multi_contact_cells(b: Builder, i: int) -> tuple[str, str]:
    """Contact lists with several phones and e-mails in one cell, separated by ';',
    '/', line breaks or labels (HP 1, HP 2, Telp Rumah)."""
    rng = b.rng
    rows = []
    for n in range(1, rng.randint(20, 100)):
        p = ids.person(rng)
        phones = [
            b.pos("phone", ids.phone_printed(rng, ids.mobile(rng)))
            for _ in range(rng.randint(1, 3))
        ]
        style = rng.randrange(3)
        if style == 0:
            phone_cell = "; ".join(phones)
        elif style == 1:
            phone_cell = " / ".join(phones)
        else:
            phone_cell = ", ".join(f"HP {k}: {ph}" for k, ph in enumerate(phones, 1))
            phone_cell += f", Telp Rumah: {b.neg('landline', fake.landline(rng))}"
        mails = [b.pos("email", ids.email(rng, p.name)) for _ in range(rng.randint(1, 2))]
        rows.append([str(n), p.name, phone_cell, "; ".join(mails)])
    trs = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return "html", page(
        rng,
        "Kecamatan",
        "Kontak Ketua RT/RW",
        '<table class="table"><thead><tr><th>No</th><th>Nama</th><th>Telepon</th>'
        f"<th>Email</th></tr></thead><tbody>{trs}</tbody></table>",
    )


def notes_and_totals_csv(b: Builder, i: int) -> tuple[str, str]:
    """A sheet with a title, notes and a source line above the header, subtotal rows
    per village and a grand total at the bottom."""
    rng = b.rng
    header = ["NO", "NAMA KEPALA KELUARGA", "NIK", "NO KK", "JML ART", "NOMINAL (Rp)"]
    lines = [
        "REKAP PENYALURAN BANTUAN PANGAN;;;;;",
        "Catatan: data per 1 Juli 2024, belum termasuk susulan;;;;;",
        "Sumber: DTKS Kemensos;;;;;",
        ";;;;;",
        ";".join(header),
    ]
    n = 0
    for village in range(rng.randint(2, 5)):
        count = rng.randint(10, 50)
        for _ in range(count):
            n += 1
            p = ids.person(rng)
            lines.append(
                ";".join(
                    [
                        str(n),
                        p.name,
                        b.pos("nik", p.nik),
                        b.pos("kk", p.kk),
                        str(rng.randint(1, 7)),
                        "600.000",
                    ]
                )
            )
        lines.append(f";SUBTOTAL DESA {village + 1};;;;{count * 600}.000")
    lines.append(f";TOTAL;;;;{n * 600}.000")
    return "csv", "\r\n".join(lines) + "\r\n"


def repeated_header_html(b: Builder, i: int) -> tuple[str, str]:
    """A long print-ready table: the header row (as bold td cells) repeated every 25
    rows inside the same tbody, with the page number in a row of its own."""
    rng = b.rng
    header = ["No", "NISN", "Nama Siswa", "NIK", "Nama Ibu Kandung"]
    rows = []
    for n in range(1, rng.randint(60, 200)):
        if (n - 1) % 25 == 0:
            page_no = (n - 1) // 25 + 1
            rows.append(f'<tr><td colspan="5" class="text-right">Halaman {page_no}</td></tr>')
            rows.append("<tr>" + "".join(f"<td><b>{h}</b></td>" for h in header) + "</tr>")
        p = ids.person(rng, born_from=2007, born_to=2017)
        rows.append(
            "<tr>"
            + "".join(
                f"<td>{html.escape(c)}</td>"
                for c in (
                    str(n),
                    b.pos("nisn", ids.nisn(rng, p.born.year)),
                    p.name,
                    b.pos("nik", p.nik),
                    f"{rng.choice(ids.FIRST)} {rng.choice(ids.LAST)}".strip(),
                )
            )
            + "</tr>"
        )
    return "html", page(
        rng,
        "SMP Negeri",
        "Data Peserta Didik",
        f'<table class="table" border="1"><tbody>{"".join(rows)}</tbody></table>',
    )


def english_release(b: Builder, i: int) -> tuple[str, str]:
    """English-language press releases of a city portal, identifiers in prose."""
    rng = b.rng
    paras = []
    for _ in range(rng.randint(4, 12)):
        p = ids.person(rng)
        form = rng.randrange(4)
        if form == 0:
            paras.append(
                f"The aid for {p.name.title()} (resident ID number {b.pos('nik', p.nik)}) "
                "was moved to the new address."
            )
        elif form == 1:
            paras.append(
                f"Residents on family card no. {b.pos('kk', p.kk)} are asked to visit the "
                "district office."
            )
        elif form == 2:
            shown = b.pos("phone", ids.phone_printed(rng, ids.mobile(rng), "intl_dash"))
            paras.append(
                f"For information, contact our officer at {shown} "
                f"or the office line {b.neg('landline', fake.landline(rng))}."
            )
        else:
            paras.append(
                f"The report, ISBN {b.neg('isbn', fake.isbn13(rng, True))}, was published on "
                f"{fake.birthday_text(ids.date_between(rng, 2023, 2025))}."
            )
    body = "<article>" + "".join(f"<p>{html.escape(x)}</p>" for x in paras) + "</article>"
    return "html", page(rng, "City Government", "News", body)


def applicant_json(b: Builder, i: int) -> tuple[str, str]:
    """Application records whose keys carry the person's role: nik_pemohon,
    no_kk_pemohon, nik_pasangan, nik_anak_1, no_telp_wa."""
    rng = b.rng
    records: list[dict[str, Any]] = []
    for _ in range(rng.randint(20, 120)):
        p, spouse = ids.person(rng), ids.person(rng)
        record: dict[str, Any] = {
            "id_permohonan": b.neg("order", fake.order_number(rng)),
            "nama_pemohon": p.name,
            "nik_pemohon": b.pos("nik", p.nik),
            "no_kk_pemohon": b.pos("kk", p.kk),
            "nik_pasangan": b.pos("nik", spouse.nik),
            "no_telp_wa": b.pos("phone", ids.mobile(rng)),
        }
        for k in range(1, rng.randint(1, 3)):
            record[f"nik_anak_{k}"] = b.pos(
                "nik", ids.person(rng, born_from=2008, born_to=2020).nik
            )
        records.append(record)
    return "json", json.dumps({"data": records}, indent=rng.choice((None, 2)))
