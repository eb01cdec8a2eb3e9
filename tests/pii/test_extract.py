"""Text extraction: every format becomes labelled units, malformed input is an error value."""

from __future__ import annotations

import pytest

from egov_audit.pii.extract import extract, sniff_format

from ..checks.pii.conftest import docx_bytes, pdf_bytes, xlsx_bytes

NIK = "1271014508900001"


def units(body: bytes, fmt: str) -> dict[str, str]:
    out = extract(body, fmt)
    assert out.error is None, out.error
    return {u.label: u.text for u in out.units}


@pytest.mark.parametrize("path,ctype,body,fmt", [
    ("/a.pdf", "", b"%PDF-1.7", "pdf"),
    ("/download?id=1", "application/octet-stream", b"%PDF-1.4", "pdf"),
    ("/a.xlsx", "", b"PK\x03\x04", "xlsx"),
    ("/a", XLSX := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     b"PK\x03\x04", "xlsx"),
    ("/a.zip", "application/zip", b"PK\x03\x04", "binary"),
    ("/api/warga", "application/json", b"{}", "json"),
    ("/api/warga", "text/plain", b' [{"a":1}]', "json"),
    ("/dump.sql", "application/octet-stream", b"INSERT", "sql"),
    ("/d.csv", "text/plain", b"a,b", "csv"),
    ("/", "text/html", b"<p>", "html"),
])
def test_sniff_format(path: str, ctype: str, body: bytes, fmt: str) -> None:
    assert sniff_format(path, ctype, body) == fmt


def test_csv_semicolon_and_header_detection() -> None:
    assert units(f"nama;nik\nBudi;{NIK}\n".encode(), "csv") == {"nama": "Budi", "nik": NIK}
    # no header row: the first row is data, and no identifier becomes a label
    headerless = extract(f"Budi,{NIK}\n".encode(), "csv")
    assert all(NIK not in u.label for u in headerless.units)


def test_xlsx_numbers_become_digits_and_metadata_is_read() -> None:
    body = xlsx_bytes([["NIK", "HP"], [int(NIK), "081234567890"]], author="Operator Satu")
    out = extract(body, "xlsx")
    assert {u.label: u.text for u in out.units} == {"NIK": NIK, "HP": "081234567890"}
    assert out.metadata == {"author": "Operator Satu", "last_modified_by": "Operator Satu"}


def test_docx_and_pdf() -> None:
    d = units(docx_bytes([["NIK", "Nama"], [NIK, "Budi"]], paragraph="Lampiran SK"), "docx")
    assert d["NIK"] == NIK and "Lampiran SK" in d[""]
    p = units(pdf_bytes([f"NIK {NIK} Budi"]), "pdf")
    assert NIK in p[""]


def test_json_keys_and_sql_columns() -> None:
    j = units(b'{"data":[{"nik":"1","alamat":{"kota":"Medan"}},{"nik":2}],"ok":true}', "json")
    # a key that names no kind of number is given with its parent's (issue 14)
    assert j == {"nik": "1\n2", "alamat.kota": "Medan"}
    sql = (b"CREATE TABLE warga (nik varchar(16), nkk varchar(16));\n"
           b"INSERT INTO `warga` (`nik`, `nkk`) VALUES ('1','2'),('3','4');\n")
    s = units(sql, "sql")
    assert s["nik"] == "1\n3" and s["nkk"] == "2\n4"


def test_html_tables_become_columns() -> None:
    page = (b"<p>intro</p><table><tr><th>Nama</th><th>NIK</th></tr>"
            b"<tr><td><b>Budi</b></td><td>1</td></tr><tr><td>Ani</td><td>2</td></tr></table>")
    h = units(page, "html")
    assert h["NIK"] == "1\n2" and h["Nama"] == "Budi\nAni" and "intro" in h[""]


def test_malformed_documents_are_errors_not_crashes() -> None:
    for fmt in ("xlsx", "docx", "pdf"):
        out = extract(b"PK\x03\x04 not really", fmt)
        assert out.error is not None and out.units == []


def test_a_csv_field_past_the_csv_limit_is_read_as_text() -> None:
    # Given a CSV whose one field is longer than the csv module accepts (128 KB)
    body = f"nama,nik\nBudi,{NIK}\n".encode() + b'x,"' + b"y" * 200_000 + b'"\n'
    out = extract(body, "csv")
    # Then it is not an error: the identifiers are still there, as text
    assert out.error is None and any(NIK in u.text for u in out.units)


def test_sql_statements_without_terminator_stay_text() -> None:
    sql = (b"INSERT INTO w (nik) VALUES ('1');\n"
           b"INSERT INTO w (nik) VALUES ('" + NIK.encode() + b"')\n")
    s = extract(sql, "sql")
    assert {u.label: u.text for u in s.units}["nik"] == "1"
    assert NIK in s.units[-1].text


def test_decoding_is_capped_and_marks_the_body_truncated() -> None:
    from egov_audit.pii.extract import MAX_CHARS

    out = extract(b"a" * (MAX_CHARS + 10), "text")
    assert out.truncated and len(out.units[0].text) == MAX_CHARS
    assert extract(b"<p>\xff\xfe caf\xe9</p>", "html", "no-such-charset").error is None
