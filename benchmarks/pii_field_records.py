"""Field-corpus layouts of a second batch written after the detector was tuned: Excel
"save as web page" tables, SQL statements other than dumps (UPDATE, INSERT … SET,
error messages), web server logs, edit forms left open, and records written inline.

Each layout is ``(builder, index) -> (fmt, text)`` (see benchmarks/pii_field_tables.py).
"""

from __future__ import annotations

import html

import pii_field_ids as ids
import pii_field_lookalikes as fake
from pii_field_doc import Builder
from pii_field_render import page


def excel_html(b: Builder, i: int) -> tuple[str, str]:
    """Excel's "Save as Web Page": title rows as merged cells, the header as plain
    styled cells in the body, numbers kept as text with x:str, no <th> anywhere."""
    rng = b.rng
    area = ids.region(rng)
    header = ["NO", "NAMA", "NIK", "NO. KK", "ALAMAT", "NO. HP", "NO. REGISTRASI"]
    width = len(header)
    out = [
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel">',
        "<head>",
        '<meta name="Generator" content="Microsoft Excel 15">',
        '<style>.xl65{mso-number-format:"\\@";} .xl66{font-weight:700;text-align:center;}</style>',
        "</head><body>",
        "<table border=0 cellpadding=0 cellspacing=0 width=1200 x:str>",
    ]
    for title in (
        "DAFTAR PENERIMA BANTUAN SOSIAL TUNAI",
        f"{ids.PLACES.get(area[:4], 'KABUPATEN')}",
        "",
    ):
        out.append(f"<tr height=20><td colspan={width} class=xl66>{html.escape(title)}</td></tr>")
    out.append("<tr height=20>" + "".join(f"<td class=xl66>{h}</td>" for h in header) + "</tr>")
    for n in range(1, rng.randint(40, 200)):
        p = ids.person(rng, area)
        cells = [
            str(n),
            p.name,
            b.pos("nik", p.nik),
            b.pos("kk", p.kk),
            f"{rng.choice(ids.STREETS)} {rng.randint(1, 99)}",
            b.pos("phone", ids.phone_printed(rng, ids.mobile(rng))),
            b.neg("registration", fake.registration_number(rng, area)),
        ]
        out.append(
            "<tr height=20>"
            + "".join(f"<td class=xl65>{html.escape(c)}</td>" for c in cells)
            + "</tr>"
        )
    out += ["</table>", "</body></html>"]
    return "html", "\n".join(out) + "\n"


def sql_statements(b: Builder, i: int) -> tuple[str, str]:
    """Statements from migration scripts and query logs: UPDATE … SET … WHERE,
    INSERT … SET, and MySQL errors quoting the duplicate value."""
    rng = b.rng
    lines = [
        f"-- patch data {fake.birthday_text(ids.date_between(rng, 2023, 2025))}",
        "START TRANSACTION;",
    ]
    for _ in range(rng.randint(40, 200)):
        p = ids.person(rng)
        form = rng.randrange(4)
        if form == 0:
            lines.append(
                f"UPDATE penduduk SET no_kk = '{b.pos('kk', p.kk)}', no_hp = "
                f"'{b.pos('phone', ids.mobile(rng))}' WHERE nik = '{b.pos('nik', p.nik)}';"
            )
        elif form == 1:
            lines.append(
                f"INSERT INTO penerima SET nik='{b.pos('nik', p.nik)}', nama='{p.name}', "
                f"no_kk='{b.pos('kk', p.kk)}', no_registrasi="
                f"'{b.neg('registration', fake.registration_number(rng, p.nik[:6]))}';"
            )
        elif form == 2:
            lines.append(
                f"ERROR 1062 (23000) at line {rng.randint(10, 9999)}: Duplicate entry "
                f"'{b.pos('nik', p.nik)}' for key 'penduduk.nik_unique'"
            )
        else:
            lines.append(
                f"DELETE FROM bantuan WHERE no_kk = '{b.pos('kk', p.kk)}' AND "
                f"va_number = '{b.neg('virtual_account', fake.virtual_account(rng))}';"
            )
    lines.append("COMMIT;")
    return "text", "\n".join(lines) + "\n"


def server_logs(b: Builder, i: int) -> tuple[str, str]:
    """An exposed access log: identifiers in query strings and paths, next to
    timestamps, IP addresses, byte counts and session ids."""
    rng = b.rng
    lines = []
    for _ in range(rng.randint(80, 400)):
        p = ids.person(rng)
        when = ids.date_between(rng, 2024, 2025)
        # documentation address ranges (RFC 5737): never a real client
        ip = f"{rng.choice(('192.0.2', '198.51.100', '203.0.113'))}.{rng.randint(1, 254)}"
        form = rng.randrange(4)
        if form == 0:
            path = f"/api/penduduk?nik={b.pos('nik', p.nik)}&page={rng.randint(1, 40)}"
        elif form == 1:
            path = f"/cek-bansos/kk/{b.pos('kk', p.kk)}"
        elif form == 2:
            path = f"/ppdb/siswa?nisn={b.pos('nisn', ids.nisn(rng, rng.randint(2008, 2017)))}"
        else:
            path = f"/berita/{when:%Y/%m}/{rng.randint(100, 99999)}"
        lines.append(
            f"{ip} - - [{when:%d/%b/%Y}:{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:"
            f'{rng.randint(0, 59):02d} +0700] "GET {path} HTTP/1.1" 200 {rng.randint(200, 90000)} '
            f'"-" "Mozilla/5.0 (Linux; Android 13)"'
        )
    return "text", "\n".join(lines) + "\n"


def edit_forms(b: Builder, i: int) -> tuple[str, str]:
    """Edit forms left reachable without login: a label element, then an input whose
    value is the stored identifier."""
    rng = b.rng
    forms = []
    for _ in range(rng.randint(1, 10)):
        p = ids.person(rng)
        fields = [
            ("nik", rng.choice(("NIK", "Nomor Induk Kependudukan")), b.pos("nik", p.nik)),
            ("no_kk", rng.choice(("Nomor KK", "No. Kartu Keluarga")), b.pos("kk", p.kk)),
            ("nama", "Nama Lengkap", p.name),
            ("hp", "Nomor HP / WhatsApp", b.pos("phone", ids.mobile(rng))),
            ("email", "Alamat Email", b.pos("email", ids.email(rng, p.name))),
        ]
        if rng.random() < 0.4:
            fields.append(("npwp", "NPWP", b.pos("npwp", ids.npwp15_formatted(ids.npwp15(rng)))))
        groups = "".join(
            f'<div class="form-group"><label for="{n}">{lab}</label>'
            f'<input type="text" class="form-control" id="{n}" name="{n}" '
            f'value="{html.escape(v)}"></div>'
            for n, lab, v in fields
        )
        forms.append(
            f'<form method="post" action="/pendaftar/update">{groups}'
            '<button type="submit">Simpan</button></form>'
        )
    return "html", page(rng, "Dinas Sosial", "Ubah Data Pendaftar", "\n".join(forms))


def inline_records(b: Builder, i: int) -> tuple[str, str]:
    """Records written on one line with inline labels: list items, 'NIK/KK: a/b',
    and comma-separated label-value pairs."""
    rng = b.rng
    items = []
    for _ in range(rng.randint(20, 120)):
        p = ids.person(rng)
        form = rng.randrange(3)
        if form == 0:
            items.append(
                f"{p.name}, NIK {b.pos('nik', p.nik)}, KK {b.pos('kk', p.kk)}, "
                f"HP {b.pos('phone', ids.phone_printed(rng, ids.mobile(rng)))}"
            )
        elif form == 1:
            items.append(f"{p.name} - NIK/KK: {b.pos('nik', p.nik)}/{b.pos('kk', p.kk)}")
        else:
            items.append(f"{p.name} (No.KK.{b.pos('kk', p.kk)}; NIK.{b.pos('nik', p.nik)})")
    if rng.random() < 0.5:
        body = "<ol>" + "".join(f"<li>{html.escape(x)}</li>" for x in items) + "</ol>"
        return "html", page(rng, "Kelurahan", "Daftar Warga", body)
    return "text", "DAFTAR WARGA\n" + "\n".join(f"{n}. {x}" for n, x in enumerate(items, 1)) + "\n"
