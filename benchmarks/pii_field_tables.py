"""Field-corpus layouts that are tables of people: bansos/BLT recipient lists, two-row
headers, PPDB student lists, CPNS announcements, staff (NIP) lists, BPJS PBI lists,
hajj passport lists, masked lists, NPWP lists.

Each layout is ``(builder, index) -> (fmt, text)``; identifiers go through
``builder.pos`` and look-alikes through ``builder.neg`` (benchmarks/pii_field_doc.py).
"""

from __future__ import annotations

import html

import pii_field_ids as ids
import pii_field_lookalikes as fake
from pii_field_doc import Builder
from pii_field_pdf import table_pdf
from pii_field_render import csv_text, fixed_width, html_table, page, pdf_text, separated
from pii_field_xlsx import merge_ref, workbook

NIK_LABELS = ("NIK", "NIK", "NO. NIK", "NIK KTP", "NOMOR INDUK KEPENDUDUKAN", "No. KTP")
KK_LABELS = ("NO KK", "NO. KK", "NOMOR KK", "NKK", "NO. KARTU KELUARGA")
HP_LABELS = ("NO HP", "NO. HP/WA", "TELEPON", "NO. TELP/HP", "HP")
REK_LABELS = ("NO REKENING", "NO. REK", "NOMOR REKENING", "REKENING BANK")


def _village(b: Builder) -> str:
    return f"DESA {b.rng.choice(ids.FIRST)} {b.rng.choice(('JAYA', 'MAKMUR', 'SARI', 'MULYA'))}"


def _maybe_quote(b: Builder, shown: str) -> str:
    """Spreadsheet users force text with a leading apostrophe; the value keeps its digits."""
    return "'" + shown if b.rng.random() < 0.08 else shown


def _family_rows(b: Builder, n: int, area: str) -> list[ids.Person]:
    """People in families: consecutive rows share a No. KK, as in recipient lists."""
    people: list[ids.Person] = []
    while len(people) < n:
        family = ids.kk(b.rng, area)
        for _ in range(b.rng.choice((1, 1, 1, 2, 3))):
            people.append(ids.person(b.rng, area, family=family))
    return people[:n]


def _blt_sheet(b: Builder) -> tuple[list[str], list[str], list[list[str]], list[str]]:
    """(title rows, header, rows, signature rows) of a BLT recipient list."""
    rng = b.rng
    area = ids.region(rng)
    cols = ["NO", "NAMA PENERIMA", rng.choice(NIK_LABELS), rng.choice(KK_LABELS), "ALAMAT", "RT/RW"]
    with_hp, with_rek = rng.random() < 0.6, rng.random() < 0.4
    bank = rng.choice(("BRI", "BNI", "MANDIRI"))
    if with_hp:
        cols.append(rng.choice(HP_LABELS))
    if with_rek:
        cols.append(rng.choice(REK_LABELS) + (f" {bank}" if rng.random() < 0.5 else ""))
    with_reg, with_va = rng.random() < 0.4, rng.random() < 0.25
    if with_reg:
        cols.append(rng.choice(("NO. REGISTRASI", "NO. PESERTA")))
    if with_va:
        cols.append(rng.choice(("NO. VIRTUAL ACCOUNT", "KODE BAYAR POS")))
    cols.append("KETERANGAN")
    rows = []
    for n, p in enumerate(_family_rows(b, rng.randint(40, 260), area), 1):
        row = [
            str(n),
            p.name,
            _maybe_quote(b, b.pos("nik", p.nik)),
            _maybe_quote(b, b.pos("kk", p.kk)),
            f"{rng.choice(ids.STREETS)} NO. {rng.randint(1, 99)}",
            f"{rng.randint(1, 15):03d}/{rng.randint(1, 9):03d}",
        ]
        if with_hp:
            row.append(
                b.pos("phone", ids.phone_printed(rng, ids.mobile(rng)))
                if rng.random() < 0.85
                else "-"
            )
        if with_rek:
            acct = ids.bank_account(rng, bank)
            row.append(b.pos("account", ids.bank_account_printed(rng, bank, acct)))
        if with_reg:
            row.append(b.neg("registration", fake.registration_number(rng, area)))
        if with_va:
            row.append(b.neg("virtual_account", fake.virtual_account(rng)))
        row.append(rng.choice(("LANSIA", "DISABILITAS", "KK MISKIN", "", "", "PKH")))
        rows.append(row)
    above = [
        rng.choice(
            (
                "DAFTAR PENERIMA BLT",
                "DAFTAR PENERIMA BLT DANA DESA",
                "DAFTAR KELUARGA PENERIMA MANFAAT (KPM) BLT-DD",
            )
        )
    ]
    if rng.random() < 0.7:
        above.append(
            f"{_village(b)} KECAMATAN {rng.choice(ids.LAST) or 'KOTA'} "
            f"TAHUN ANGGARAN {rng.randint(2021, 2025)}"
        )
    if rng.random() < 0.5:
        above.append("")
    below = ["", f"Mengetahui, Kepala Desa {rng.choice(ids.FIRST)} {rng.choice(ids.LAST)}"]
    return above, cols, rows, below


def bansos_title_csv(b: Builder, i: int) -> tuple[str, str]:
    """BLT recipient list saved from a spreadsheet: title rows above the header."""
    above, cols, rows, below = _blt_sheet(b)
    bom = "\ufeff" if b.rng.random() < 0.3 else ""  # Excel's "CSV UTF-8" starts with a BOM
    return "csv", bom + csv_text(cols, rows, above=above, below=below)


def _pkh_sheet(b: Builder) -> tuple[list[str], list[str], list[str], list[list[str]]]:
    """(title rows, group row, column row, rows) of a PKH / PBI recap."""
    rng = b.rng
    area = ids.region(rng)
    bank = rng.choice(("BRI", "BNI", "BSI", "MANDIRI"))
    group = ["NO", "IDENTITAS PENERIMA", "", "", "", "KEPESERTAAN", "", "", "KONTAK"]
    cols = [
        "",
        "NAMA",
        rng.choice(NIK_LABELS),
        rng.choice(KK_LABELS),
        "TGL LAHIR",
        rng.choice(("NO. KARTU KIS", "NO. BPJS", "NOMOR KARTU JKN")),
        rng.choice(("NO. PESERTA PKH", "NO. REGISTRASI")),
        rng.choice(REK_LABELS),
        rng.choice(HP_LABELS),
    ]
    rows = []
    for n, p in enumerate(_family_rows(b, rng.randint(40, 200), area), 1):
        acct = ids.bank_account(rng, bank)
        rows.append(
            [
                str(n),
                p.name,
                b.pos("nik", p.nik),
                b.pos("kk", p.kk),
                fake.birthday_text(p.born),
                b.pos("bpjs", ids.bpjs(rng)),
                b.neg("registration", fake.registration_number(rng, area)),
                b.pos("account", ids.bank_account_printed(rng, bank, acct)),
                b.pos("phone", ids.phone_printed(rng, ids.mobile(rng))),
            ]
        )
    above = ["REKAPITULASI DATA PENERIMA PKH DAN PBI-JK"] if rng.random() < 0.5 else []
    return above, group, cols, rows


def two_row_header_csv(b: Builder, i: int) -> tuple[str, str]:
    """PKH / PBI recap: a group row (merged cells) above the column row, sometimes a
    '1;2;3' numbering row under it, sometimes a title row above everything."""
    above, group, cols, rows = _pkh_sheet(b)
    sep = b.rng.choice((";", ";", ","))
    return "csv", csv_text(
        cols, rows, sep=sep, above=above, group=group, numbering=b.rng.random() < 0.4
    )


def recipients_xlsx(b: Builder, i: int) -> tuple[str, str, bytes]:
    """The same lists as real .xlsx workbooks: merged title cells above the header, or
    a merged group row over the column row; identifiers in text cells."""
    if b.rng.random() < 0.5:
        above, cols, rows, below = _blt_sheet(b)
        group: list[str] = []
    else:
        above, group, cols, rows = _pkh_sheet(b)
        below = []
    width = len(cols)
    grid = [[t] + [""] * (width - 1) for t in above]
    merges = [merge_ref(r + 1, 0, width - 1) for r, t in enumerate(above) if t]
    if group:
        grid.append(group)
        start = None
        for c, name in enumerate([*group, "x"]):  # a group spans until the next name
            if name and start is not None and c - 1 > start:
                merges.append(merge_ref(len(grid), start, c - 1))
            if name:
                start = c
    grid.append(cols)
    grid += [[c.lstrip("'") for c in r] for r in rows]
    grid += [[t] + [""] * (width - 1) for t in below]
    readable = csv_text(cols, rows, above=above, group=group or None, below=below)
    return "xlsx", readable, workbook("Sheet1", grid, merges)


def _students(b: Builder, n: int, level: str) -> tuple[list[str], list[list[str]]]:
    rng = b.rng
    born = {"SD": (2016, 2018), "SMP": (2010, 2012), "SMA": (2007, 2009)}[level]
    area = ids.region(rng)
    with_reg = rng.random() < 0.6
    header = (
        ["NO"]
        + (["NO. REGISTRASI"] if with_reg else [])
        + ["NISN", "NAMA PESERTA DIDIK", "ASAL SEKOLAH", "NPSN", "JARAK (M)", "SKOR", "STATUS"]
    )
    rows = []
    for k in range(1, n + 1):
        p = ids.person(rng, area, born[0], born[1])
        row = [str(k)]
        if with_reg:
            row.append(b.neg("registration", fake.registration_number(rng, area)))
        row += [
            b.pos("nisn", ids.nisn(rng, p.born.year)),
            p.name,
            f"{'SD' if level == 'SMP' else 'SMP'} NEGERI {rng.randint(1, 40)} {p.birthplace}",
            b.neg("npsn", fake.npsn(rng)),
            str(rng.randint(150, 4000)),
            f"{rng.uniform(60, 99):.2f}",
            rng.choice(("DITERIMA", "DITERIMA", "CADANGAN")),
        ]
        rows.append(row)
    return header, rows


def ppdb_text(b: Builder, i: int) -> tuple[str, str]:
    """PPDB result announcement as plain text: 70-130 students with their NISN."""
    rng = b.rng
    level = rng.choice(("SD", "SMP", "SMP", "SMA"))
    header, rows = _students(b, rng.randint(70, 130), level)
    style = rng.randrange(3)
    table = (
        fixed_width(header, rows)
        if style == 0
        else separated(header, rows, "\t" if style == 1 else " | ")
    )
    year = rng.randint(2022, 2025)
    title = (
        f"PENGUMUMAN HASIL SELEKSI PPDB {level} NEGERI {rng.randint(1, 20)} "
        f"TAHUN AJARAN {year}/{year + 1}\n"
        f"JALUR {rng.choice(('ZONASI', 'AFIRMASI', 'PRESTASI'))}\n\n"
    )

    return "text", title + table + "\n\nPanitia PPDB\n"


def ppdb_html(b: Builder, i: int) -> tuple[str, str]:
    rng = b.rng
    level = rng.choice(("SD", "SMP", "SMA"))
    header, rows = _students(b, rng.randint(70, 130), level)
    group = None
    if rng.random() < 0.4:  # a group row over the column row, as converted from a sheet
        group = [("DATA PESERTA DIDIK", len(header) - 5), ("ASAL SEKOLAH", 2), ("HASIL SELEKSI", 3)]
    body = (
        f"<p>Berikut hasil seleksi PPDB jenjang {level} tahun {rng.randint(2022, 2025)}.</p>\n"
        + html_table(header, rows, th=rng.random() < 0.7, group=group)
    )
    return "html", page(rng, "Dinas Pendidikan", "Pengumuman Hasil PPDB", body)


def _signature(b: Builder) -> str:
    rng = b.rng
    value = ids.nip(rng)
    shown = f"{value[:8]} {value[8:14]} {value[14]} {value[15:]}" if rng.random() < 0.6 else value
    return (
        f"Kepala Badan Kepegawaian dan Pengembangan SDM,\n\n{rng.choice(ids.FIRST)} "
        f"{rng.choice(ids.LAST)}, S.STP., M.Si\nPembina Utama Muda (IV/c)\n"
        f"NIP. {b.pos('nip', shown)}"
    )


def cpns_announcement(b: Builder, i: int) -> tuple[str, str]:
    """CPNS/PPPK administrative selection result: exam numbers (some start like a card
    and pass Luhn), names, sometimes the NIK; the head of the BKPSDM signs with a NIP."""
    rng = b.rng
    with_nik = rng.random() < 0.5
    header = (
        ["NO", "NO PESERTA", "NAMA"]
        + (["NIK"] if with_nik else [])
        + ["PENDIDIKAN", "FORMASI", "KET"]
    )
    rows = []
    scheme = rng.randrange(3)
    area = ids.region(rng)
    for k in range(1, rng.randint(60, 220)):
        p = ids.person(rng, born_from=1985, born_to=2001)
        if scheme == 0:  # starts like a card and passes Luhn
            number, cls = fake.exam_number_luhn(rng), "exam_number"
        elif scheme == 1:  # SSCASN style, 17 digits
            number = f"{rng.randint(24, 25)}{rng.randint(100, 999)}{ids.digits(rng, 12)}"
            cls = "exam_number"
        else:  # region + YYMMDD + serial: shaped like a NIK
            number, cls = fake.registration_number(rng, area), "registration"
        row = [str(k), b.neg(cls, number), p.name]
        if with_nik:
            row.append(b.pos("nik", p.nik))
        row += [
            rng.choice(
                (
                    "S1 TEKNIK INFORMATIKA",
                    "D3 KEPERAWATAN",
                    "S1 PENDIDIKAN GURU SD",
                    "S1 ILMU HUKUM",
                    "D4 KEBIDANAN",
                )
            ),
            rng.choice(
                ("PRANATA KOMPUTER AHLI PERTAMA", "PERAWAT TERAMPIL", "GURU KELAS", "ANALIS HUKUM")
            ),
            rng.choice(("MS", "MS", "TMS")),
        ]
        rows.append(row)
    title = (
        f"PENGUMUMAN NOMOR: 800/{rng.randint(100, 9999)}/BKPSDM/{rng.randint(2021, 2025)}\n"
        "TENTANG HASIL SELEKSI ADMINISTRASI PENGADAAN CPNS\n"
    )
    if rng.random() < 0.5:
        text = title + "\n" + fixed_width(header, rows) + "\n\n" + _signature(b) + "\n"
        return "text", text
    body = (
        f"<pre>{html.escape(title)}</pre>"
        + html_table(header, rows)
        + "<p>"
        + html.escape(_signature(b)).replace("\n", "<br>")
        + "</p>"
    )
    return "html", page(rng, "BKPSDM", "Pengumuman CPNS", body)


def staff_nip(b: Builder, i: int) -> tuple[str, str]:
    """Staff list (DUK / payroll): NIP in its printed forms, NPWP, payroll account, HP."""
    rng = b.rng
    bank = rng.choice(("BRI", "MANDIRI", "BNI", "BSI"))
    header = ["NO", "NAMA", "NIP", "GOL", "JABATAN", "NPWP", f"NO. REKENING {bank}", "NO. HP"]
    rows = []
    for k in range(1, rng.randint(30, 150)):
        value = ids.nip(rng)
        shown = (
            f"{value[:8]} {value[8:14]} {value[14]} {value[15:]}" if rng.random() < 0.5 else value
        )
        npwp = ids.npwp15(rng)
        acct = ids.bank_account(rng, bank)
        rows.append(
            [
                str(k),
                f"{rng.choice(ids.FIRST)} {rng.choice(ids.LAST)}",
                b.pos("nip", shown),
                rng.choice(("III/a", "III/b", "III/c", "IV/a", "II/c")),
                rng.choice(
                    ("Analis Kebijakan", "Pengadministrasi Umum", "Bendahara", "Kepala Seksi")
                ),
                b.pos("npwp", ids.npwp15_formatted(npwp) if rng.random() < 0.7 else npwp),
                b.pos("account", ids.bank_account_printed(rng, bank, acct)),
                b.pos("phone", ids.phone_printed(rng, ids.mobile(rng))),
            ]
        )
    if rng.random() < 0.5:
        return "csv", csv_text(
            header,
            rows,
            sep=rng.choice((";", ",")),
            above=["DAFTAR URUT KEPANGKATAN PEGAWAI NEGERI SIPIL"],
        )
    group = [("IDENTITAS PEGAWAI", 3), ("KEPANGKATAN", 2), ("KEUANGAN", 2), ("KONTAK", 1)]
    table = html_table(header, rows, group=group if rng.random() < 0.5 else None)
    return "html", page(rng, "Badan Kepegawaian Daerah", "Daftar Pegawai", table)


def bpjs_list(b: Builder, i: int) -> tuple[str, str]:
    """PBI-JK participants: card number (13 digits), NIK, facility code, business numbers
    of the employers (NIB, 13 digits like a card number) in the company variant."""
    rng = b.rng
    area = ids.region(rng)
    header = [
        "NO",
        "NO KARTU",
        "NIK",
        "NAMA PESERTA",
        "TGL LAHIR",
        "KODE FASKES",
        rng.choice(("NIB PEMBERI KERJA", "KODE BADAN USAHA")),
    ]
    rows = []
    for k in range(1, rng.randint(50, 250)):
        p = ids.person(rng, area)
        rows.append(
            [
                str(k),
                b.pos("bpjs", ids.bpjs(rng)),
                b.pos("nik", p.nik),
                p.name,
                fake.birthday_text(p.born),
                b.neg(
                    "facility_code",
                    f"{rng.randint(1, 99):04d}{rng.choice('URBS')}{rng.randint(1, 999):03d}",
                ),
                b.neg("nib", fake.nib(rng)),
            ]
        )
    return "csv", csv_text(
        header,
        rows,
        sep=rng.choice((";", ",")),
        above=["DATA PESERTA PBI JK APBD"] if rng.random() < 0.5 else None,
    )


def passport_list(b: Builder, i: int) -> tuple[str, str]:
    """Hajj pilgrims: passport, NIK, hajj queue number (10 digits, not a NISN)."""
    rng = b.rng
    header = ["NO", "NO. PORSI", "NAMA JEMAAH", "NO. PASPOR", "NIK", "TEMPAT/TGL LAHIR", "KLOTER"]
    rows = []
    for k in range(1, rng.randint(40, 180)):
        p = ids.person(rng, born_from=1945, born_to=1990)
        rows.append(
            [
                str(k),
                b.neg("nomor_porsi", fake.nomor_porsi(rng)),
                p.name,
                b.pos("passport", ids.passport(rng)),
                b.pos("nik", p.nik),
                f"{p.birthplace}, {fake.birthday_text(p.born)}",
                f"{rng.randint(1, 40):02d}",
            ]
        )
    if rng.random() < 0.5:
        return "csv", csv_text(header, rows, sep=";", above=["DAFTAR NAMA JEMAAH HAJI"])
    return "html", page(
        rng, "Kantor Kementerian Agama", "Daftar Jemaah Haji", html_table(header, rows)
    )


def masked_list(b: Builder, i: int) -> tuple[str, str]:
    """A list published with masking; one row in fifty slipped through unmasked."""
    rng = b.rng
    area = ids.region(rng)
    header = ["NO", "NAMA", "NIK", "NO KK", "NO HP", "EMAIL"]
    rows = []
    for k in range(1, rng.randint(40, 200)):
        p = ids.person(rng, area)
        phone = ids.mobile(rng)
        mail = ids.email(rng, p.name)
        if rng.random() < 0.02:
            rows.append(
                [
                    str(k),
                    p.name,
                    b.pos("nik", p.nik),
                    b.pos("kk", p.kk),
                    b.pos("phone", phone),
                    b.pos("email", mail),
                ]
            )
            continue
        mark = rng.choice("*xX•")
        rows.append(
            [
                str(k),
                p.name,
                b.neg("masked", fake.mask_digits(p.nik, rng, mark)),
                b.neg("masked", fake.mask_digits(p.kk, rng, mark)),
                b.neg("masked", fake.mask_digits(phone, rng, mark)),
                b.neg("masked_email", fake.mask_email(mail)),
            ]
        )
    if rng.random() < 0.5:
        return "csv", csv_text(header, rows, above=["DAFTAR PENERIMA BANTUAN (DISAMARKAN)"])
    return "html", page(rng, "Dinas Sosial", "Daftar Penerima", html_table(header, rows))


def npwp_list(b: Builder, i: int) -> tuple[str, str]:
    """Honorarium / tax lists: NPWP punctuated, unpunctuated, and since 2024 the NIK as
    NPWP (16 digits under an NPWP label) or 0 + old NPWP for non-individuals."""
    rng = b.rng
    area = ids.region(rng)
    with_nik = rng.random() < 0.5
    header = (
        ["NO", "NAMA"]
        + (["NIK"] if with_nik else [])
        + [
            rng.choice(("NPWP", "NO. NPWP", "NPWP/NIK")),
            "BRUTO (Rp)",
            "PPh 21 (Rp)",
            rng.choice(("NO. BUKTI POTONG", "NOMOR FAKTUR")),
        ]
    )
    rows = []
    for k in range(1, rng.randint(30, 160)):
        p = ids.person(rng, area, born_to=2000)
        form = rng.randrange(4)
        old = ids.npwp15(rng)
        shown = {0: ids.npwp15_formatted(old), 1: old, 2: p.nik, 3: "0" + old}[form]
        row = [str(k), p.name] + ([b.pos("nik", p.nik)] if with_nik else [])
        row += [
            b.pos("npwp", shown),
            f"{rng.randint(1, 90) * 250000:,}".replace(",", "."),
            f"{rng.randint(1, 90) * 12500:,}".replace(",", "."),
            b.neg(
                "tax_document",
                f"{rng.choice(('010', '020', '040'))}.{ids.digits(rng, 3)}-"
                f"{rng.randint(22, 25)}.{ids.digits(rng, 8)}",
            ),
        ]
        rows.append(row)
    style = rng.randrange(3)
    if style == 0:
        return "csv", csv_text(header, rows, above=["DAFTAR PENERIMA HONORARIUM"])
    if style == 1:
        return "text", "DAFTAR PEMOTONGAN PPh PASAL 21\n\n" + fixed_width(header, rows) + "\n"
    return "html", page(rng, "BPKAD", "Daftar Honorarium", html_table(header, rows))


def _printed_list(b: Builder) -> tuple[list[str], list[str], list[list[str]]]:
    """(letterhead, header, rows) of a list that is published as a PDF: hajj
    pilgrims, honorarium, PIP students or BPNT families."""
    rng = b.rng
    area = ids.region(rng)
    kind = rng.randrange(4)
    rows: list[list[str]] = []
    letterhead = [f"PEMERINTAH {ids.PLACES.get(area[:4], 'KABUPATEN')}", "DINAS SOSIAL"]
    if kind == 0:
        header = ["NO", "NAMA JEMAAH", "NO. PASPOR", "NIK", "TEMPAT/TGL LAHIR", "NO. PORSI"]
        letterhead.append("DAFTAR JEMAAH HAJI REGULER")
        for k in range(1, rng.randint(40, 150)):
            p = ids.person(rng, area, 1945, 1990)
            rows.append(
                [
                    str(k),
                    p.name,
                    b.pos("passport", ids.passport(rng)),
                    b.pos("nik", p.nik),
                    f"{p.birthplace}, {fake.birthday_text(p.born)}",
                    b.neg("nomor_porsi", fake.nomor_porsi(rng)),
                ]
            )
    elif kind == 1:
        header = ["NO", "NAMA", "NPWP", "NIK", "NO. REKENING", "BANK", "JUMLAH"]
        letterhead.append("DAFTAR PENERIMA HONORARIUM")
        for k in range(1, rng.randint(30, 140)):
            p = ids.person(rng, area, born_to=2000)
            bank = rng.choice(("BRI", "BNI", "MANDIRI", "BCA"))
            acct = ids.bank_account(rng, bank)
            rows.append(
                [
                    str(k),
                    p.name,
                    b.pos("npwp", ids.npwp15_formatted(ids.npwp15(rng))),
                    b.pos("nik", p.nik),
                    b.pos("account", ids.bank_account_printed(rng, bank, acct)),
                    bank,
                    f"{rng.randint(1, 40) * 100000:,}".replace(",", "."),
                ]
            )
    elif kind == 2:
        header = ["NO", "NAMA SISWA", "NISN", "NIK", "TEMPAT, TGL LAHIR", "NAMA IBU"]
        letterhead.append("DAFTAR PENERIMA PROGRAM INDONESIA PINTAR")
        for k in range(1, rng.randint(40, 130)):
            p = ids.person(rng, area, 2007, 2017)
            rows.append(
                [
                    str(k),
                    p.name,
                    b.pos("nisn", ids.nisn(rng, p.born.year)),
                    b.pos("nik", p.nik),
                    f"{p.birthplace}, {fake.birthday_text(p.born)}",
                    f"{rng.choice(ids.FIRST)} {rng.choice(ids.LAST)}".strip(),
                ]
            )
    else:
        header = ["NO", "NIK", "NO. KK", "NAMA", "ALAMAT", "NO. REKENING"]
        letterhead.append("DAFTAR KPM BPNT")
        for k, p in enumerate(_family_rows(b, rng.randint(40, 160), area), 1):
            acct = ids.bank_account(rng, "BNI")
            rows.append(
                [
                    str(k),
                    b.pos("nik", p.nik),
                    b.pos("kk", p.kk),
                    p.name,
                    f"{rng.choice(ids.STREETS)} {rng.randint(1, 99)}",
                    b.pos("account", acct),
                ]
            )
    return letterhead, header, rows


def pdf_lists(b: Builder, i: int) -> tuple[str, str]:
    """PDF tables as extracted text: cells run together with single spaces (or one per
    line), the column header far above most values (first page only)."""
    letterhead, header, rows = _printed_list(b)
    per_page = b.rng.choice((25, 35, 45))
    style = b.rng.random()
    if style < 0.25:  # layout-preserving extraction: columns padded with spaces
        widths = [max(len(h), *(len(r[i]) for r in rows)) + 2 for i, h in enumerate(header)]
        pad = ["".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
        head = "".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()
        return "text", pdf_text(
            b.rng,
            letterhead,
            [head],
            [[x] for x in pad],
            per_page=per_page,
            footer=["", _signature(b)],
        )
    if style < 0.5:  # extractors that put every text object on its own line
        return "text", pdf_text(
            b.rng,
            letterhead,
            header,
            [["\n".join(r)] for r in rows],
            per_page=per_page,
            footer=["", _signature(b)],
        )
    return "text", pdf_text(
        b.rng, letterhead, header, rows, per_page=per_page, footer=["", _signature(b)]
    )


def pdf_file(b: Builder, i: int) -> tuple[str, str]:
    """The same lists as real PDF files, read by the probe's PDF reader: one text
    object per cell at its column's position; header on page one only or on every
    page; some files emit the cells column by column."""
    letterhead, header, rows = _printed_list(b)
    rng = b.rng
    return "pdf", table_pdf(
        letterhead,
        header,
        rows,
        per_page=rng.choice((28, 32, 36)),
        header_every_page=rng.random() < 0.4,
        column_major=rng.random() < 0.25,
        footer=_signature(b).split("\n"),
    )
