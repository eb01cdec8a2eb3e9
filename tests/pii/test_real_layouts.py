"""Column labels found as real government documents write them (issue 14).

Each test builds one layout from the error classes of issue 14 and reads it through
the probe's own path (extract, then Scanner). No. KK is the telling type: without
its label it is read as a NIK (the structure is the same), so a layout that loses
labels shows up as "kk" counted as "nik".
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from egov_audit.pii.detect import Scanner
from egov_audit.pii.extract import extract
from egov_audit.pii.synthetic import Synthetic

GEN = Synthetic(1414)
ROWS = [(GEN.name(), GEN.nik(), GEN.kk(), "00" + GEN.digits(8), GEN.digits(10))
        for _ in range(12)]


def kinds(body: str | bytes, fmt: str) -> Counter[str]:
    data = body.encode() if isinstance(body, str) else body
    scanner = Scanner()
    found: dict[str, set[str]] = {}
    for unit in extract(data, fmt).units:
        for hit in scanner.scan(unit.text, unit.label):
            found.setdefault(hit.kind, set()).add(hit.value)
    return Counter({k: len(v) for k, v in found.items()})


EXPECTED = Counter({"nik": 12, "kk": 12})


def test_a_title_row_and_a_blank_row_above_the_header() -> None:
    csv = "DAFTAR PENERIMA BLT;;;\n;;;\nNo;Nama;NIK;NKK\n" + "".join(
        f"{i};{n};{nik};{kk}\n" for i, (n, nik, kk, _, _) in enumerate(ROWS, 1))
    assert kinds(csv, "csv") == EXPECTED


def test_a_group_row_then_the_column_row_then_a_column_numbering_row() -> None:
    csv = ("NO;IDENTITAS PENERIMA;;;KEPESERTAAN\n;NAMA;NIK KTP;NKK;NO. REK\n1;2;3;4;5\n"
           + "".join(f"{i};{n};{nik};{kk};{acc}\n"
                     for i, (n, nik, kk, _, acc) in enumerate(ROWS, 1)))
    assert kinds(csv, "csv") == EXPECTED + Counter({"account": 12})


def test_rows_without_numbers_under_the_header_are_data_not_more_header() -> None:
    # Given a table whose first data rows hold no number (an obfuscated address)
    csv = "Nama;Email;NIK\n" + "".join(f"{n};budi{i}(at)gmail.com;{nik}\n"
                                       for i, (n, nik, _, _, _) in enumerate(ROWS))
    # Then the header is the first row only, and every NIK and address is found
    assert kinds(csv, "csv") == Counter({"nik": 12, "email": 12})


def test_html_group_header_with_rowspan_and_colspan() -> None:
    body = ("<table><tr><th rowspan=2>No</th><th rowspan='2'>Nama</th>"
            "<th colspan=\"2\">Identitas</th></tr><tr><th>NIK</th><th>No KK</th></tr>"
            + "".join(f"<tr><td>{i}</td><td>{n}</td><td>{nik}</td><td>{kk}</td></tr>"
                      for i, (n, nik, kk, _, _) in enumerate(ROWS, 1)) + "</table>")
    assert kinds(body, "html") == EXPECTED


def test_identifiers_inside_attributes_and_file_names_of_table_cells() -> None:
    # Given cells whose visible text is a name, with the identifiers in links, file
    # names and a hidden input (each tag's own names are its values' context)
    body = "<table><tr><th>No</th><th>Nama</th></tr>" + "".join(
        f'<tr><td>{i}</td><td><a href="/penerima/detail?nik={nik}">{n}</a>'
        f'<img src="/up/ktp_{nik}.jpg"><input type="hidden" name="no_kk[]" value="{kk}">'
        f"<button onclick=\"hapus('{nik}')\">x</button></td></tr>"
        for i, (n, nik, kk, _, _) in enumerate(ROWS, 1)) + "</table>"
    assert kinds(body, "html") == EXPECTED


def test_sql_insert_without_a_column_list_takes_the_create_table_order() -> None:
    dump = ("CREATE TABLE `penerima` (\n  `id` int(11) NOT NULL,\n  `nama` varchar(100) "
            "COMMENT 'nama, lengkap',\n  `nik` char(16),\n  `no_kk` char(16),\n"
            "  `saldo` decimal(10,2),\n  PRIMARY KEY (`id`),\n  KEY `i` (`nik`,`no_kk`)\n);\n"
            "INSERT INTO `penerima` VALUES " + ",".join(
                f"({i},'{n}','{nik}','{kk}',1.50)"
                for i, (n, nik, kk, _, _) in enumerate(ROWS, 1)) + ";\n")
    assert kinds(dump, "sql") == EXPECTED
    # A dump served as .txt is read as a dump all the same
    assert kinds(dump, "text") == EXPECTED


def test_postgres_copy_blocks_have_their_column_names() -> None:
    dump = "COPY public.penduduk (id, nama, nik, no_kk) FROM stdin;\n" + "".join(
        f"{i}\t{n}\t{nik}\t{kk}\n" for i, (n, nik, kk, _, _) in enumerate(ROWS, 1)) + "\\.\n"
    assert kinds(dump, "text") == EXPECTED


def test_json_keys_nested_and_column_row_tables() -> None:
    nested = {"data": [{"nomorIndukKependudukan": nik, "nomorKartuKeluarga": kk,
                        "rekening": {"bank": "BRI", "nomor": acc}}
                       for _, nik, kk, _, acc in ROWS]}
    assert kinds(json.dumps(nested), "json") == EXPECTED + Counter({"account": 12})
    split = {"fields": ["no", "nik", "no_kk", "nama"],
             "rows": [[i, nik, kk, n] for i, (n, nik, kk, _, _) in enumerate(ROWS, 1)]}
    assert kinds(json.dumps(split), "json") == EXPECTED


@pytest.mark.parametrize("sep", ["\t", " | "])
def test_tab_and_pipe_separated_text_tables(sep: str) -> None:
    header = sep.join(["NO", "NO. REGISTRASI", "NISN", "NAMA", "NIK", "NO KK"])
    lines = [sep.join([str(i), f"{nik[:6]}2005{i:06d}", nisn, n, nik, kk])
             for i, (n, nik, kk, nisn, _) in enumerate(ROWS, 1)]
    if sep != "\t":  # Markdown: "| a | b |" and a rule under the header
        header, lines = f"| {header} |", [f"| {line} |" for line in lines]
        lines.insert(0, "|---|---|---|---|---|---|")
    text = "PENGUMUMAN PPDB\n\n" + header + "\n" + "\n".join(lines)
    # The registration numbers (region + date + serial, built like a NIK) are not NIK
    assert kinds(text, "text") == EXPECTED + Counter({"nisn": 12})


def test_single_spaced_numbered_rows_and_one_cell_per_line() -> None:
    header = "NO NAMA NO. PASPOR NIK NO. KK NISN"
    spaced = [f"{i} {n.upper()} C{6140100 + i} {nik} {kk} {nisn}"
              for i, (n, nik, kk, nisn, _) in enumerate(ROWS, 1)]
    assert kinds(header + "\n" + "\n".join(spaced), "text") == EXPECTED + Counter(
        {"nisn": 12, "passport": 12})
    per_line = [f"{i}\n{n.upper()}\nC{6140100 + i}\n{nik}\n{kk}\n{nisn}"
                for i, (n, nik, kk, nisn, _) in enumerate(ROWS, 1)]
    assert kinds(header + "\n(1) (2) (3) (4) (5) (6)\n" + "\n".join(per_line),
                 "text") == EXPECTED + Counter({"nisn": 12, "passport": 12})


def test_layout_text_maps_by_position_so_empty_cells_do_not_shift_values() -> None:
    header = "No   Nama              NIK                 No. KK              NISN"
    lines = []
    for i, (n, nik, kk, nisn, _) in enumerate(ROWS, 1):
        lines.append(f"{i:<4} {n:<17} {nik:<19} {kk:<19} {'' if i % 3 == 0 else nisn}")
    found = kinds(header + "\n" + "\n".join(lines), "text")
    assert found == EXPECTED + Counter({"nisn": 8})


def test_a_sentence_naming_an_account_does_not_label_the_next_lines() -> None:
    # Given prose mentioning "rekening" above a line with a phone number
    text = ("Pembayaran retribusi melalui rekening Bank Jateng atas nama kas daerah.\n"
            "Hubungi petugas kami di 0812 3456 7890 pada jam kerja.\n")
    # Then the phone stays a phone (the line is not a numbered table row)
    assert kinds(text, "text") == Counter({"phone": 1})


def test_the_pdf_reader_uses_pypdf_layout_mode() -> None:
    # A real table PDF read by the document child process: columns stay apart
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=8)
    for name, w in (("No", 10), ("Nama", 40), ("NIK", 35), ("No. KK", 35)):
        pdf.cell(w, 6, name, border=1)
    pdf.ln()
    for i, (n, nik, kk, _, _) in enumerate(ROWS, 1):
        for value, w in ((str(i), 10), (n, 40), (nik, 35), (kk, 35)):
            pdf.cell(w, 5, value, border=1)
        pdf.ln()
    out = extract(bytes(pdf.output()), "pdf")
    assert out.error is None
    assert {u.label for u in out.units} >= {"NIK", "No. KK"}
    assert kinds(bytes(pdf.output()), "pdf") == EXPECTED


def test_a_detail_table_names_each_field_in_its_first_cell() -> None:
    # Given detail pages: "No. KK | : | 3218…", one record per table
    body = "".join(
        f"<table><tr><th>Nama</th><td>:</td><td>{n}</td></tr>"
        f"<tr><th>N I K</th><td>:</td><td>{nik}</td></tr>"
        f"<tr><th>Nomor KK</th><td>:</td><td>{kk}</td></tr></table>"
        for n, nik, kk, _, _ in ROWS)
    assert kinds(body, "html") == EXPECTED


def test_a_sideways_table_has_one_record_per_column() -> None:
    body = ("<table><tr><th>Nama</th>" + "".join(f"<td>{r[0]}</td>" for r in ROWS) + "</tr>"
            "<tr><th>NIK</th>" + "".join(f"<td>{r[1]}</td>" for r in ROWS) + "</tr>"
            "<tr><th>No. KK</th>" + "".join(f"<td>{r[2]}</td>" for r in ROWS) + "</tr></table>")
    assert kinds(body, "html") == EXPECTED


def test_a_grid_whose_header_is_a_table_of_its_own() -> None:
    body = ("<div class='head'><table><tr><th>No</th><th>NIK</th><th>NKK</th><th>NISN</th>"
            "</tr></table></div><div class='body'><table>" + "".join(
                f"<tr><td>{i}</td><td>{nik}</td><td>{kk}</td><td>{nisn}</td></tr>"
                for i, (_, nik, kk, nisn, _) in enumerate(ROWS, 1)) + "</table></div>")
    assert kinds(body, "html") == EXPECTED + Counter({"nisn": 12})


def test_a_json_label_given_by_a_sibling_field() -> None:
    data = {"result": [{"nama": n, "identitas": [{"jenis": "NIK", "nomor": nik},
                                                 {"jenis": "KK", "nomor": kk},
                                                 {"jenis": "PASPOR", "nomor": f"B{i:07d}"}],
                        "registrasi": {"jenis": "NO_PENDAFTARAN", "nomor": f"{nik[:6]}2005{i:06d}"}}
                       for i, (n, nik, kk, _, _) in enumerate(ROWS, 1)]}
    assert kinds(json.dumps(data), "json") == EXPECTED + Counter({"passport": 12})


def test_one_label_naming_two_values_in_order() -> None:
    text = "\n".join(f"{i}. {n} - NIK/KK: {nik}/{kk}"
                     for i, (n, nik, kk, _, _) in enumerate(ROWS, 1))
    assert kinds(text, "text") == EXPECTED


def test_letters_and_two_column_forms_keep_each_label_to_its_value() -> None:
    # Given letters with "label : value" lines (no header line) and a two-column form
    # whose right-hand label is far from the start of the line
    letters = "\n\n".join(
        f"Yang bertanda tangan di bawah ini menerangkan bahwa:\n"
        f"    Nama Lengkap         : {n}\n    NIK                  : {nik}\n"
        f"    No. Kartu Keluarga   : {kk}\n    No. HP               : 0822 - 0149 - 1475\n"
        f"    Tgl Lahir   : 01-01-1990" + " " * 70 + f"No. Registrasi   :  {nik[:6]}2005{i:06d}"
        for i, (n, nik, kk, _, _) in enumerate(ROWS, 1))
    assert kinds(letters, "text") == EXPECTED + Counter({"phone": 1})


def test_one_cell_holding_the_values_its_label_names_in_order() -> None:
    # Given a staff table whose cell lists NIK then KK under "NIK / NO. KK"
    body = "<table><tr><th>No</th><th>Nama / NIP</th><th>NIK / NO. KK</th></tr>" + "".join(
        f"<tr><td>{i}</td><td>{n}<br>NIP. 198307082009031001</td><td>{nik}<br>{kk}</td></tr>"
        for i, (n, nik, kk, _, _) in enumerate(ROWS, 1)) + "</table>"
    assert kinds(body, "html") == EXPECTED + Counter({"nip": 1})
    # while one number under "NPWP/NIK" stays one NPWP
    csv = "Nama;NPWP/NIK\n" + "".join(f"{n};{nik}\n" for n, nik, _, _, _ in ROWS)
    assert kinds(csv, "csv") == Counter({"npwp": 12})


def test_a_label_naming_one_kind_twice_keeps_its_numbers_whole() -> None:
    # "NO. TELP/HP" names phones twice: "+62 812-3456-7890" is one number, not two
    csv = "Nama;NO. TELP/HP\n" + "".join(f"{n};+62 812-3456-{7000 + i}\n"
                                         for i, (n, _, _, _, _) in enumerate(ROWS))
    assert kinds(csv, "csv") == Counter({"phone": 12})


def test_a_type_column_labels_the_number_beside_it_row_by_row() -> None:
    # Given a visitors' book: "JENIS IDENTITAS" says what "NOMOR IDENTITAS" holds
    csv = "BUKU TAMU;;;\nNO;NAMA;JENIS IDENTITAS;NOMOR IDENTITAS\n" + "".join(
        f"{i};{n};{'KK' if i % 2 else 'KTP'};{kk if i % 2 else nik}\n"
        for i, (n, nik, kk, _, _) in enumerate(ROWS, 1)) + "13;TAMU;PASPOR;C3410787\n"
    assert kinds(csv, "csv") == Counter({"kk": 6, "nik": 6, "passport": 1})
