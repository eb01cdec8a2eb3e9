"""Personal data as real government documents lay it out (issue 14), found through the
real engine: loopback servers, the content probe, the document child process."""

from __future__ import annotations

from egov_audit.demo.server import html
from egov_audit.model import RunReport, Severity
from egov_audit.pii.synthetic import Synthetic

from ...conftest import AuditFn, ServeFn, pair
from .conftest import doc


def findings(report: RunReport, check: str) -> dict[str, object]:
    return {f.location.rsplit("/", 1)[-1]: f for f in report.findings if f.check == check}


def nisn(gen: Synthetic) -> str:
    return "00" + gen.digits(8)


def ppdb_text(gen: Synthetic, students: int) -> str:
    """A PPDB announcement as schools publish it: a title, a header line, then one
    numbered line per student; the NISN header is far above most values."""
    lines = ["PENGUMUMAN HASIL SELEKSI PPDB SMP NEGERI 1 TAHUN 2024", "JALUR ZONASI", "",
             "No NISN Nama Peserta Didik Asal Sekolah Status"]
    lines += [f"{i} {nisn(gen)} {gen.name().upper()} SD NEGERI {i % 40 + 1} DITERIMA"
              for i in range(1, students + 1)]
    return "\n".join(lines) + "\n"


def fpdf_table(header: list[str], rows: list[list[str]], widths: list[int]) -> bytes:
    """A real table PDF: cells at fixed x positions, the header only on page one."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L")
    pdf.add_page()
    pdf.set_font("Helvetica", size=7)
    pdf.cell(0, 6, "DAFTAR PENERIMA BANTUAN SOSIAL TAHUN 2024", new_x="LMARGIN", new_y="NEXT")
    for name, w in zip(header, widths, strict=True):
        pdf.cell(w, 6, name, border=1)
    pdf.ln()
    for row in rows:
        for value, w in zip(row, widths, strict=True):
            pdf.cell(w, 5, value, border=1)
        pdf.ln()
    return bytes(pdf.output())


def test_a_ppdb_list_of_students_nisn_is_bulk_exposure_of_childrens_data(
        serve: ServeFn, audit: AuditFn) -> None:
    # Given a school site publishing a PPDB announcement of 90 students as text
    gen = Synthetic(14)
    site = serve({
        "/": html('<a href="/files/pengumuman_ppdb.txt">Pengumuman PPDB</a>'),
        "/files/pengumuman_ppdb.txt": doc(ppdb_text(gen, 90).encode(), "text/plain"),
    }, tls=True)
    # When the pii family runs
    report = audit([pair(None, site)], checks=["pii"])
    # Then the list is a critical bulk exposure naming children's data...
    bulk = findings(report, "pii.bulk_exposure")["pengumuman_ppdb.txt"]
    assert bulk.severity is Severity.CRITICAL
    assert bulk.details["counts"] == {"nisn": 90}
    assert "children" in bulk.details["specific_data"]
    # ...and the specific-data finding cites UU PDP Pasal 4(2) for the same list
    specific = findings(report, "pii.specific_data_exposed")["pengumuman_ppdb.txt"]
    assert specific.severity is Severity.CRITICAL
    assert specific.details["categories"] == ["children"]
    assert "Pasal 4(2)" in specific.evidence.text


def test_a_list_without_specific_data_is_not_reported_as_specific(
        serve: ServeFn, audit: AuditFn) -> None:
    # Given a plain aid-recipient CSV (no health, children or criminal cue)
    gen = Synthetic(15)
    rows = ["Nama;NIK;No KK"] + [f"{gen.name()};{gen.nik()};{gen.kk()}" for _ in range(20)]
    site = serve({"/": html('<a href="/data/warga.csv">data</a>'),
                  "/data/warga.csv": doc("\n".join(rows).encode(), "text/csv")}, tls=True)
    report = audit([pair(None, site)], checks=["pii"])
    # Then it is a bulk exposure, and not a specific-data one
    assert "warga.csv" in findings(report, "pii.bulk_exposure")
    assert findings(report, "pii.specific_data_exposed") == {}


def test_a_pdf_table_keeps_its_column_labels_on_every_page(
        serve: ServeFn, audit: AuditFn) -> None:
    # Given a four-page PDF recipient list whose header row is printed once, on page one,
    # with an account column and some empty NISN cells
    gen = Synthetic(16)
    header = ["No", "Nama", "NIK", "No. KK", "No. Rekening", "NISN Anak"]
    rows = [[str(i), gen.name().upper(), gen.nik(), gen.kk(), gen.digits(10),
             "" if i % 5 == 0 else nisn(gen)] for i in range(1, 141)]
    site = serve({"/": html('<a href="/uploads/penerima.pdf">pdf</a>'),
                  "/uploads/penerima.pdf": doc(fpdf_table(header, rows, [10, 50, 35, 35, 30,
                                                                         25]),
                                               "application/pdf")}, tls=True)
    # When the pii family runs (the PDF is read by the document child process)
    report = audit([pair(None, site)], checks=["pii"])
    finding = findings(report, "pii.bulk_exposure")["penerima.pdf"]
    counts = finding.details["counts"]
    # Then No. KK is told from NIK, and accounts and NISN are found under their labels
    # however far below the header they are
    assert counts["nik"] == len({r[2] for r in rows})
    assert counts["kk"] == len({r[3] for r in rows})
    assert counts["account"] == len({r[4] for r in rows})
    assert counts["nisn"] == len({r[5] for r in rows if r[5]})
    assert "children" in finding.details["specific_data"]
