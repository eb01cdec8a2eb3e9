"""Personal data in pages, APIs and documents, found through the real engine."""

from __future__ import annotations

from egov_audit.demo.server import Response, html
from egov_audit.model import RunReport, Severity

from ...conftest import AuditFn, ServeFn, pair
from .conftest import (
    DOCX,
    XLSX,
    csv_bytes,
    doc,
    docx_bytes,
    json_doc,
    pdf_bytes,
    people,
    table,
    xlsx_bytes,
)


def by_location(report: RunReport, check: str) -> dict[str, object]:
    return {f.location.rsplit("/", 1)[-1]: f for f in report.findings if f.check == check}


def test_bulk_lists_in_every_format_are_critical_with_counts(serve: ServeFn,
                                                             audit: AuditFn) -> None:
    # Given a service page linking an aid-recipient list in five formats and a JSON API
    records = people(25)
    rows = table(records)
    site = serve({
        "/": html('<a href="/uploads/penerima.xlsx">xlsx</a> <a href="/uploads/penerima.csv">'
                  'csv</a> <a href="/uploads/penerima.pdf">pdf</a> <a href="/uploads/sk.docx">'
                  'docx</a> <a href="/api/warga">api</a>'),
        "/uploads/penerima.xlsx": doc(xlsx_bytes(rows), XLSX),
        "/uploads/penerima.csv": doc(csv_bytes(rows), "text/csv"),
        "/uploads/penerima.pdf": doc(pdf_bytes([" | ".join(r) for r in rows]),
                                     "application/pdf"),
        "/uploads/sk.docx": doc(docx_bytes(rows), DOCX),
        "/api/warga": json_doc({"status": "ok", "data": records}),
    }, tls=True)
    # When the pii family runs
    report = audit([pair(None, site)], checks=["pii"])
    bulk = by_location(report, "pii.bulk_exposure")
    # Then each location is one critical finding with per-type counts and fields
    assert set(bulk) == {"penerima.xlsx", "penerima.csv", "penerima.pdf", "sk.docx", "warga"}
    for name, finding in bulk.items():
        assert finding.severity is Severity.CRITICAL
        counts = finding.details["counts"]
        assert counts["phone"] == 25, (name, counts)
        assert counts.get("nik", 0) + counts.get("kk", 0) == 50, (name, counts)
        assert finding.details["total"] == sum(counts.values())
        assert "Pasal 46" in finding.remediation
        assert len(finding.details["sample"]) == 3
    # the column / key names are reported, and KK is told apart by its column
    assert bulk["penerima.xlsx"].details["counts"] == {"nik": 25, "kk": 25, "phone": 25}
    assert bulk["penerima.xlsx"].details["fields"] == ["NIK", "No KK", "No HP"]
    assert bulk["warga"].details["fields"] == ["nik", "no_kk", "no_hp"]
    assert "25 NIK" in bulk["penerima.csv"].evidence.text
    # no raw identifier in any finding
    blob = repr(report.findings)
    assert not [r for r in records if r["nik"] in blob or r["no_kk"] in blob
                or r["no_hp"] in blob]


def test_a_few_identifiers_are_high_and_specific_data_raises(serve: ServeFn,
                                                            audit: AuditFn) -> None:
    records = people(3, seed=5)
    site = serve({
        "/": html('<a href="/pengumuman">p</a><a href="/pasien.csv">x</a>'),
        "/pengumuman": html("<p>Pemenang undian: " + ", ".join(
            f"{r['nama']} (NIK {r['nik']})" for r in records) + "</p>"),
        "/pasien.csv": doc(csv_bytes([["nama", "nik", "diagnosa"],
                                      *([r["nama"], r["nik"], "A09"] for r in records)]),
                           "text/csv"),
    }, tls=True)
    report = audit([pair(None, site)], checks=["pii"])
    found = by_location(report, "pii.identifiers_exposed")
    assert found["pengumuman"].severity is Severity.HIGH
    assert found["pengumuman"].details["counts"] == {"nik": 3}
    # health data (UU PDP Pasal 4(2)) raises the level
    assert found["pasien.csv"].severity is Severity.CRITICAL
    assert found["pasien.csv"].details["specific_data"] == ["health"]
    assert not by_location(report, "pii.bulk_exposure")


def test_one_officer_contact_is_expected(serve: ServeFn, audit: AuditFn) -> None:
    site = serve({"/": html("<h2>Kontak</h2><p>Kepala Seksi: Budi, HP 0812-3456-7890, "
                            "budi.kasi@gmail.com, kantor (061) 4512345, humas@kota.go.id</p>")},
                 tls=True)
    report = audit([pair(None, site)], checks=["pii"])
    assert report.findings == ()


def test_masked_only_site_has_no_findings_at_low_or_above(serve: ServeFn,
                                                          audit: AuditFn) -> None:
    masked = ["1271**********01", "127101******0001", "3271•••••••••••2", "1271xxxxxxxx0001"]
    site = serve({
        "/": html("<table><tr><th>Nama</th><th>NIK</th><th>HP</th></tr>" + "".join(
            f"<tr><td>B*** S*****</td><td>{m}</td><td>0812****5678</td></tr>" for m in masked)
            + '</table><a href="/data.csv">csv</a><a href="/api/list">api</a>'),
        "/data.csv": doc(csv_bytes([["nama", "nik"], *(["A***", m] for m in masked)]),
                         "text/csv"),
        "/api/list": json_doc([{"nik": m, "hp": "+62 812-xxxx-5678"} for m in masked]),
    }, tls=True)
    report = audit([pair(None, site)], checks=["pii"])
    assert [f for f in report.findings if f.severity.rank >= Severity.LOW.rank] == []


def test_partially_masked_and_metadata_are_low(serve: ServeFn, audit: AuditFn) -> None:
    records = people(2, seed=3)
    partial = [r["nik"][:12] + "****" for r in records]
    site = serve({
        "/": html('<p>NIK: ' + ", ".join(partial) + '</p><a href="/laporan.docx">d</a>'),
        "/laporan.docx": doc(docx_bytes([["Judul"], ["Laporan kegiatan"]],
                                        author="Rina Marpaung"), DOCX),
    }, tls=True)
    report = audit([pair(None, site)], checks=["pii"])
    (masked,) = [f for f in report.findings if f.check == "pii.partially_masked"]
    assert masked.severity is Severity.LOW and masked.details["total"] == 2
    assert partial[0] not in repr(masked)
    (meta,) = [f for f in report.findings if f.check == "pii.document_metadata"]
    assert "R*** M*******" in meta.evidence.text and "Marpaung" not in repr(meta)


def test_personal_data_responses_must_not_be_cacheable(serve: ServeFn, audit: AuditFn) -> None:
    records = people(2, seed=9)
    site = serve({
        "/": html('<a href="/api/a">a</a><a href="/api/b">b</a>'),
        "/api/a": json_doc(records, headers=[("Cache-Control", "public, max-age=600")]),
        "/api/b": json_doc(records, headers=[("Cache-Control", "no-store")]),
    }, tls=True)
    report = audit([pair(None, site)], checks=["pii.cacheable_response"])
    (finding,) = report.findings
    assert finding.location.endswith("/api/a")
    assert finding.details["cache_control"] == "public, max-age=600"


def test_unreadable_document_is_not_fatal(serve: ServeFn, audit: AuditFn) -> None:
    site = serve({"/": html('<a href="/rusak.xlsx">x</a>'),
                  "/rusak.xlsx": Response(200, [("Content-Type", XLSX)], b"PK\x03\x04broken")},
                 tls=True)
    report = audit([pair(None, site)], checks=["pii"])
    assert report.findings == ()
    assert {r.status.value for r in report.results} <= {"pass", "skipped"}


def test_document_cut_by_the_body_cap_is_fetched_whole(serve: ServeFn, audit: AuditFn) -> None:
    # Given a spreadsheet larger than the run's general body cap
    body = xlsx_bytes(table(people(600, seed=21)))
    assert len(body) > 20_000
    site = serve({"/": html('<a href="/besar.xlsx">x</a>'), "/besar.xlsx": doc(body, XLSX)},
                 tls=True)
    # When the run caps bodies at 20 kB (a cut XLSX cannot be opened at all)
    report = audit([pair(None, site)], checks=["pii.bulk_exposure"], max_body_bytes=20_000)
    # Then the document is fetched again under the document cap and read whole
    (finding,) = report.findings
    assert finding.details["counts"] == {"nik": 600, "kk": 600, "phone": 600}
    assert finding.details["truncated"] is False
    assert sum(1 for r in site.requests if r.path == "/besar.xlsx") == 2


def test_api_called_only_from_javascript_is_read(serve: ServeFn, audit: AuditFn) -> None:
    # Given a page whose script calls a resident API that no link points to
    records = people(12, seed=31)
    site = serve({
        "/": html('<script src="/app.js"></script><script>fetch(`/api/${x}`)</script>'),
        "/app.js": Response(200, [("Content-Type", "application/javascript")],
                            b"axios.get('/api/v1/warga?kelurahan=1').then(render);"),
        "/api/v1/warga": json_doc(records),
    }, tls=True)
    report = audit([pair(None, site)], checks=["pii.bulk_exposure"])
    # Then the API answer is read (templates like `/api/${x}` are never requested)
    (finding,) = report.findings
    assert "/api/v1/warga" in finding.location
    assert finding.details["counts"]["nik"] == 12
    assert not [r for r in site.requests if "$" in r.path or "%7B" in r.path]
    assert {r.method for r in site.requests} == {"GET"}
