"""The zoo itself: its bombs are real bombs, its servers misbehave as named and stop cleanly.

These run without the scanner (plain sockets and the standard library), so a
zoo that quietly stopped being hostile cannot make the acceptance test pass.
"""

from __future__ import annotations

import io
import socket
import threading
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from egov_audit.demo.pki import CertificateAuthority

from . import documents
from .bombs import MIB, brotli_zeros, gzip_zeros
from .offscope import Aim, locations
from .wire import blackhole
from .zoo import BEHAVIOURS, Zoo


def test_the_gzip_bomb_inflates_a_thousandfold() -> None:
    stream = gzip_zeros()
    wire = b"".join(next(stream) for _ in range(11))  # header and ten pieces
    inflated = zlib.decompressobj(31).decompress(wire)
    assert len(wire) < 20_000
    assert len(inflated) == 10 * MIB and not inflated.strip(b"\0")


def test_the_brotli_bomb_declares_ten_gib_in_a_few_kilobytes() -> None:
    data = brotli_zeros()
    assert len(data) < 10_000
    brotli = pytest.importorskip("brotli")  # the scanner decodes br only with it installed
    assert len(brotli.Decompressor().process(brotli_zeros(2))) == 32 * MIB


def test_the_xlsx_bomb_states_its_ratio_and_the_billion_laughs_its_entities() -> None:
    bomb = zipfile.ZipFile(io.BytesIO(documents.xlsx_zip_bomb()))
    sheet = bomb.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 1000 * MIB and sheet.file_size / sheet.compress_size > 500
    laughs = zipfile.ZipFile(io.BytesIO(documents.docx_billion_laughs()))
    assert b"<!ENTITY e9" in laughs.read("word/document.xml")


def test_the_huge_pdf_is_exactly_as_long_as_it_says_and_well_formed() -> None:
    length, chunks = documents.pdf_huge(3 * MIB)
    body = b"".join(chunks)
    assert len(body) == length
    assert body.startswith(b"%PDF-1.7") and body.rstrip().endswith(b"%%EOF")
    offset = int(body.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert body[offset:offset + 4] == b"xref"


def test_every_offscope_trick_is_a_different_spelling() -> None:
    spellings = locations(Aim("127.0.13.9", 1000, "127.0.12.9", 2000, 3000, 4000))
    assert len(set(spellings.values())) == len(spellings) >= 15
    assert all("127.0.12.9:2000" not in v or "@" in v for v in spellings.values())


def test_the_blackhole_swallows_connection_attempts() -> None:
    server = blackhole("127.0.12.253")
    try:
        client = socket.socket()
        client.settimeout(1.0)
        with pytest.raises(TimeoutError):
            client.connect((server.host, server.port))
        client.close()
    finally:
        server.stop()


def test_a_drip_ends_when_the_client_leaves_and_stop_leaves_no_thread(tmp_path: Path) -> None:
    before = threading.active_count()
    ca = CertificateAuthority.create("zoo test CA")
    with Zoo(ca, tmp_path, ["drip-body", "1xx-flood"]) as zoo:
        for url in zoo.urls.values():
            host, port = url.split("//")[1].rstrip("/").split(":")
            with socket.create_connection((host, int(port)), timeout=5) as client:
                client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                assert client.recv(100)  # it answers, slowly
        time.sleep(1.5)  # two drips later the servers have noticed
        open_now = sum(s.counters.open_now for lab in zoo.labs.values() for s in lab.servers)
        assert open_now == 0
    assert threading.active_count() <= before


def test_behaviour_names_are_unique_and_cover_the_issue() -> None:
    names = {b.name for b in BEHAVIOURS}
    assert len(names) == len(BEHAVIOURS)
    for wanted in ("drip-body", "drip-headers", "1xx-flood", "chunked-endless",
                   "chunked-malformed", "content-length-lie", "gzip-bomb", "deflate-bomb",
                   "brotli-bomb", "huge-headers", "redirect-loop", "redirect-chain-1000",
                   "offscope-links", "tls-handshake-stall", "tls-garbage", "tls-reset",
                   "tcp-blackhole", "tcp-reset", "half-response", "non-http", "binary-html",
                   "mixed-encoding-html", "single-line-20mb", "links-100k", "infinite-urls",
                   "sitemap-bomb", "robots-50mb", "pdf-100mb", "pdf-malformed",
                   "xlsx-malformed", "docx-malformed", "xlsx-zip-bomb", "docx-billion-laughs",
                   "json-deep"):
        assert wanted in names
