"""Well-framed HTTP carrying hostile content: pages, crawl traps, documents.

Large bodies are generated chunk by chunk as the client reads, so the zoo
stays small in memory whatever it claims to send.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from . import documents
from .bombs import MIB, gzip_repeat
from .lab import Behaviour, Lab
from .replies import HTML, NOT_FOUND, Reply, links_page, page, site, streamed
from .wire import Request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _lines(make_line: Callable[[int], bytes], size: int) -> Callable[[], Iterator[bytes]]:
    """Exactly ``size`` bytes of numbered lines, about 64 KiB per chunk."""

    def chunks() -> Iterator[bytes]:
        left, number = size, 0
        while left > 0:
            block = bytearray()
            while len(block) < 65536:
                block += make_line(number)
                number += 1
            piece = bytes(block[:left])
            left -= len(piece)
            yield piece

    return chunks


def _binary() -> Reply:
    return page(random.Random(12).randbytes(2 * MIB))


def _mixed_encoding() -> Reply:
    parts = [
        b'<html><head><meta charset="windows-1252"><meta charset="x-bogus-8">',
        "<title>Pengumuman ümlaut</title></head><body>".encode("latin-1"),
        "<p>NIK 3201014501900001 — Jalan Merdeka</p>".encode("utf-16"),
        b"<p>\xc0\xaf overlong \xed\xa0\x80 surrogate \xf4\x90\x80\x80 past U+10FFFF</p>",
        "<p>\u202eevil\u202c \ufeff zero\u200bwidth</p>".encode(),
        "<p>Kartu Keluarga ３２０１０１４５０１９００００１</p>".encode("shift_jis", "replace"),
        b"\x00" * 64 + b"<p>\x1b]0;owned\x07\x1b[2J ALL CLEAR</p>",
    ]
    return page(b"".join(parts) * 200)


def _single_line(size: int = 20 * MIB) -> Reply:
    head = b"<html><head><title>Satu baris</title></head><body>"
    unit = b'<span class="berita">Kabar kota hari ini</span>'
    body = _lines(lambda n: head if n == 0 else unit, size)
    return streamed(HTML, body, size)


def _backtracking_bait() -> Reply:
    bait = (b"<style" * 20_000 + b"<table" * 20_000 + b"a-a-" * 8_000 + b"eyJ" + b"a." * 40_000
            + b"-----BEGIN PRIVATE KEY-----" + b"A" * 100_000
            + b"INSERT INTO warga VALUES (" + b"'x'," * 20_000)
    return page(b"<html><body>" + bait, ("X-Debug", "a-" * 4000))


def _links(count: int = 100_000) -> Callable[[Lab], str]:
    def start(lab: Lab) -> str:
        def chunks() -> Iterator[bytes]:
            yield b"<html><head><title>Arsip</title></head><body><ul>"
            for first in range(0, count, 1000):
                yield b"".join(b'<li><a href="/arsip/%d">%d</a></li>' % (n, n)
                               for n in range(first, first + 1000))
            yield b"</ul></body></html>"

        routes = {"/": streamed(HTML, chunks)}
        return lab.server(site(routes, page("<html><body><p>arsip</p></body></html>"))).url("/")

    return start


def _infinite(request: Request) -> Reply:
    """Every path is a page with links one level deeper and to the next "day"."""
    base = request.path.rstrip("/")
    day = int(request.target.rsplit("=", 1)[-1]) if "?hari=" in request.target else 0
    links = [f"{base}/{n}/" for n in range(50)] + [f"{base}/?hari={day + 1}"]
    return links_page(links, "Kalender")


def _sitemap_bomb(lab: Lab) -> str:
    robots = b"User-agent: *\n" + b"".join(b"Sitemap: /peta-%d.xml\n" % n for n in range(20_000))
    loc = f"<url><loc>http://{lab.host}/halaman</loc></url>".encode()

    def sitemap(request: Request) -> Reply:
        if not request.path.endswith(".xml"):
            return NOT_FOUND
        return Reply(200, (("Content-Type", "application/xml"), ("Content-Encoding", "gzip")),
                     lambda: gzip_repeat(b'<?xml version="1.0"?><urlset>', loc * 20_000, 5_000))

    routes = {"/": page("<html><body>peta situs</body></html>"),
              "/robots.txt": Reply(200, (("Content-Type", "text/plain"),), robots)}
    return lab.server(site(routes, sitemap)).url("/")


def _robots(lab: Lab) -> str:
    robots = streamed("text/plain", _lines(lambda n: b"Disallow: /arsip/%d/\n" % n, 50 * MIB),
                      50 * MIB)
    routes = {"/": page("<html><body>robots</body></html>"), "/robots.txt": robots}
    return lab.server(site(routes)).url("/")


def _document(path: str, reply: Callable[[], Reply]) -> Callable[[Lab], str]:
    def start(lab: Lab) -> str:
        routes = {"/": links_page([path], "Dokumen"), path: reply()}
        return lab.server(site(routes)).url("/")

    return start


def _bytes(content_type: str, data: Callable[[], bytes]) -> Callable[[], Reply]:
    return lambda: Reply(200, (("Content-Type", content_type),), data())


def _huge_pdf() -> Reply:
    length, _ = documents.pdf_huge()
    return streamed("application/pdf", lambda: documents.pdf_huge()[1], length)


CONTENT: tuple[Behaviour, ...] = (
    Behaviour("binary-html", "judges the page without crashing", _document("/", _binary)),
    Behaviour("mixed-encoding-html", "decodes with replacement; prints no control characters",
              _document("/", _mixed_encoding)),
    Behaviour("single-line-20mb", "reads up to the byte cap; linear parsing",
              _document("/", _single_line)),
    Behaviour("backtracking-bait", "parses and redacts in linear time",
              _document("/", _backtracking_bait)),
    Behaviour("links-100k", "caps pages and links; does not queue 100,000 fetches", _links()),
    Behaviour("infinite-urls", "stops at the crawl's page and depth caps",
              lambda lab: lab.server(site({}, _infinite)).url("/")),
    Behaviour("sitemap-bomb", "caps sitemaps, their size and the URLs taken from them",
              _sitemap_bomb),
    Behaviour("robots-50mb", "reads robots.txt up to a cap", _robots),
    Behaviour("pdf-100mb", "downloads up to the byte cap; parses what came, bounded",
              _document("/laporan-2025.pdf", _huge_pdf)),
    Behaviour("pdf-malformed", "reports the document unreadable, nothing more",
              _document("/rusak.pdf", _bytes("application/pdf", documents.pdf_malformed))),
    Behaviour("pdf-shared-content", "stops extracting at the text/page/time cap",
              _document("/ringkasan.pdf", _bytes("application/pdf",
                                                 documents.pdf_shared_content))),
    Behaviour("xlsx-malformed", "reports the workbook unreadable",
              _document("/data.xlsx", _bytes(XLSX, documents.xlsx_malformed))),
    Behaviour("xlsx-zip-bomb", "refuses to inflate a 1 GiB member (ratio checked first)",
              _document("/rekap.xlsx", _bytes(XLSX, documents.xlsx_zip_bomb))),
    Behaviour("docx-malformed", "reports the document unreadable",
              _document("/surat.docx", _bytes(DOCX, documents.docx_malformed))),
    Behaviour("docx-billion-laughs", "does not expand entities",
              _document("/edaran.docx", _bytes(DOCX, documents.docx_billion_laughs))),
    Behaviour("json-deep", "parses with a depth bound; no RecursionError escapes",
              _document("/api/data.json", _bytes("application/json", documents.deep_json))),
)
