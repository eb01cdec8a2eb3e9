"""Evidence never leaks: a site full of identifiers, scanned by the CLI, every format rendered.

The pii checks quote samples of what they found; the engine's redactor must
mask them (and anything else) in every output. The test iterates whatever
renderers are installed when it runs, in both report languages, and searches
each file for every raw identifier: as text, as digits only, and for the PDF
through its extracted text and its raw bytes.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

from click.testing import CliRunner
from egov_audit.reports import available

from egov_audit.cli import main
from egov_audit.demo.server import html
from egov_audit.pii.synthetic import Synthetic

from ...conftest import ServeFn
from .conftest import XLSX, csv_bytes, doc, docx_bytes, json_doc, pdf_bytes, xlsx_bytes


def _fixture_values() -> dict[str, str]:
    gen = Synthetic(77)
    return {
        "nik": gen.nik(), "nik2": gen.nik(), "kk": gen.kk(), "phone": gen.phone(),
        "phone2": gen.phone(), "npwp": gen.npwp15(), "nip": gen.nip(), "card": gen.card(),
        "email": "siti.warga77@mail.example", "passport": "C7654321", "nisn": "0098765432",
        "bpjs": "0001987654321", "account": "7012345678",
    }


def _page(v: dict[str, str]) -> str:
    return (f"<p>NIK {v['nik']}, No. KK {v['kk']}, HP {v['phone']}, NPWP {v['npwp']}, "
            f"NIP {v['nip']}, kartu kredit {v['card']}, surel {v['email']}, "
            f"paspor {v['passport']}, NISN {v['nisn']}, BPJS {v['bpjs']}, "
            f"no. rek {v['account']}, partial {v['nik2'][:12]}****</p>"
            f'<a href="/cek?nik={v["nik2"]}">cek</a> <a href="/d.xlsx">x</a>'
            '<a href="/d.csv">c</a><a href="/d.pdf">p</a><a href="/d.docx">d</a>'
            '<a href="/api/warga">a</a>'
            '<form method="get" action="/cari"><input name="nik"><input name="hp"></form>')


def _raw_forms(value: str) -> set[str]:
    digits = re.sub(r"\D", "", value)
    forms = {value}
    if len(digits) >= 8:
        forms.add(digits)
    return forms


def _texts(path: Path) -> list[str]:
    data = path.read_bytes()
    texts = [data.decode("utf-8", errors="replace")]
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader

        extracted = "\n".join(p.extract_text() or "" for p in PdfReader(BytesIO(data)).pages)
        texts += [extracted, "".join(extracted.split())]
    return texts


def test_no_output_format_contains_a_found_identifier(serve: ServeFn, ca_file: Path,
                                                      tmp_path: Path) -> None:
    # Given a site exposing every kind of identifier in a page, documents and an API
    v = _fixture_values()
    rows = [["nama", "nik", "no_kk", "no_hp"],
            *(["Warga", v["nik"], v["kk"], v["phone2"]] for _ in range(3))]
    site = serve({
        "/": html(_page(v)),
        "/cek": html("ok"),
        "/d.xlsx": doc(xlsx_bytes(rows, author="Siti Warga"), XLSX),
        "/d.csv": doc(csv_bytes(rows), "text/csv"),
        "/d.pdf": doc(pdf_bytes([" ".join(r) for r in rows]), "application/pdf"),
        "/d.docx": doc(docx_bytes(rows), "application/vnd.openxmlformats-officedocument."
                                         "wordprocessingml.document"),
        "/api/warga": json_doc({"data": [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]}),
    }, tls=True)
    formats = sorted(set(available()) - {"json"})
    out_dirs: list[Path] = []
    # When the CLI scans it and writes every installed format, in both languages
    for lang in ("en", "id"):
        out = tmp_path / lang
        args = ["scan", site.url("/"), "--checks", "pii", "--ca-bundle", str(ca_file),
                "--rate", "200", "--fail-on", "none", "-q", "-o", str(out), "--lang", lang]
        for fmt in formats:
            args += ["-f", fmt]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        out_dirs.append(out)
    files = [p for d in out_dirs for p in d.rglob("*") if p.is_file()]
    # Then every format was written, the scan found what was planted...
    assert len(files) >= 2 * len(available())
    result_json = (out_dirs[0] / "result.json").read_text(encoding="utf-8")
    for check in ("pii.identifiers_exposed", "pii.partially_masked", "pii.identifier_in_url",
                  "pii.document_metadata"):
        assert check in result_json, check
    # ...and no file contains any raw identifier, in any form
    raw = set().union(*(_raw_forms(x) for x in v.values())) | {"Siti Warga"}
    for path in files:
        for text in _texts(path):
            leaked = sorted(r for r in raw if r in text)
            assert leaked == [], f"{path.relative_to(tmp_path)} leaks {leaked}"
