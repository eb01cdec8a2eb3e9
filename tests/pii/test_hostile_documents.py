"""Hostile documents end with a reason, in bounded time and memory.

The documents come from tests/pii/hostile_documents.py, built from the
formats' specifications. The last tests go the real way: a loopback server
serves them, the crawl and the content probe fetch and read them, and the
target ends within its deadline.
"""

from __future__ import annotations

import struct
import time
import zipfile
from io import BytesIO

import pytest

from egov_audit import deadline
from egov_audit.demo.server import html
from egov_audit.model import Target
from egov_audit.options import ScanOptions
from egov_audit.pii.documents import read_document
from egov_audit.pii.extract import MAX_JSON_DEPTH, extract
from egov_audit.pii.zipguard import MAX_MEMBERS, Refused, inspect
from egov_audit.probes.base import ProbeEnv, ProbeSession
from egov_audit.probes.content import ContentProbe, PersonalData
from egov_audit.probes.crawl import CrawlProbe
from egov_audit.probes.http import HttpClient
from egov_audit.scope import Scope

from ..checks.pii.conftest import DOCX, XLSX, doc
from ..conftest import AuditFn, ServeFn, pair
from . import hostile_documents as build

NIK = "3201014501900001"
# One page whose content stream shows 400,000 lines: ~50 KB on the wire, minutes of
# text extraction. Only a limit ends it.
HEAVY_PDF = build.pdf_pages([build.text_ops([f"NIK {NIK} Budi"] * 400_000)])


def timed(fn: object, *args: object, **kwargs: object) -> tuple[object, float]:
    start = time.monotonic()
    result = fn(*args, **kwargs)  # type: ignore[operator]
    return result, time.monotonic() - start


def test_well_formed_documents_from_the_specifications_are_read() -> None:
    x = extract(build.xlsx(build.sheet([["NIK", "Nama"], [NIK, "Budi"]])), "xlsx")
    assert x.error is None and {u.label: u.text for u in x.units} == {"NIK": NIK, "Nama": "Budi"}
    d = extract(build.docx(build.paragraphs(["Lampiran", f"NIK {NIK}"])), "docx")
    assert d.error is None and NIK in d.units[0].text
    p = extract(build.pdf_pages([build.text_ops([f"NIK {NIK}"])]), "pdf")
    assert p.error is None and NIK in p.units[0].text


def test_xlsx_zip_bomb_is_refused_from_its_directory() -> None:
    # Given 96 MB of rows deflated into a few hundred KB
    bomb = build.xlsx_bomb()
    assert len(bomb) < 1_000_000
    # When it is read
    out, seconds = timed(extract, bomb, "xlsx")
    # Then it is refused before anything inflates it, and says why
    assert out.error is not None and "compression ratio" in out.error, out.error
    assert "sheet1.xml" in out.error and seconds < 10


def _patch_sizes(body: bytes, member: str, size: int) -> bytes:
    """Declare ``size`` as the member's uncompressed size in its local header
    (offset 22) and its central directory entry (offset 24), APPNOTE 4.3.7/4.3.12."""
    data = bytearray(body)
    name = member.encode()
    local = data.find(b"PK\x03\x04")
    while local >= 0:
        if data[local + 30:local + 30 + len(name)] == name:
            struct.pack_into("<I", data, local + 22, size)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        if data[central + 46:central + 46 + len(name)] == name:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_a_member_that_lies_about_its_size_is_held_to_the_lie() -> None:
    # Given a sheet of 8 MB that declares 64 KB (so no ratio check applies)
    rows = [[NIK]] * 200_000
    body = _patch_sizes(build.xlsx(build.sheet(rows), level=9),
                        "xl/worksheets/sheet1.xml", 64 * 1024)
    # When it is read, Then zipfile stops at the declared size: an error, quickly
    out, seconds = timed(extract, body, "xlsx")
    assert out.error is not None and seconds < 15, out.error


def test_directory_caps_and_methods() -> None:
    many = BytesIO()
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(MAX_MEMBERS + 1):
            zf.writestr(f"p{i}.xml", "")
    with pytest.raises(Refused, match="members"):
        inspect(many.getvalue())
    bz = BytesIO()
    with zipfile.ZipFile(bz, "w", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(Refused, match="compression method 12"):
        inspect(bz.getvalue())
    with pytest.raises(Refused, match="not a ZIP"):
        inspect(b"PK\x03\x04" + bytes(100))


def test_docx_billion_laughs_is_refused_before_parsing() -> None:
    out, seconds = timed(extract, build.docx(build.billion_laughs()), "docx")
    assert out.error == ("docx refused: XML part word/document.xml declares a DTD "
                         "(entity expansion is refused)")
    assert seconds < 10


def test_a_dtd_anywhere_in_the_prolog_of_any_part_is_refused() -> None:
    sheet = ('<?xml version="1.0"?><!-- x --><!DOCTYPE worksheet [<!ENTITY a "b">]>'
             + build.sheet([["a"]]).split("?>", 1)[1])
    out = extract(build.xlsx(sheet), "xlsx")
    assert out.error is not None and "declares a DTD" in out.error


def test_malformed_documents_are_errors() -> None:
    whole = build.xlsx(build.sheet([["NIK"], [NIK]]))
    for body, fmt in [(whole[: len(whole) // 2], "xlsx"), (b"PK\x03\x04" + bytes(64), "docx"),
                      (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>", "pdf"),
                      (build.docx("<w:document>not closed"), "docx")]:
        out = extract(body, fmt)
        assert out.error is not None and not out.units, (fmt, out)


def test_pages_sharing_one_content_stream_are_read_once() -> None:
    # Given 500 pages that all draw one stream of 2,000 lines (each page alone
    # takes about half a second to extract: minutes for all of them)
    shared = build.pdf_pages([build.text_ops([f"NIK {NIK} Budi"] * 2000)], shared=True,
                             pages=500)
    assert len(shared) < 100_000
    # When it is read
    out, seconds = timed(read_document, shared, "pdf", time_limit=20)
    # Then the text is there once, well within the time limit
    assert out.error is None and NIK in out.units[0].text
    assert out.units[0].text.count(NIK) == 2000 and seconds < 20


def test_a_parser_past_its_time_limit_is_killed() -> None:
    out, seconds = timed(read_document, HEAVY_PDF, "pdf", time_limit=2)
    # the wall clock or the CPU limit, whichever the machine's load makes first
    assert out.error in ("document parser exceeded its time limit of 2.0 s",
                         "document parser exceeded its CPU time limit of 2.0 s")
    assert seconds < 2 + 1 + 5


def test_the_deadline_in_force_shortens_the_time_limit() -> None:
    with deadline.bounded(seconds=2.5):
        out, seconds = timed(extract, HEAVY_PDF, "pdf")
    assert out.error is not None and "time limit of 2." in out.error
    assert seconds < 2.5 + 1 + 5
    with deadline.bounded(seconds=0.1):
        out = extract(HEAVY_PDF, "pdf")
    assert out.error == "the deadline passed before the document could be read"


def test_a_parser_past_its_memory_limit_is_stopped() -> None:
    # pypdf inflates the ~16 MB content stream and parses it into operators
    out = read_document(HEAVY_PDF, "pdf", memory_limit=32 * 1024 * 1024)
    assert out.error == "document parser exceeded its memory limit of 32 MB"


def test_deep_json_is_read_as_text_at_once() -> None:
    for depth in (MAX_JSON_DEPTH + 1, 1_000_000):
        body = build.nested_json(depth)
        out, seconds = timed(extract, body, "json")
        assert out.error is None and [u.label for u in out.units] == [""]
        assert seconds < 5
    fine = extract(b'{"a": ' + build.nested_json(50) + b', "nik": "' + NIK.encode() + b'"}',
                   "json")
    assert {u.label for u in fine.units} == {"a", "nik"}


def test_large_single_line_and_binary_html_are_bounded() -> None:
    line = (b"<div>" + b"x" * 1000 + b"<table><td>") * 20_000  # ~20 MB, one line
    out, seconds = timed(extract, line, "html")
    assert out.truncated and seconds < 30
    assert sum(len(u.text) for u in out.units) <= 8 * 1024 * 1024
    mixed = "<p>Budi é</p>".encode("latin-1") + bytes(range(256)) + "<p>ü</p>".encode()
    out = extract(mixed, "html", "utf-8")
    assert out.error is None and "Budi" in out.units[-1].text


# --- through the real path: loopback server, crawl, content probe ---


def _hostile_site(serve: ServeFn) -> object:
    return serve({
        "/": html('<a href="/bom.xlsx">a</a><a href="/tawa.docx">b</a>'
                  '<a href="/berat.pdf">c</a>'),
        "/bom.xlsx": doc(build.xlsx_bomb(), XLSX),
        "/tawa.docx": doc(build.docx(build.billion_laughs()), DOCX),
        "/berat.pdf": doc(HEAVY_PDF, "application/pdf"),
    })


def test_the_content_probe_reads_hostile_documents_with_reasons(serve: ServeFn) -> None:
    # Given a site linking a zip bomb, a billion-laughs DOCX, a PDF that takes minutes
    site = _hostile_site(serve)
    url = site.url("/")  # type: ignore[attr-defined]
    options = ScanOptions(rate=500, connections=4)
    scope = Scope.of(["127.0.0.1"])
    env = ProbeEnv(options, scope, HttpClient(options, scope), time.monotonic() + 60)
    session = ProbeSession(Target(url, "127.0.0.1", url, None), env,
                           {"http.crawl": CrawlProbe(), "pii.content": ContentProbe()}, {})
    # When the crawl and the content probe run under a 6 s target deadline
    start = time.monotonic()
    with deadline.bounded(seconds=6):
        data = session.get(PersonalData)
    elapsed = time.monotonic() - start
    # Then every document has an answer, and the whole stays within the deadline
    errors = {b.scan.url.rsplit("/", 1)[-1]: b.scan.error for b in data.bodies}
    assert "compression ratio" in str(errors["bom.xlsx"])
    assert "declares a DTD" in str(errors["tawa.docx"])
    assert "time limit" in str(errors["berat.pdf"])
    assert any(entry.startswith("unread:") and "berat.pdf" in entry for entry in data.limited)
    assert elapsed < 6 + 5


def test_a_scan_of_hostile_documents_ends_within_its_target_deadline(
        serve: ServeFn, audit: AuditFn) -> None:
    site = _hostile_site(serve)
    start = time.monotonic()
    # When the pii family scans it with a target deadline of 8 s
    report = audit([pair(None, site)], checks=["pii"], target_deadline=8)
    elapsed = time.monotonic() - start
    assert elapsed < 8 + 10
    # Then the target ends by its deadline (the PDF alone would take minutes): either
    # the deadline cut it (partial, with the reason) or the PDF's own CPU limit, set
    # just inside the deadline, ended its parser first (the checks that judge
    # documents then skip, naming the PDF); which comes first is a race on a busy machine
    (outcome,) = report.outcomes
    reasons = " ".join(r.reason or "" for r in outcome.results)
    if outcome.status.value == "partial":
        assert "deadline" in str(outcome.error)
    else:
        assert outcome.status.value == "ok"
        assert "berat.pdf" in reasons and "limit" in reasons
    assert outcome.results
    assert not [f for f in report.findings if f.check == "pii.bulk_exposure"]


def test_a_pdf_larger_than_the_document_cap_ends_bounded(serve: ServeFn) -> None:
    # Given a 6 MB PDF (the hostile suite's 100 MB, scaled to caps of 256 KB and 1 MB):
    # its page comes first, then a padding stream, and its cross-reference table last
    page = build.pdf_pages([build.text_ops([f"NIK {NIK}"])])
    head, tail = page.split(b"xref\n", 1)
    padding = b"6 0 obj\n" + build.stream(b"0" * 6_000_000, compress=False) + b"\nendobj\n"
    body = head + padding + b"xref\n" + tail
    assert len(body) > 6_000_000
    site = serve({"/": html('<a href="/besar.pdf">p</a>'),
                  "/besar.pdf": doc(body, "application/pdf")})
    url = site.url("/")
    options = ScanOptions(rate=500, connections=4, max_body_bytes=256 * 1024,
                          settings={"pii": {"max_document_bytes": 1024 * 1024}})
    scope = Scope.of(["127.0.0.1"])
    env = ProbeEnv(options, scope, HttpClient(options, scope), time.monotonic() + 60)
    session = ProbeSession(Target(url, "127.0.0.1", url, None), env,
                           {"http.crawl": CrawlProbe(), "pii.content": ContentProbe()}, {})
    # When it is crawled and read (cut at 256 KB, fetched again up to 1 MB)
    start = time.monotonic()
    with deadline.bounded(seconds=20):
        data = session.get(PersonalData)
    # Then the cut document is still read or answered with a reason, in bounded time
    (scanned,) = [b for b in data.bodies if b.scan.url.endswith("/besar.pdf")]
    assert scanned.scan.truncated
    assert scanned.scan.error or scanned.scan.counts.get("nik") == 1
    assert not scanned.response.body  # the 1 MB copy is not kept once read
    assert time.monotonic() - start < 20 + 5


def test_reading_stops_at_the_deadline_and_says_so() -> None:
    from egov_audit.probes.content import read
    from egov_audit.probes.crawl import Crawl
    from egov_audit.probes.http import HttpResponse

    # Given a crawl of three pages, read after the target's deadline has passed
    pages = tuple(HttpResponse("GET", f"http://127.0.0.1/{i}", f"http://127.0.0.1/{i}", 200,
                               headers=(("Content-Type", "text/html"),),
                               body=f"<p>NIK {NIK}</p>".encode()) for i in range(3))
    crawl = Crawl("http://127.0.0.1/", pages, (), (), (), (), (), (), ())
    with deadline.bounded(seconds=-1):
        data = read(crawl, None)
    # Then nothing more is scanned, and the snapshot says why it is partial
    assert data.bodies == ()
    assert any(entry.startswith("deadline:") for entry in data.limited)


def test_an_unreadable_document_leaves_bulk_exposure_not_assessed(
        serve: ServeFn, audit: AuditFn) -> None:
    # Given a site whose only document is a zip bomb the parser refuses
    site = serve({
        "/": html('<a href="/bom.xlsx">daftar penerima</a>'),
        "/bom.xlsx": doc(build.xlsx_bomb(), XLSX),
    })
    # When the pii family scans it
    report = audit([pair(None, site)], checks=["pii.bulk_exposure"])
    # Then the check does not pass on a document it never read: it is skipped,
    # and the reason names the document and why
    (result,) = report.outcomes[0].results
    assert result.status.value == "skipped"
    assert "could not be read" in str(result.reason) and "bom.xlsx" in str(result.reason)


def test_every_check_judging_document_contents_is_not_judged_on_an_unread_one(
        serve: ServeFn, audit: AuditFn) -> None:
    # Given a site whose only document is a zip bomb the parser refuses
    site = serve({
        "/": html('<a href="/bom.xlsx">daftar penerima</a>'),
        "/bom.xlsx": doc(build.xlsx_bomb(), XLSX),
    })
    judging = ("pii.bulk_exposure", "pii.identifiers_exposed", "pii.partially_masked",
               "pii.document_metadata")
    # When the checks that judge document contents run
    report = audit([pair(None, site)], checks=judging)
    # Then none of them passes on the document it never read
    results = {r.check: r for r in report.outcomes[0].results}
    assert set(results) == set(judging)
    for check_id, result in results.items():
        assert result.status.value == "skipped", check_id
        assert "bom.xlsx" in str(result.reason), check_id
