"""Field-corpus layouts that are not simple tables: SQL dumps, JSON APIs, identifiers in
HTML attributes, URLs and file names, phone and e-mail forms, free text, payment pages,
and typical pages with no personal data at all.

Each layout is ``(builder, index) -> (fmt, text)`` (see benchmarks/pii_field_tables.py).
"""

from __future__ import annotations

import html
import json
from typing import Any

import pii_field_ids as ids
import pii_field_lookalikes as fake
from pii_field_doc import Builder
from pii_field_render import html_table, page

# (table, columns); each column: (name, SQL type, value maker)
_SQL_TABLES = ("penduduk", "pegawai", "siswa", "pasien", "pembayaran")


def q(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _sql_row(b: Builder, table: str, k: int, stamp_form: int) -> list[tuple[str, str, str]]:
    """(column, type, SQL literal) for one row of ``table``."""
    rng = b.rng
    p = ids.person(rng)
    stamp = b.neg("timestamp", fake.timestamp(rng, stamp_form))
    when = q(stamp) if stamp_form == 1 else stamp
    stamp_type = "datetime" if stamp_form == 1 else "bigint"
    if table == "penduduk":
        return [
            ("id", "int(11)", str(k)),
            ("nik", "varchar(16)", q(b.pos("nik", p.nik))),
            ("no_kk", "varchar(16)", q(b.pos("kk", p.kk))),
            ("nama", "varchar(100)", q(p.name)),
            ("tgl_lahir", "date", q(f"{p.born:%Y-%m-%d}")),
            ("no_hp", "varchar(15)", q(b.pos("phone", ids.mobile(rng)))),
            ("email", "varchar(100)", q(b.pos("email", ids.email(rng, p.name)))),
            ("created_at", stamp_type, when),
        ]
    if table == "pegawai":
        bank = rng.choice(("BRI", "BNI", "MANDIRI"))
        return [
            ("id", "int(11)", str(k)),
            ("nip", "char(18)", q(b.pos("nip", ids.nip(rng)))),
            ("nama", "varchar(100)", q(p.name)),
            ("npwp", "varchar(20)", q(b.pos("npwp", ids.npwp15(rng)))),
            ("bank", "varchar(20)", q(bank)),
            ("no_rekening", "varchar(20)", q(b.pos("account", ids.bank_account(rng, bank)))),
            ("updated_at", stamp_type, when),
        ]
    if table == "siswa":
        child = ids.person(rng, born_from=2007, born_to=2017)
        return [
            ("id", "int(11)", str(k)),
            ("nisn", "varchar(10)", q(b.pos("nisn", ids.nisn(rng, child.born.year)))),
            ("nik", "varchar(16)", q(b.pos("nik", child.nik))),
            ("nama", "varchar(100)", q(child.name)),
            ("nik_ibu", "varchar(16)", q(b.pos("nik", p.nik))),
            ("npsn_sekolah", "char(8)", q(b.neg("npsn", fake.npsn(rng)))),
        ]
    if table == "pasien":
        return [
            ("id", "int(11)", str(k)),
            ("no_rm", "varchar(10)", q(f"{rng.randint(1, 999999):06d}")),
            ("no_bpjs", "varchar(13)", q(b.pos("bpjs", ids.bpjs(rng)))),
            ("nik", "varchar(16)", q(b.pos("nik", p.nik))),
            ("nama", "varchar(100)", q(p.name)),
            ("no_telp", "varchar(15)", q(b.pos("phone", ids.mobile(rng)))),
        ]
    return [
        ("id", "int(11)", str(k)),
        ("order_id", "varchar(30)", q(b.neg("order", fake.order_number(rng)))),
        ("va_number", "varchar(20)", q(b.neg("virtual_account", fake.virtual_account(rng)))),
        ("kode_bayar", "varchar(20)", q(b.neg("kode_bayar", fake.kode_bayar(rng)))),
        ("nominal", "decimal(12,2)", f"{rng.randint(10, 5000) * 1000}.00"),
        ("paid_at", stamp_type, when),
        ("nik_pembayar", "varchar(16)", q(b.pos("nik", p.nik))),
    ]


_PG_TYPES = (
    ("int(11)", "integer"),
    ("varchar", "character varying"),
    ("char", "character"),
    ("decimal", "numeric"),
    ("datetime", "timestamp without time zone"),
)


def _pg_type(mysql: str) -> str:
    for old, new in _PG_TYPES:
        if mysql.startswith(old):
            return mysql.replace(old, new, 1)
    return mysql


def sql_dump(b: Builder, i: int) -> tuple[str, str]:
    """mysqldump or pg_dump output: CREATE TABLE gives the column order; INSERTs with
    and without column lists (extended or one per row), or COPY … FROM stdin."""
    rng = b.rng
    database = "db_" + rng.choice(("simpeg", "dtks", "ppdb", "simrs", "eretribusi"))
    postgres = rng.random() < 0.35
    if postgres:
        out = [
            "--",
            "-- PostgreSQL database dump",
            "--",
            "",
            "-- Dumped from database version 14.11",
            "-- Dumped by pg_dump version 14.11",
            "",
            "SET statement_timeout = 0;",
            "SET client_encoding = 'UTF8';",
            "",
        ]
    else:
        out = [
            "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)",
            "--",
            f"-- Host: localhost    Database: {database}",
            "-- ------------------------------------------------------",
            "",
        ]
    for table in rng.sample(_SQL_TABLES, rng.randint(1, 3)):
        stamp_form = rng.choice((1, 1, 2, 3))
        rows = [_sql_row(b, table, k, stamp_form) for k in range(1, rng.randint(30, 250))]
        cols = [(c, t) for c, t, _ in rows[0]]
        names = ", ".join(c for c, _ in cols)
        sep = ", " if postgres else ","  # as each dumper writes its tuples
        tuples = ["(" + sep.join(v for _, _, v in r) + ")" for r in rows]
        style = rng.randrange(3)
        if postgres:
            out.append(
                f"CREATE TABLE public.{table} (\n"
                + ",\n".join(f"    {c} {_pg_type(t)}" for c, t in cols)
                + "\n);\n"
            )
            if style == 0:  # pg_dump's default
                out.append(f"COPY public.{table} ({names}) FROM stdin;")
                out += ["\t".join(v.strip("'") for _, _, v in r) for r in rows]
                out += ["\\.", ""]
            else:  # --inserts (no column list) or --column-inserts
                column_list = f" ({names})" if style == 2 else ""
                out += [f"INSERT INTO public.{table}{column_list} VALUES {t};" for t in tuples]
                out.append("")
            continue
        out.append(
            f"DROP TABLE IF EXISTS `{table}`;\nCREATE TABLE `{table}` (\n"
            + ",\n".join(
                f"  `{c}` {t} {'NOT NULL AUTO_INCREMENT' if c == 'id' else 'DEFAULT NULL'}"
                for c, t in cols
            )
            + ",\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
        )
        with_columns = rng.random() < 0.5
        column_list = f" ({', '.join(f'`{c}`' for c, _ in cols)})" if with_columns else ""
        if style < 2:  # extended inserts, mysqldump's default
            out.append(f"LOCK TABLES `{table}` WRITE;")
            out.append(f"INSERT INTO `{table}`{column_list} VALUES " + ",".join(tuples) + ";")
            out.append("UNLOCK TABLES;\n")
        else:  # one statement per row, as application exports write them
            out += [f"INSERT INTO `{table}`{column_list} VALUES {t};" for t in tuples]
            out.append("")
    return "text", "\n".join(out) + "\n"


def _json_person(b: Builder, style: int) -> dict[str, Any]:
    rng = b.rng
    p = ids.person(rng)
    nik: Any = b.pos("nik", p.nik)
    if rng.random() < 0.15:
        nik = int(nik)  # some APIs send the NIK as a JSON number
    if style == 0:
        return {
            "id": rng.randint(1, 99999),
            "nik": nik,
            "nama": p.name,
            "keluarga": {"no_kk": b.pos("kk", p.kk), "nik_ibu": b.pos("nik", ids.person(rng).nik)},
            "kontak": {
                "no_hp": b.pos("phone", ids.phone_printed(rng, ids.mobile(rng))),
                "email": b.pos("email", ids.email(rng, p.name)),
            },
            "bantuan": {
                "va_number": b.neg("virtual_account", fake.virtual_account(rng)),
                "kode_bayar": b.neg("kode_bayar", fake.kode_bayar(rng)),
            },
            "created_at": b.neg("timestamp", fake.timestamp(rng)),
        }
    if style == 1:
        bank = rng.choice(("BCA", "BRI", "MANDIRI"))
        return {
            "nomorIndukKependudukan": nik,
            "namaLengkap": p.name,
            "nomorKartuKeluarga": b.pos("kk", p.kk),
            "nomorHp": b.pos("phone", ids.phone_printed(rng, ids.mobile(rng), "intl")),
            "rekening": {"bank": bank, "nomor": b.pos("account", ids.bank_account(rng, bank))},
            "kepesertaan": {"noKartuJkn": b.pos("bpjs", ids.bpjs(rng))},
            "idTransaksi": b.neg("order", fake.order_number(rng)),
            "updatedAt": b.neg("timestamp", fake.timestamp(rng)),
        }
    return {
        "NIK": nik,
        "NAMA": p.name,
        "NO_KK": b.pos("kk", p.kk),
        "NPWP": b.pos("npwp", ids.npwp15(rng)),
        "PASPOR": b.pos("passport", ids.passport(rng)),
        "KODE_POS": b.neg("postcode", fake.postcode(rng)),
        "NO_REGISTRASI": b.neg("registration", fake.registration_number(rng, p.nik[:6])),
    }


def json_api(b: Builder, i: int) -> tuple[str, str]:
    """Open API responses: keys as labels, nested objects; or rows as arrays with the
    field names listed once (spreadsheet-style APIs)."""
    rng = b.rng
    n = rng.randint(20, 150)
    style = rng.randrange(4)
    if style < 3:
        doc: dict[str, Any] = {
            "status": True,
            "message": "success",
            "total": n,
            "data": [_json_person(b, style) for _ in range(n)],
        }
    else:
        fields = ["no", "nik", "no_kk", "nama", "no_hp", "kode_pos"]
        rows = []
        for k in range(1, n + 1):
            p = ids.person(rng)
            rows.append(
                [
                    k,
                    b.pos("nik", p.nik),
                    b.pos("kk", p.kk),
                    p.name,
                    b.pos("phone", ids.mobile(rng)),
                    b.neg("postcode", fake.postcode(rng)),
                ]
            )
        doc = {"fields": fields, "rows": rows, "generated": b.neg("timestamp", fake.timestamp(rng))}
    return "json", json.dumps(doc, ensure_ascii=False, indent=rng.choice((None, 2)))


def html_attrs(b: Builder, i: int) -> tuple[str, str]:
    """Identifiers only in attributes, URLs and file names; the visible text has names."""
    rng = b.rng
    rows = []
    for k in range(1, rng.randint(25, 120)):
        p = ids.person(rng)
        form = rng.randrange(6)
        if form == 0:
            cell = f'<a href="/penerima/detail?nik={b.pos("nik", p.nik)}">{p.name}</a>'
        elif form == 1:
            shown = b.pos("nik", p.nik)
            cell = f'<img src="/uploads/ktp/ktp_{shown}.jpg" alt="KTP" width="80"> {p.name}'
        elif form == 2:
            shown = b.pos("kk", p.kk)
            cell = f'<a href="/files/kk/kk_{shown}.pdf" target="_blank">{p.name} (unduh KK)</a>'
        elif form == 3:
            cell = f'<span data-nik="{b.pos("nik", p.nik)}" class="nama">{p.name}</span>'
        elif form == 4:
            cell = (
                f'{p.name} <input type="hidden" name="no_kk[]" value="{b.pos("kk", p.kk)}">'
                f"<button onclick=\"hapus('{b.pos('nik', p.nik)}')\">Hapus</button>"
            )
        else:
            cell = (
                f'<a href="https://wa.me/{b.pos("phone", "62" + ids.mobile(rng)[1:])}">{p.name}</a>'
            )
        stamp = fake.timestamp(rng).replace(" ", "_").replace(":", "").replace("-", "")
        rows.append(
            [
                str(k),
                cell,
                f'<a href="/berita/detail?id={b.neg("timestamp", stamp)}">lihat</a>',
                '<img src="/assets/img/thumb_'
                + b.neg("order", fake.order_number(rng))
                + '.png" alt="">',
            ]
        )
    body = html_table(["No", "Nama", "Berita", "Foto"], rows)
    return "html", page(rng, "Dinas Kependudukan dan Pencatatan Sipil", "Data Pemohon", body)


def phone_formats(b: Builder, i: int) -> tuple[str, str]:
    """Complaint logs and cadre contact lists: mobiles in every common form, next to
    office landlines, fax numbers, postcodes and timestamps."""
    rng = b.rng
    lines = []
    for _ in range(rng.randint(30, 120)):
        p = ids.person(rng)
        shown = b.pos("phone", ids.phone_printed(rng, ids.mobile(rng)))
        if rng.random() < 0.15:  # two numbers in one cell: "HP / WA"
            shown += rng.choice((" / ", "; ", " atau ")) + b.pos(
                "phone", ids.phone_printed(rng, ids.mobile(rng))
            )
        form = rng.randrange(5)
        if form == 0:
            lines.append(f"{p.name} | {shown} | {rng.choice(ids.STREETS)} {rng.randint(1, 99)}")
        elif form == 1:
            lines.append(
                f"Pelapor: {p.name}, HP: {shown}, diterima "
                + b.neg("timestamp", fake.timestamp(rng))
            )
        elif form == 2:
            lines.append(f"Hubungi Ibu {p.name.title()} di {shown} untuk pendaftaran posyandu.")
        elif form == 3:
            lines.append(f"- {p.name.title()} (kader RW {rng.randint(1, 12):02d}) WA {shown}")
        else:
            lines.append(f"{p.name};{shown};RT {rng.randint(1, 15):02d}")
        if rng.random() < 0.3:
            lines.append(
                f"Kantor Kelurahan: Telp. {b.neg('landline', fake.landline(rng))}, "
                f"Fax {b.neg('landline', fake.landline(rng))}, "
                f"Kode Pos {b.neg('postcode', fake.postcode(rng))}"
            )
    text = "\n".join(lines)
    if rng.random() < 0.5:
        return "text", "REKAP PENGADUAN MASYARAKAT\n\n" + text + "\n"
    body = "<p>" + "</p>\n<p>".join(html.escape(line) for line in lines) + "</p>"
    links = []
    for _ in range(rng.randint(2, 10)):
        number = "62" + ids.mobile(rng)[1:]
        links.append(f'<a href="tel:+{b.pos("phone", number)}" class="btn">Telepon petugas</a>')
    return "html", page(rng, "Kelurahan", "Kontak Kader", body + "\n" + "\n".join(links))


def email_formats(b: Builder, i: int) -> tuple[str, str]:
    """Training participant lists and contact pages: plain and obfuscated addresses
    (positives), masked addresses and form placeholders (negatives)."""
    rng = b.rng
    rows = []
    for k in range(1, rng.randint(25, 110)):
        p = ids.person(rng)
        address = ids.email(rng, p.name)
        form = rng.random()
        if form < 0.55:
            cell = html.escape(b.pos("email", address))
        elif form < 0.75:
            shown = b.pos("email", ids.email_obfuscated(rng, address))
            cell = shown if "&#64;" in shown else html.escape(shown)
        elif form < 0.92:
            cell = html.escape(b.neg("masked_email", fake.mask_email(address)))
        else:
            cell = "-"
        rows.append([str(k), p.name, cell, rng.choice(("Dinas Kominfo", "Kecamatan", "Puskesmas"))])
    hint = b.neg("placeholder_email", rng.choice(fake.PLACEHOLDER_EMAILS))
    other = b.neg("placeholder_email", rng.choice(fake.PLACEHOLDER_EMAILS))
    body = (
        f'<form><label>Email</label><input type="email" name="email" placeholder="{hint}">'
        f"<small>Contoh: {other}</small></form>\n"
        + html_table(["No", "Nama", "Email", "Instansi"], rows)
    )
    return "html", page(rng, "Dinas Komunikasi dan Informatika", "Peserta Pelatihan", body)


def free_text(b: Builder, i: int) -> tuple[str, str]:
    """News and press releases: a few identifiers in prose among many look-alikes."""
    rng = b.rng
    paras = []
    for _ in range(rng.randint(4, 12)):
        p = ids.person(rng)
        form = rng.randrange(7)
        if form == 0:
            paras.append(
                f"Bantuan atas nama {p.name.title()} (NIK {b.pos('nik', p.nik)}) dialihkan karena "
                f"yang bersangkutan telah pindah domisili."
            )
        elif form == 1:
            paras.append(
                f"Warga dengan nomor KK {b.pos('kk', p.kk)} diminta datang ke kantor kelurahan "
                f"paling lambat {fake.birthday_text(ids.date_between(rng, 2024, 2025))}."
            )
        elif form == 2:
            paras.append(
                f"Informasi lebih lanjut dapat menghubungi petugas kami, {p.name.title()}, "
                "di nomor "
                f"{b.pos('phone', ids.phone_printed(rng, ids.mobile(rng)))} atau kantor "
                f"{b.neg('landline', fake.landline(rng))}."
            )
        elif form == 3:
            paras.append(
                "Buku panduan tersebut terbit dengan ISBN "
                f"{b.neg('isbn', fake.isbn13(rng, rng.random() < 0.6))} "
                f"dan dibagikan gratis; kode produk {b.neg('ean', fake.ean13(rng))}."
            )
        elif form == 4:
            paras.append(
                f"Surat Nomor 400/{rng.randint(100, 9999)}/DINSOS/{rng.randint(2022, 2025)} "
                "diterbitkan "
                f"pada {b.neg('timestamp', fake.timestamp(rng))} dengan nomor tagihan "
                f"{b.neg('tagihan', fake.nomor_tagihan(rng))}."
            )
        elif form == 5:
            paras.append(
                f"Siswa atas nama {p.name.title()} dengan NISN "
                f"{b.pos('nisn', ids.nisn(rng, rng.randint(2008, 2016)))} "
                f"meraih juara pertama olimpiade sains tingkat provinsi."
            )
        else:
            paras.append(
                f"Pembayaran dilakukan melalui invoice {b.neg('invoice', fake.invoice(rng))} "
                "ke kantor pos "
                f"kode {b.neg('postcode', fake.postcode(rng))}."
            )
    body = "<article>" + "\n".join(f"<p>{html.escape(x)}</p>" for x in paras) + "</article>"
    return "html", page(rng, "Pemerintah Kota", "Berita", body)


def payment_refs(b: Builder, i: int) -> tuple[str, str]:
    """Retribution / PBB payment pages: Virtual Account, kode bayar, nomor tagihan,
    invoices and orders (none a citizen's bank account), next to grant transfers to
    named personal accounts (which are)."""
    rng = b.rng
    lines = []
    for _ in range(rng.randint(20, 80)):
        form = rng.randrange(5)
        if form == 0:
            lines.append(
                f"Nomor Virtual Account: {b.neg('virtual_account', fake.virtual_account(rng))} "
                f"(BANK {rng.choice(('BNI', 'BRI', 'MANDIRI', 'SUMUT'))})"
            )
        elif form == 1:
            lines.append(
                f"Kode Bayar: {b.neg('kode_bayar', fake.kode_bayar(rng))}  Masa Pajak: "
                f"{rng.randint(1, 12):02d}/{rng.randint(2022, 2025)}"
            )
        elif form == 2:
            lines.append(
                f"Nomor Tagihan {b.neg('tagihan', fake.nomor_tagihan(rng))}, NOP "
                f"{b.neg('nop', fake.nop_pbb(rng, ids.region(rng)))}"
            )
        elif form == 3:
            lines.append(
                f"Invoice {b.neg('invoice', fake.invoice(rng))} / "
                f"Order {b.neg('order', fake.order_number(rng))}"
            )
        else:
            p = ids.person(rng)
            bank = rng.choice(sorted(ids.BANKS))
            acct = ids.bank_account(rng, bank)
            lines.append(
                f"Dana hibah ditransfer ke rekening {bank} "
                f"{b.pos('account', ids.bank_account_printed(rng, bank, acct))} a.n. {p.name}"
            )
    if rng.random() < 0.5:
        return "text", "BUKTI PEMBAYARAN DAN TRANSFER\n\n" + "\n".join(lines) + "\n"
    body = "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>"
    return "html", page(rng, "Badan Pendapatan Daerah", "Pembayaran", body)


def typical_page(b: Builder, i: int) -> tuple[str, str]:
    """A news / service page: menus, inline CSS and JS, landlines, no personal data."""
    rng = b.rng
    paras = []
    for _ in range(rng.randint(6, 20)):
        paras.append(
            "Pemerintah daerah melaksanakan kegiatan "
            + rng.choice(("vaksinasi", "pelatihan UMKM", "bazar", "pelayanan KTP-el keliling"))
            + " "
            f"pada {fake.birthday_text(ids.date_between(rng, 2023, 2025))} "
            "bertempat di aula kantor, "
            f"anggaran Rp {rng.randint(10, 900)}.{rng.randint(100, 999)}.000, layanan informasi "
            f"{b.neg('landline', fake.landline(rng))}, "
            f"kode pos {b.neg('postcode', fake.postcode(rng))}."
        )
    body = "<article>" + "\n".join(f"<p>{html.escape(x)}</p>" for x in paras) + "</article>"
    body += _sidebar(b) + "<script>\n" + _script(b) + "\n</script>"
    return "html", page(rng, "Pemerintah Kota", "Berita Daerah", body)


_WORDS = (
    "pengumuman",
    "layanan",
    "informasi",
    "kegiatan",
    "bupati",
    "walikota",
    "rapat",
    "sosialisasi",
    "musrenbang",
    "pelantikan",
    "anggaran",
    "festival",
    "posyandu",
)


def _sidebar(b: Builder) -> str:
    """Latest news and agenda links with their dates and slugs, as CMS sidebars show."""
    rng = b.rng
    items = []
    for _ in range(rng.randint(15, 40)):
        day = ids.date_between(rng, 2023, 2025)
        slug = "-".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 7)))
        items.append(
            f'<li><a href="/berita/{day:%Y/%m/%d}/{slug}">{slug.replace("-", " ").title()}'
            f'</a><span class="date">{day:%d %B %Y}</span></li>'
        )
    return '<aside class="sidebar"><h3>Berita Terbaru</h3><ul>' + "".join(items) + "</ul></aside>"


def _script(b: Builder) -> str:
    """Minified-looking theme and slider code: short names, numeric literals, a slider
    config whose image names carry timestamps."""
    rng = b.rng
    parts = ['!function(e,t){"use strict";']
    for k in range(rng.randint(150, 600)):
        a, c = rng.choice("abcdefghinorstu"), rng.choice("elmnpqxyz")
        parts.append(
            f"function {a}{k}({c},t){{var n={rng.randint(0, 999)},r=t||{{}};"
            f"return {c}.offset+n*{rng.random():.3f}>r.w?{c}.css({{top:{rng.randint(0, 1200)},"
            f'left:-{rng.randint(0, 99)}+"px"}}):void 0}}'
        )
    slides = [
        {
            "id": rng.randint(1, 9999),
            "img": "/uploads/slider/"
            + b.neg("timestamp", fake.timestamp(rng).replace(" ", "_").replace(":", ""))
            + ".jpg",
            "delay": rng.choice((3000, 5000, 8000)),
        }
        for _ in range(rng.randint(3, 12))
    ]
    parts.append(f"e.SLIDES={json.dumps(slides)};}}(window,document);")
    return "".join(parts)
