"""Field-corpus layouts of a third batch written after the detector was tuned: voter
lists (DPT) with the No. KK before the NIK, a family card (Kartu Keluarga) as text,
CSV with the column names of the 2021 BPJS leak, grids whose header and body are two
separate tables, and tables laid out sideways (one person per column).

Each layout is ``(builder, index) -> (fmt, text)`` (see benchmarks/pii_field_tables.py).
"""

from __future__ import annotations

import html

import pii_field_ids as ids
import pii_field_lookalikes as fake
from pii_field_doc import Builder
from pii_field_render import csv_text, page


def voter_list(b: Builder, i: int) -> tuple[str, str]:
    """DPT (voter list) pages: one block per polling station, columns NKK then NIK."""
    rng = b.rng
    area = ids.region(rng)
    header = [
        "NO",
        "NKK",
        "NIK",
        "NAMA",
        "TEMPAT LAHIR",
        "TANGGAL LAHIR",
        "STS KAWIN",
        "L/P",
        "ALAMAT",
        "RT",
        "RW",
        "DIS",
        "KET",
    ]
    blocks = []
    as_csv = rng.random() < 0.5  # per polling-station blocks in one CSV, or PDF text
    for tps in range(1, rng.randint(2, 6)):
        rows = []
        for n in range(1, rng.randint(20, 80)):
            p = ids.person(rng, area, 1950, 2006)
            rows.append(
                [
                    str(n),
                    b.pos("kk", p.kk),
                    b.pos("nik", p.nik),
                    p.name,
                    p.birthplace,
                    f"{p.born:%d|%m|%Y}",
                    rng.choice(("B", "S", "P")),
                    "P" if p.female else "L",
                    rng.choice(ids.STREETS),
                    f"{rng.randint(1, 15):03d}",
                    f"{rng.randint(1, 9):03d}",
                    "0",
                    "",
                ]
            )
        title = [
            f"DAFTAR PEMILIH TETAP (DPT) PEMILU {rng.choice((2019, 2024))}",
            f"KELURAHAN/DESA : SUKAMAJU    TPS : {tps:03d}",
        ]
        if as_csv:
            blocks.append(csv_text(header, rows, sep=";", above=title))
        else:
            blocks.append(
                "\n".join(title)
                + "\n"
                + " ".join(header)
                + "\n"
                + "\n".join(" ".join(r) for r in rows)
                + "\n"
            )
    return ("csv" if as_csv else "text"), "\n".join(blocks)


def family_card(b: Builder, i: int) -> tuple[str, str]:
    """A Kartu Keluarga as the text layer of its scan: the card number in the title
    block, the members' table with NIK, parents' names, an issue date and the
    registrar's NIP."""
    rng = b.rng
    area = ids.region(rng)
    cards = []
    for _ in range(rng.randint(1, 6)):
        family = ids.kk(rng, area)
        head = ids.person(rng, area, 1950, 1990, family=family)
        members = [head] + [
            ids.person(rng, area, 1975, 2020, family=family) for _ in range(rng.randint(1, 5))
        ]
        lines = [
            "KARTU KELUARGA",
            f"No. {b.pos('kk', family)}",
            "",
            f"Nama Kepala Keluarga : {head.name}",
            f"Alamat               : {rng.choice(ids.STREETS)} {rng.randint(1, 99)}",
            f"RT/RW                : {rng.randint(1, 15):03d}/{rng.randint(1, 9):03d}",
            f"Kode Pos             : {b.neg('postcode', fake.postcode(rng))}",
            "",
            "No  Nama Lengkap              NIK               Jenis Kelamin  Tempat Lahir  "
            "Tanggal Lahir",
        ]
        for n, m in enumerate(members, 1):
            lines.append(
                f"{n:<3} {m.name:<25} {b.pos('nik', m.nik)}  "
                f"{'PEREMPUAN' if m.female else 'LAKI-LAKI':<14} {m.birthplace:<13} "
                f"{fake.birthday_text(m.born)}"
            )
        nip = ids.nip(rng)
        lines += [
            "",
            f"Dikeluarkan Tanggal : {family[6:8]}-{family[8:10]}-20{family[10:12]}",
            "KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
            "",
            f"{rng.choice(ids.FIRST)} {rng.choice(ids.LAST)}".strip(),
            f"NIP. {b.pos('nip', nip)}",
        ]
        cards.append("\n".join(lines))
    return "text", "\n\n\f".join(cards) + "\n"


def bpjs_leak_csv(b: Builder, i: int) -> tuple[str, str]:
    """A CSV with the column names of the 2021 BPJS sample (PSNOKA, NOKA, NIK, NOHP, NPWP,
    EMAIL, KDHUBKEL, KDKANTOR…): short upper-case names, values bare."""
    rng = b.rng
    header = [
        "PSNOKA",
        "NOKA",
        "NIK",
        "NAMA",
        "TGLLHR",
        "TMPLHR",
        "JENKEL",
        "NOHP",
        "NPWP",
        "EMAIL",
        "KDHUBKEL",
        "KDKANTOR",
    ]
    rows = []
    for _ in range(rng.randint(50, 300)):
        p = ids.person(rng)
        family_card_no = ids.bpjs(rng)
        npwp = b.pos("npwp", ids.npwp15(rng)) if rng.random() < 0.3 else ""
        mail = b.pos("email", ids.email(rng, p.name)) if rng.random() < 0.4 else ""
        rows.append(
            [
                b.pos("bpjs", family_card_no),
                b.pos("bpjs", ids.bpjs(rng)),
                b.pos("nik", p.nik),
                p.name,
                f"{p.born:%Y-%m-%d}",
                p.birthplace,
                "2" if p.female else "1",
                b.pos("phone", ids.mobile(rng)),
                npwp,
                mail,
                str(rng.randint(1, 5)),
                b.neg("facility_code", f"{rng.randint(1, 1400):04d}"),
            ]
        )
    return "csv", csv_text(header, rows, sep=",")


def split_header_grid(b: Builder, i: int) -> tuple[str, str]:
    """Grid widgets (and saved DataTables pages with scrolling) that render the header
    as one table and the rows as another, the widths kept in step by CSS."""
    rng = b.rng
    header = ["No", "NIK", "No. KK", "Nama", "No. HP", "NISN Anak"]
    head = (
        '<div class="grid-head"><table class="table"><thead><tr>'
        + "".join(f'<th style="width:{rng.randint(80, 200)}px">{h}</th>' for h in header)
        + "</tr></thead></table></div>"
    )
    rows = []
    for n in range(1, rng.randint(30, 150)):
        p = ids.person(rng)
        child = ids.nisn(rng, rng.randint(2008, 2017))
        rows.append(
            "<tr>"
            + "".join(
                f"<td>{html.escape(c)}</td>"
                for c in (
                    str(n),
                    b.pos("nik", p.nik),
                    b.pos("kk", p.kk),
                    p.name,
                    b.pos("phone", ids.mobile(rng)),
                    b.pos("nisn", child),
                )
            )
            + "</tr>"
        )
    body = (
        '<div class="grid-body" style="overflow:auto"><table class="table"><tbody>'
        + "".join(rows)
        + "</tbody></table></div>"
    )
    return "html", page(rng, "Dinas Sosial", "Data Keluarga", head + body)


def sideways_table(b: Builder, i: int) -> tuple[str, str]:
    """A table turned sideways: labels down the first column, one person per column,
    as comparison and recap sheets are sometimes laid out."""
    rng = b.rng
    people = [ids.person(rng) for _ in range(rng.randint(3, 12))]
    labels = ["Nama", "NIK", "No. KK", "No. HP", "No. Registrasi"]
    values = [
        [p.name for p in people],
        [b.pos("nik", p.nik) for p in people],
        [b.pos("kk", p.kk) for p in people],
        [b.pos("phone", ids.phone_printed(rng, ids.mobile(rng))) for _ in people],
        [b.neg("registration", fake.registration_number(rng, p.nik[:6])) for p in people],
    ]
    if rng.random() < 0.5:
        lines = [";".join([lab, *vals]) for lab, vals in zip(labels, values, strict=True)]
        return "csv", "\n".join(lines) + "\n"
    trs = "".join(
        f"<tr><th>{lab}</th>" + "".join(f"<td>{html.escape(v)}</td>" for v in vals) + "</tr>"
        for lab, vals in zip(labels, values, strict=True)
    )
    return "html", page(
        rng, "Kecamatan", "Rekap Calon Penerima", f'<table class="table">{trs}</table>'
    )
