"""Field-corpus layouts added after the detector was first tuned on the corpus, to see
whether it generalises: vertical "detail" pages (label, colon, value), village letters
(Surat Keterangan) as text, header wordings and cell quoting seen in real exports,
JSON that names an identifier in a sibling value, and identifiers printed in digit
groups (a NIK as ``3273 0141 0190 0001``).

Each layout is ``(builder, index) -> (fmt, text)`` (see benchmarks/pii_field_tables.py).
"""

from __future__ import annotations

import html
import json
from typing import Any

import pii_field_ids as ids
import pii_field_lookalikes as fake
from pii_field_doc import Builder
from pii_field_render import page

RELIGIONS = ("Islam", "Kristen", "Katolik", "Hindu", "Buddha")
JOBS = ("Petani", "Buruh Harian Lepas", "Wiraswasta", "Ibu Rumah Tangga", "Pelajar", "Nelayan")


def _grouped(value: str, sizes: tuple[int, ...]) -> str:
    return ids.group(value, sizes, " ")


def _fields(b: Builder, p: ids.Person) -> list[tuple[str, str]]:
    """(label, value) of one resident's record as detail pages and letters list them."""
    rng = b.rng
    bank = rng.choice(("BRI", "BNI", "MANDIRI", "BSI"))
    acct = ids.bank_account(rng, bank)
    fields = [
        ("Nama Lengkap", p.name),
        (rng.choice(("NIK", "N I K", "No. KTP", "Nomor Induk Kependudukan")), b.pos("nik", p.nik)),
        (rng.choice(("No. KK", "Nomor KK", "No. Kartu Keluarga")), b.pos("kk", p.kk)),
        ("Tempat / Tgl. Lahir", f"{p.birthplace}, {fake.birthday_text(p.born)}"),
        ("Jenis Kelamin", "Perempuan" if p.female else "Laki-laki"),
        ("Agama", rng.choice(RELIGIONS)),
        ("Pekerjaan", rng.choice(JOBS)),
        (
            "Alamat",
            f"{rng.choice(ids.STREETS)} No. {rng.randint(1, 99)} RT {rng.randint(1, 15):03d}"
            f" RW {rng.randint(1, 9):03d}, Kode Pos {b.neg('postcode', fake.postcode(rng))}",
        ),
    ]
    if rng.random() < 0.6:
        fields.append(
            (
                rng.choice(("No. HP", "No. HP/WA", "Telp. Seluler")),
                b.pos("phone", ids.phone_printed(rng, ids.mobile(rng))),
            )
        )
    if rng.random() < 0.4:
        fields.append(("Email", b.pos("email", ids.email(rng, p.name))))
    if rng.random() < 0.4:
        shown = ids.bank_account_printed(rng, bank, acct)
        fields.append(("No. Rekening", f"{bank} {b.pos('account', shown)} a.n. {p.name}"))
    if rng.random() < 0.3:
        fields.append(("No. Kartu JKN-KIS", b.pos("bpjs", ids.bpjs(rng))))
    if rng.random() < 0.5:
        fields.append(
            (
                rng.choice(("No. Registrasi", "No. Pendaftaran")),
                b.neg("registration", fake.registration_number(rng, p.nik[:6])),
            )
        )
    return fields


def detail_page(b: Builder, i: int) -> tuple[str, str]:
    """Applicant / recipient detail pages: one record per card, label then value, in a
    key-value table (with a colon column), a definition list, a grid or bold labels."""
    rng = b.rng
    style = rng.randrange(4)
    cards = []
    for _ in range(rng.randint(1, 15)):
        fields = _fields(b, ids.person(rng))
        esc = [(html.escape(k), html.escape(v)) for k, v in fields]
        if style == 0:
            rows = "".join(
                f'<tr><th width="30%">{k}</th><td>:</td><td>{v}</td></tr>' for k, v in esc
            )
            cards.append(f'<table class="table table-sm">{rows}</table>')
        elif style == 1:
            cards.append("<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in esc) + "</dl>")
        elif style == 2:
            cards.append(
                "".join(
                    f'<div class="row"><div class="col-md-4">{k}</div>'
                    f'<div class="col-md-8">: {v}</div></div>'
                    for k, v in esc
                )
            )
        else:
            cards.append("".join(f"<p><strong>{k}:</strong> {v}</p>" for k, v in esc))
    body = "\n<hr>\n".join(
        f'<div class="card"><div class="card-body">{c}</div></div>' for c in cards
    )
    return "html", page(rng, "Dinas Sosial", "Detail Penerima Bantuan", body)


def village_letters(b: Builder, i: int) -> tuple[str, str]:
    """Surat Keterangan (SKTM, domicile, birth) as text pulled out of a PDF bundle:
    aligned 'label : value' lines, parents' NIK on birth letters, the head's NIP."""
    rng = b.rng
    letters = []
    for _ in range(rng.randint(1, 8)):
        p = ids.person(rng)
        kind = rng.choice(("KETERANGAN TIDAK MAMPU", "KETERANGAN DOMISILI", "KETERANGAN KELAHIRAN"))
        code = rng.choice(("470", "474.1", "400.12"))
        number = f"{code}/{rng.randint(1, 999):03d}/KEL/{rng.randint(2021, 2025)}"
        lines = [
            f"PEMERINTAH {ids.PLACES.get(p.nik[:4], 'KABUPATEN')}",
            "KELURAHAN SUKAMAJU",
            f"Telp. {b.neg('landline', fake.landline(rng))}",
            "",
            f"SURAT {kind}",
            f"Nomor : {number}",
            "",
            "Yang bertanda tangan di bawah ini, Lurah Sukamaju, menerangkan bahwa:",
            "",
        ]
        fields = _fields(b, p)
        if kind.endswith("KELAHIRAN"):
            mother, father = ids.person(rng), ids.person(rng)
            fields += [
                ("Nama Ibu", mother.name),
                ("NIK Ibu", b.pos("nik", mother.nik)),
                ("Nama Ayah", father.name),
                ("NIK Ayah", b.pos("nik", father.nik)),
            ]
        width = max(len(k) for k, _ in fields) + 2
        lines += [f"    {k.ljust(width)}: {v}" for k, v in fields]
        lines += [
            "",
            "Adalah benar warga kami dan surat ini dibuat untuk dipergunakan sebagaimana mestinya.",
            "",
            f"Sukamaju, {fake.birthday_text(ids.date_between(rng, 2023, 2025))}",
            "Lurah Sukamaju,",
            "",
            f"{rng.choice(ids.FIRST)} {rng.choice(ids.LAST)}".strip(),
        ]
        nip = ids.nip(rng)
        lines.append(
            f"NIP. {b.pos('nip', _grouped(nip, (8, 6, 1, 3)) if rng.random() < 0.7 else nip)}"
        )
        letters.append("\n".join(lines))
    return "text", "\n\n\f".join(letters) + "\n"


_HEADERS: dict[str, tuple[str, ...]] = {
    "nik": (
        "N I K",
        "NO.KTP",
        "NOMOR INDUK KEPENDUDUKAN (NIK)",
        "NIK / NO. KTP",
        "ID Number",
        "NO_NIK",
        "nik_ktp",
    ),
    "kk": (
        "No.KK",
        "NOMOR KARTU KELUARGA",
        "No. Kartu Keluarga (KK)",
        "Family Card No.",
        "NO_KK",
        "nkk",
    ),
    "phone": ("HP/WA", "Telp. Seluler", "Mobile", "NOHP", "no_telepon"),
    "email": ("e-mail", "Surel", "EMAIL", "alamat_email"),
    "bpjs": ("NO. KIS", "NOKA", "NO. PESERTA JKN", "no_kartu_bpjs"),
    "account": ("No Rek BRI", "Rek.", "NO REKENING PENERIMA", "norek"),
}


def label_variants(b: Builder, i: int) -> tuple[str, str]:
    """Exports with the header wordings people really type (spaced letters, English,
    database names), columns in any order, cells quoted, or forced to text with
    ="…" so the spreadsheet keeps the leading zeros; ; , or tab separated."""
    rng = b.rng
    kinds = ["nik", "kk", "phone", "email", "bpjs", "account"]
    rng.shuffle(kinds)
    kinds = kinds[: rng.randint(3, 6)]
    header = ["NO", "NAMA"] + [rng.choice(_HEADERS[k]) for k in kinds]
    sep = rng.choice((";", ",", "\t"))
    quote = rng.randrange(3)  # 0 bare, 1 "…", 2 ="…"
    lines = [sep.join(header)]
    for n in range(1, rng.randint(30, 200)):
        p = ids.person(rng)
        row = [str(n), p.name]
        for k in kinds:
            if k == "nik":
                value = b.pos("nik", p.nik)
            elif k == "kk":
                value = b.pos("kk", p.kk)
            elif k == "phone":
                value = b.pos("phone", ids.phone_printed(rng, ids.mobile(rng)))
            elif k == "email":
                value = b.pos("email", ids.email(rng, p.name))
            elif k == "bpjs":
                value = b.pos("bpjs", ids.bpjs(rng))
            else:
                value = b.pos("account", ids.bank_account(rng, "BRI"))
            if quote == 1 or (sep == "," and " " in value):
                value = f'"{value}"'
            elif quote == 2 and value[0].isdigit():
                value = f'="{value}"'
            row.append(value)
        lines.append(sep.join(row))
    return "csv", "\n".join(lines) + "\n"


def json_identity_pairs(b: Builder, i: int) -> tuple[str, str]:
    """APIs that name the identifier in a sibling field ({"jenis": "NIK", "nomor": …})
    or use the short column names of leaked exports (NOKA, PSNOKA, NOHP, NKK)."""
    rng = b.rng
    records: list[dict[str, Any]] = []
    style = rng.randrange(2)
    for _ in range(rng.randint(20, 120)):
        p = ids.person(rng)
        if style == 0:
            ident = [
                {"jenis": "NIK", "nomor": b.pos("nik", p.nik)},
                {"jenis": "KK", "nomor": b.pos("kk", p.kk)},
            ]
            if rng.random() < 0.4:
                ident.append(
                    {"jenis": "NPWP", "nomor": b.pos("npwp", ids.npwp15_formatted(ids.npwp15(rng)))}
                )
            if rng.random() < 0.3:
                ident.append({"jenis": "PASPOR", "nomor": b.pos("passport", ids.passport(rng))})
            contact = [
                {"tipe": "hp", "nilai": b.pos("phone", ids.mobile(rng))},
                {"tipe": "email", "nilai": b.pos("email", ids.email(rng, p.name))},
            ]
            records.append(
                {
                    "nama": p.name,
                    "identitas": ident,
                    "kontak": contact,
                    "registrasi": {
                        "jenis": "NO_PENDAFTARAN",
                        "nomor": b.neg("registration", fake.registration_number(rng, p.nik[:6])),
                    },
                }
            )
        else:
            records.append(
                {
                    "PSNOKA": b.pos("bpjs", ids.bpjs(rng)),
                    "NOKA": b.pos("bpjs", ids.bpjs(rng)),
                    "NIK": b.pos("nik", p.nik),
                    "NKK": b.pos("kk", p.kk),
                    "NAMA": p.name,
                    "TGLLHR": f"{p.born:%Y-%m-%d}",
                    "NOHP": b.pos("phone", ids.mobile(rng)),
                    "KDKANTOR": b.neg("facility_code", f"{rng.randint(1, 1400):04d}"),
                    "KDHUBKEL": str(rng.randint(1, 5)),
                }
            )
    return "json", json.dumps({"result": records}, ensure_ascii=False, indent=rng.choice((None, 1)))


def grouped_digits(b: Builder, i: int) -> tuple[str, str]:
    """Cards and printouts that print numbers in groups: NIK and KK 4-4-4-4 (or 6-6-4:
    region, date, serial), BPJS 4-4-4-1, NIP 8-6-1-3, mobiles 4-4-4, each under its
    label. (No card-formatted look-alikes here: card formatting alone may mean a card.)"""
    rng = b.rng
    blocks = []
    for _ in range(rng.randint(5, 40)):
        p = ids.person(rng)
        sizes = rng.choice(((4, 4, 4, 4), (6, 6, 4)))
        lines = [
            f"Nama      : {p.name}",
            f"NIK       : {b.pos('nik', _grouped(p.nik, sizes))}",
            f"No. KK    : {b.pos('kk', _grouped(p.kk, sizes))}",
            f"No. JKN   : {b.pos('bpjs', _grouped(ids.bpjs(rng), (4, 4, 4, 1)))}",
            f"HP        : {b.pos('phone', _grouped(ids.mobile(rng), (4, 4, 5)))}",
        ]
        if rng.random() < 0.3:
            lines.append(f"NIP       : {b.pos('nip', _grouped(ids.nip(rng), (8, 6, 1, 3)))}")
        blocks.append("\n".join(lines))
    text = "\n\n".join(blocks)
    if rng.random() < 0.5:
        return "text", "KARTU PESERTA\n\n" + text + "\n"
    return "html", page(rng, "Dinas Kesehatan", "Kartu Peserta", f"<pre>{html.escape(text)}</pre>")
