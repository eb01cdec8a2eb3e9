"""The crawler and the path sweep against hostile loopback sites: each one ends,
stays bounded (requests counted by the server) and names the bound it reached.

Time limits here are generous ceilings (a quadratic parser or an unbounded
crawl takes minutes or never ends), never measurements.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from egov_audit import deadline
from egov_audit.check import Snapshot
from egov_audit.demo.server import Request, Response, html
from egov_audit.model import Target
from egov_audit.options import ScanOptions
from egov_audit.probes.base import ProbeEnv, ProbeError, ProbeSession
from egov_audit.probes.crawl import Crawl, CrawlProbe
from egov_audit.probes.html_links import MAX_LINKS, extract
from egov_audit.probes.http import HttpClient
from egov_audit.probes.openapi import WELL_KNOWN
from egov_audit.probes.paths import PathSweep, PathSweepProbe
from egov_audit.probes.seeds import ROBOTS_MAX_BYTES, SEEDS_MAX, SITEMAP_MAX_FILES
from egov_audit.probes.soft404 import NotFoundProbe
from egov_audit.scope import Scope

from ..conftest import ServeFn

XML = [("Content-Type", "application/xml")]


def _session(url: str, probes: dict[str, Any], **settings: Any) -> ProbeSession:
    options = ScanOptions(rate=1000, connections=4, timeout=5.0, settings=settings)
    scope = Scope.of(["127.0.0.1"])
    env = ProbeEnv(options, scope, HttpClient(options, scope), time.monotonic() + 120)
    return ProbeSession(Target(url, "127.0.0.1", url, None), env, probes, {})


def crawl(url: str, **limits: int) -> Crawl:
    session = _session(url, {"http.crawl": CrawlProbe()}, crawl=limits)
    snapshot: Snapshot = session.get(Crawl)
    assert isinstance(snapshot, Crawl)
    return snapshot


def pages_requested(requests: list[Request]) -> list[str]:
    announced = ("/robots.txt", "/sitemap.xml", *WELL_KNOWN)  # asked once, never pages
    return [r.path for r in requests if r.path not in announced]


def test_a_100000_link_page_is_read_up_to_the_link_cap(serve: ServeFn) -> None:
    # Given a home page with 100,000 distinct links (about 2 MB)
    links = "".join(f'<a href="/l{i}">{i}</a>' for i in range(100_000))
    site = serve({"/": html(links)}, fallback=html("leaf"))
    # When it is crawled with the default page cap
    result = crawl(site.url("/"))
    # Then the link cap is reported and the requests stay within the page cap
    assert "max_links_per_page" in result.limited
    assert "max_pages" in result.limited
    assert len(pages_requested(site.requests)) <= 30


def test_an_infinite_url_space_ends_at_the_page_and_depth_caps(serve: ServeFn) -> None:
    # Given a site where every page links one level deeper and to the next page number
    def endless(request: Request) -> Response:
        n = int(request.query.removeprefix("page=") or 0) if request.query.startswith(
            "page=") else 0
        path = request.path.rstrip("/")
        return html(f'<a href="{path}/{n + 1}">deeper</a> <a href="{path}?page={n + 1}">next</a>')

    site = serve({}, fallback=endless)
    # When it is crawled
    started = time.monotonic()
    result = crawl(site.url("/"), max_pages=25, max_depth=6)
    # Then it ends, bounded by the caps, and says which one stopped it
    assert time.monotonic() - started < 60
    assert len(result.pages) <= 25
    assert len(pages_requested(site.requests)) <= 25
    assert {"max_pages", "max_depth"} & set(result.limited)


def test_a_sitemap_index_bomb_is_bounded_in_files_and_depth(serve: ServeFn) -> None:
    # Given a sitemap index of 10,000 sitemaps, each an index of 10,000 more
    def index(request: Request) -> Response:
        base = request.path.removesuffix(".xml")
        entries = "".join(f"<sitemap><loc>{base}-{i}.xml</loc></sitemap>" for i in range(10_000))
        return Response(200, XML, f"<sitemapindex>{entries}</sitemapindex>")

    site = serve({"/": html("home")}, fallback=index)
    # When it is crawled
    result = crawl(site.url("/"))
    # Then at most SITEMAP_MAX_FILES sitemaps were fetched, and the bound is named
    sitemap_requests = [r for r in site.requests if r.path.endswith(".xml")]
    assert len(sitemap_requests) <= SITEMAP_MAX_FILES
    assert {"sitemap_files", "sitemap_depth"} & set(result.limited)


def test_a_huge_sitemap_gives_a_bounded_number_of_seeds(serve: ServeFn) -> None:
    # Given a 3 MB sitemap of 50,000 page URLs
    entries = "".join(f"<url><loc>/p{i}</loc></url>" for i in range(50_000))
    sitemap = Response(200, XML, f"<urlset>{entries}</urlset>")
    site = serve({"/": html("home"), "/sitemap.xml": sitemap}, fallback=html("page"))
    # When it is crawled
    result = crawl(site.url("/"), max_pages=10)
    # Then the seeds are capped and the crawl stays within its page cap
    assert "max_seeds" in result.limited
    assert len(pages_requested(site.requests)) <= 10 + SEEDS_MAX


def test_a_gzip_sitemap_bomb_is_inflated_within_the_cap(serve: ServeFn) -> None:
    # Given robots.txt naming a gzip sitemap that inflates to 64 MB of whitespace
    bomb = gzip.compress(b"<urlset><url><loc>/a</loc></url>" + b" " * (64 * 1024 * 1024))
    assert len(bomb) < 200_000
    site = serve({
        "/": html("home"),
        "/robots.txt": Response(200, [("Content-Type", "text/plain")], "Sitemap: /s.xml.gz\n"),
        "/s.xml.gz": Response(200, [("Content-Type", "application/gzip")], bomb),
    }, fallback=html("page"))
    # When it is crawled
    result = crawl(site.url("/"))
    # Then the inflated size was capped, and the entry before the padding was still used
    assert "sitemap_bytes" in result.limited
    assert "/a" in {r.path for r in site.requests}


class StreamingServer:
    """A raw loopback server whose /robots.txt claims 50 MB and streams it line
    by line until the client hangs up; it counts the bytes it got to send."""

    SIZE = 50 * 1024 * 1024

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sent = 0
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/"

    def start(self) -> StreamingServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.sock.close()

    def _loop(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            path = head.split(b" ", 2)[1].decode()
            self.requests.append(path)
            if path != "/robots.txt":
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
                return
            conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                         f"Content-Length: {self.SIZE}\r\n\r\n".encode())
            line = b"Disallow: /private/area/with/a/long/name/\n"
            block = line * (65536 // len(line))
            try:
                while self.sent < self.SIZE and not self._stop.is_set():
                    conn.sendall(block)
                    self.sent += len(block)
            except OSError:
                pass  # the client stopped reading: what we want


@pytest.fixture
def streaming() -> Iterator[StreamingServer]:
    server = StreamingServer().start()
    yield server
    server.stop()


def test_a_50_mb_robots_txt_is_read_up_to_its_byte_cap(streaming: StreamingServer) -> None:
    # When a site whose robots.txt streams 50 MB is crawled
    result = crawl(streaming.url)
    # Then the crawl ends, names the cap, and the server could send only a small
    # part (the cap plus what socket buffers hold), never the 50 MB
    assert "robots_bytes" in result.limited
    assert streaming.sent < 24 * 1024 * 1024
    assert len(result.robots_paths) <= SEEDS_MAX
    assert ROBOTS_MAX_BYTES < streaming.SIZE


def test_a_20_mb_single_line_page_is_parsed_in_linear_time() -> None:
    # Given 20 MB on one line: unclosed tags, quotes, comments, binary, real links
    unit = ('<a <a href="x <!-- \x00\xff <div title=\'> <a href="/ok">ok</a> '
            '<script>if(a<b)</script> &#x; </ <?x ')
    page = unit * (20 * 1024 * 1024 // len(unit))
    # When its links are extracted
    started = time.monotonic()
    found = extract(page, "http://127.0.0.1/")
    # Then it ends far within what a quadratic parser would need (hours), and the
    # link cap bounds the output
    assert time.monotonic() - started < 120
    assert found.count <= MAX_LINKS
    assert found.capped and "http://127.0.0.1/ok" in found.links


def test_a_20_mb_single_line_page_is_crawled_within_the_body_cap(serve: ServeFn) -> None:
    page = "<p>" + "<a " * (20 * 1024 * 1024 // 3)
    site = serve({"/": html(page)}, fallback=html("leaf"))
    started = time.monotonic()
    result = crawl(site.url("/"))
    assert time.monotonic() - started < 120
    (home,) = result.pages
    assert home.truncated and len(home.body) <= ScanOptions().max_body_bytes


def test_off_scope_links_are_never_requested(serve: ServeFn) -> None:
    # Given a page linking off the origin in every way parsers disagree on
    elsewhere = serve({}, host="127.0.0.2", fallback=html("elsewhere"))
    other_port = serve({}, fallback=html("other port"))
    far = f"127.0.0.2:{elsewhere.port}"
    tricks = [elsewhere.url("/"), f"//{far}/", f"http://{far}\\@127.0.0.1/",
              f"http://127.0.0.1:1\\@{far}/", f"http://x@{far}/", other_port.url("/"),
              f"http:{far}/", f"HTTP://{far}/", f" http://{far}/", f"http://{far}/\x00"]
    links = "".join(f'<a href="{t}">t</a>' for t in tricks)
    site = serve({"/": html(links)}, fallback=html("leaf"))
    # When it is crawled
    crawl(site.url("/"))
    # Then neither the other host nor the other port saw a single request
    assert elsewhere.requests == []
    assert other_port.requests == []


def test_a_redirect_loop_ends(serve: ServeFn) -> None:
    site = serve({
        "/": html('<a href="/loop">loop</a>'),
        "/loop": Response(302, [("Location", "/loop")], b""),
    }, fallback=html("leaf"))
    crawl(site.url("/"))
    assert sum(r.path == "/loop" for r in site.requests) <= ScanOptions().max_redirects + 1


def test_an_endless_site_ends_at_the_target_deadline(serve: ServeFn) -> None:
    # Given an infinite URL space that answers slowly
    def slow(request: Request) -> Response:
        time.sleep(0.2)
        return html(f'<a href="{request.path.rstrip("/")}/n">next</a>')

    site = serve({}, fallback=slow)
    # When it is crawled under a 2-second target deadline with generous caps
    started = time.monotonic()
    with deadline.bounded(seconds=2), pytest.raises(ProbeError, match="deadline"):
        crawl(site.url("/"), max_pages=10_000, max_depth=10_000)
    # Then it stops soon after the deadline
    assert time.monotonic() - started < 2 + 5


def test_the_path_sweep_runs_under_the_target_deadline(serve: ServeFn) -> None:
    # Given a host that takes 0.3 s per answer and 200 paths to sweep on 2 connections
    def slow(request: Request) -> Response:
        time.sleep(0.3)
        return html("not here", status=404)

    site = serve({}, fallback=slow)
    url = site.url("/")
    session = _session(url, {"http.paths": PathSweepProbe(), "http.not_found": NotFoundProbe()})
    items = frozenset(f"/p{i}" for i in range(200))
    # When the sweep runs under a 2-second target deadline (pool threads must see it)
    started = time.monotonic()
    with deadline.bounded(seconds=2), pytest.raises(ProbeError, match="deadline"):
        session.get(PathSweep, items)
    # Then it stops soon after the deadline, long before the 30 s the sweep would take
    assert time.monotonic() - started < 2 + 5
    assert len(site.requests) < 100


def test_spaces_are_encoded_but_controls_and_overlong_urls_are_refused(serve: ServeFn) -> None:
    # Given links with a space (common on real sites), a control character, and overlong ones
    site = serve({"/": html('<a href="/Data Penerima">ok</a> <a href="/a\x01b">ctl</a>'
                            f'<a href="/{"x" * 2040}">long once absolute</a>'
                            f'<a href="/{"y" * 3000}">too long to be read</a>')},
                 fallback=html("leaf"))
    # When it is crawled
    result = crawl(site.url("/"))
    # Then the spaced link is fetched encoded, the others never, and both refusals are named
    paths = {r.path for r in site.requests}
    assert "/Data%20Penerima" in paths
    assert not any("\x01" in p or len(p) > 2048 for p in paths)
    assert {"url_refused", "max_url_length"} <= set(result.limited)
