"""A bounded, same-origin crawl collecting pages, scripts, source maps and documents.

The exposed-data and personal-data checks read what it collects. Defaults are
small and polite (30 pages, depth 3, 20 documents, 40 MB in all) and every
request goes through the shared client, so scope, byte caps and the per-host
rate limit apply. Settings (``[settings.crawl]`` in the configuration):
``max_pages``, ``max_depth``, ``max_documents``, ``max_scripts``, ``max_total_bytes``,
``max_queue``.

Everything a server sends is hostile, so every input has its own bound too
(see docs/exposure.md): links read per page (``html_links.MAX_LINKS``), URL
length, robots.txt bytes and lines, sitemap bytes (gzip ones after
inflating), entries, files and index depth. A bound that was reached is named
in ``Crawl.limited``. URLs off the origin are never queued, and the loops
check the deadline in force before every request.
"""

from __future__ import annotations

import re
import zlib
from collections import deque
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..check import Snapshot
from ..model import SiteMapEntry, Target
from .base import Probe, ProbeSession
from .html_links import MAX_URL_LENGTH, Form, extract, source_map_url
from .http import HttpResponse

DOCUMENT_EXTENSIONS = frozenset({
    "pdf", "xls", "xlsx", "csv", "doc", "docx", "odt", "ods", "json", "sql", "zip", "txt",
    "gz", "tgz", "rar", "7z", "xml",
})
_SKIP_EXTENSIONS = frozenset({
    "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "bmp", "mp4", "mp3", "webm", "avi",
    "woff", "woff2", "ttf", "eot", "otf", "css",
})
# "<loc>" starts every match and "[^<\s]" stops at the next tag: linear.
_SITEMAP_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.I)
_SITEMAP_INDEX = re.compile(r"<sitemapindex\b", re.I)
# Refused in a URL before it is queued: controls, whitespace, backslashes
# (parsers disagree on them, which is how scope checks get bypassed).
_BAD_URL_CHAR = re.compile(r"[\x00-\x20\x7f\\]")
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_MAX_LINES = 10_000
SITEMAP_MAX_BYTES = 4 * 1024 * 1024  # after inflating a .gz sitemap
SITEMAP_MAX_FILES = 10
SITEMAP_MAX_DEPTH = 2  # sitemap index -> sitemap -> pages
SEEDS_MAX = 200  # URLs taken from robots.txt and sitemaps together
EXTERNAL_MAX = 1000  # off-origin links remembered for the report

DEFAULTS = {
    "max_pages": 30,
    "max_depth": 3,
    "max_documents": 20,
    "max_scripts": 30,
    "max_total_bytes": 40 * 1024 * 1024,
    "max_queue": 5000,
}


def _extension(url: str) -> str:
    path = urlsplit(url).path.lower()
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1] if "." in name else ""


@dataclass(frozen=True)
class Crawl(Snapshot):
    """What the crawl fetched, by kind, and where it stopped."""

    probe = "http.crawl"

    start_url: str
    pages: tuple[HttpResponse, ...]
    scripts: tuple[HttpResponse, ...]
    source_maps: tuple[HttpResponse, ...]
    documents: tuple[HttpResponse, ...]
    forms: tuple[Form, ...]
    robots_paths: tuple[str, ...]  # Allow/Disallow paths named in robots.txt
    external_links: tuple[str, ...]  # links that leave the origin (never fetched)
    limited: tuple[str, ...]  # which limits were reached, for the report
    # Every URL discovery found, fetched or not, with how it was found; stored
    # in the result (targets[].site_map) after redaction.
    site_map: tuple[SiteMapEntry, ...] = ()
    # JSON/XML answers of API endpoints discovery found (links, scripts, source
    # maps, OpenAPI documents), each requested with GET only.
    apis: tuple[HttpResponse, ...] = ()
    # 4xx/5xx answers to URLs the crawl followed: the errors family judges what
    # a visitor's click shows (a framework exception page one link away).
    errors: tuple[HttpResponse, ...] = ()

    @property
    def responses(self) -> tuple[HttpResponse, ...]:
        return (*self.pages, *self.scripts, *self.source_maps, *self.documents, *self.apis)


class CrawlProbe(Probe):
    name = "http.crawl"
    snapshot = Crawl

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> Crawl:
        settings = {**DEFAULTS, **session.env.options.settings.get("crawl", {})}
        return _Crawler(target.primary_url, session, settings).run()


def robots_entries(text: str) -> tuple[list[tuple[str, str]], bool]:
    """(allow/disallow path, sitemap URL) pairs of a robots.txt, read line by
    line (no regex over the whole file), and whether a bound cut it short:
    at most ROBOTS_MAX_LINES lines and SEEDS_MAX entries."""
    out: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines()):
        if number >= ROBOTS_MAX_LINES or len(out) >= SEEDS_MAX:
            return out, True
        key, sep, value = line.partition(":")
        words = value.split(None, 1)
        if not sep or not words:
            continue
        key = key.strip().lower()
        if len(words[0]) > MAX_URL_LENGTH:
            continue  # not a path anyone follows; never truncated into another one
        if key in ("allow", "disallow"):
            out.append((words[0], ""))
        elif key == "sitemap":
            out.append(("", words[0]))
    return out, False


class _Crawler:
    def __init__(self, start: str, session: ProbeSession, limits: dict[str, int]) -> None:
        self.start = start
        self.origin = urlsplit(start)._replace(path="", query="", fragment="").geturl()
        self.session = session
        self.limits = limits
        self.seen: set[str] = set()
        self.bytes = 0
        self.pages: list[HttpResponse] = []
        self.scripts: list[HttpResponse] = []
        self.maps: list[HttpResponse] = []
        self.documents: list[HttpResponse] = []
        self.errors: list[HttpResponse] = []
        self.forms: list[Form] = []
        self.external: set[str] = set()
        self.robots: list[str] = []
        self.limited: set[str] = set()

    def _same_origin(self, url: str) -> bool:
        try:
            p = urlsplit(url)
        except ValueError:
            return False
        same = p._replace(path="", query="", fragment="").geturl() == self.origin
        return same and self.session.env.scope.allows_url(url)

    def _clean(self, url: str) -> str | None:
        """The URL as the crawler may queue it, or None: bounded length, and
        nothing parsers disagree on. Spaces inside a path are common on real
        sites (``/uploads/Data Penerima.xlsx``) and are encoded, not refused."""
        url = url.replace(" ", "%20")
        if len(url) > MAX_URL_LENGTH:
            self.limited.add("max_url_length")
            return None
        if _BAD_URL_CHAR.search(url):
            self.limited.add("url_refused")
            return None
        return url

    def _acceptable(self, url: str) -> bool:
        return self._clean(url) is not None

    def _external(self, url: str) -> None:
        if len(self.external) < EXTERNAL_MAX:
            self.external.add(url[:MAX_URL_LENGTH])
        else:
            self.limited.add("max_external")

    def _fetch(self, url: str, max_bytes: int | None = None) -> HttpResponse | None:
        if self.bytes >= self.limits["max_total_bytes"]:
            self.limited.add("max_total_bytes")
            return None
        self.session.env.check_deadline()
        resp = self.session.env.http.fetch(url, max_bytes=max_bytes)
        # A request cut short by the deadline is not an answer: stop with the reason.
        self.session.env.check_deadline()
        self.bytes += len(resp.body)
        return resp

    def run(self) -> Crawl:
        queue: deque[tuple[str, int]] = deque([(self.start, 0)])
        queued = {self.start}

        def enqueue(raw: str, depth: int) -> None:
            link = self._clean(raw)
            if link is None or link in queued:
                return
            if not self._same_origin(link):
                self._external(link)  # never requested, only reported
            elif depth > self.limits["max_depth"]:
                self.limited.add("max_depth")
            elif len(queued) >= self.limits["max_queue"]:
                self.limited.add("max_queue")
            else:
                queued.add(link)
                queue.append((link, depth))

        for url in self._seeds():
            enqueue(url, 1)
        scripts: list[str] = []
        while queue:
            self.session.env.check_deadline()
            url, depth = queue.popleft()
            if url in self.seen:
                continue
            self.seen.add(url)
            ext = _extension(url)
            if ext in _SKIP_EXTENSIONS:
                continue
            if ext == "js":
                scripts.append(url)
                continue
            if ext in DOCUMENT_EXTENSIONS:
                self._document(url)
                continue
            if len(self.pages) >= self.limits["max_pages"]:
                self.limited.add("max_pages")
                continue
            resp = self._fetch(url)
            if resp is not None and resp.status is not None and resp.status >= 400:
                if len(self.errors) < self.limits["max_pages"]:
                    self.errors.append(resp)
                else:
                    self.limited.add("max_error_pages")
                continue
            if resp is None or resp.status is None or not 200 <= resp.status < 300:
                continue
            if resp.content_type not in ("text/html", "application/xhtml+xml", ""):
                if resp.status == 200 and resp.body:
                    self.documents.append(resp)  # a document behind an extension-less URL
                continue
            self.pages.append(resp)
            found = extract(resp.text, resp.final_url)
            if found.capped:
                self.limited.add("max_links_per_page")
            self.forms.extend(found.forms)
            scripts.extend(u for u in map(self._clean, found.scripts) if u is not None)
            for link in found.links:
                enqueue(link, depth + 1)
        self._scripts(scripts)
        return Crawl(
            start_url=self.start,
            pages=tuple(self.pages),
            scripts=tuple(self.scripts),
            source_maps=tuple(self.maps),
            documents=tuple(self.documents),
            forms=tuple(self.forms),
            robots_paths=tuple(self.robots),
            external_links=tuple(sorted(self.external)),
            limited=tuple(sorted(self.limited)),
            errors=tuple(self.errors),
        )

    def _seeds(self) -> list[str]:
        """URLs named by robots.txt and sitemap.xml: often the forgotten corners."""
        seeds: list[str] = []
        sitemaps = [urljoin(self.origin + "/", "/sitemap.xml")]
        robots = self._fetch(urljoin(self.origin + "/", "/robots.txt"), ROBOTS_MAX_BYTES)
        if robots is not None and robots.status == 200 and "html" not in robots.content_type:
            if robots.truncated:
                self.limited.add("robots_bytes")
            for allow, sitemap in self._robots_lines(robots.text):
                if sitemap:
                    sitemaps.append(urljoin(self.origin + "/", sitemap))
                elif "*" not in allow and "$" not in allow:
                    self.robots.append(allow)
                    seeds.append(urljoin(self.origin + "/", allow))
        self._sitemaps(sitemaps, seeds)
        if len(seeds) > SEEDS_MAX:
            self.limited.add("max_seeds")
        return seeds[:SEEDS_MAX]

    def _robots_lines(self, text: str) -> list[tuple[str, str]]:
        entries, capped = robots_entries(text)
        if capped:
            self.limited.add("robots_lines")
        return entries

    def _sitemaps(self, first: list[str], seeds: list[str]) -> None:
        """Follow sitemaps and sitemap indexes breadth first, within the file,
        depth, byte and entry bounds; page URLs go to ``seeds``."""
        todo: deque[tuple[str, int]] = deque((url, 0) for url in dict.fromkeys(first))
        fetched: set[str] = set()
        while todo:
            self.session.env.check_deadline()
            url, depth = todo.popleft()
            if url in fetched or not self._acceptable(url) or not self._same_origin(url):
                continue
            if len(fetched) >= SITEMAP_MAX_FILES:
                self.limited.add("sitemap_files")
                return
            fetched.add(url)
            text = self._sitemap_text(url)
            if text is None:
                continue
            index = _SITEMAP_INDEX.search(text[:4096]) is not None
            for m in _SITEMAP_LOC.finditer(text):
                loc = urljoin(url, m.group(1))
                if index:
                    if depth + 1 >= SITEMAP_MAX_DEPTH:
                        self.limited.add("sitemap_depth")
                        break
                    if len(todo) >= SITEMAP_MAX_FILES:
                        self.limited.add("sitemap_files")
                        break
                    todo.append((loc, depth + 1))
                elif len(seeds) >= SEEDS_MAX:
                    self.limited.add("max_seeds")
                    return
                else:
                    seeds.append(loc)

    def _sitemap_text(self, url: str) -> str | None:
        resp = self._fetch(url, SITEMAP_MAX_BYTES)
        if resp is None or resp.status != 200 or not resp.body:
            return None
        body = resp.body
        if resp.truncated:
            self.limited.add("sitemap_bytes")
        if body.startswith(b"\x1f\x8b"):  # a .xml.gz sitemap, inflated within the cap
            inflater = zlib.decompressobj(wbits=47)
            try:
                body = inflater.decompress(body, SITEMAP_MAX_BYTES)
            except zlib.error:
                return None
            if inflater.unconsumed_tail:
                self.limited.add("sitemap_bytes")
        elif "xml" not in resp.content_type:
            return None
        return body.decode("utf-8", "replace")

    def _document(self, url: str) -> None:
        if len(self.documents) >= self.limits["max_documents"]:
            self.limited.add("max_documents")
            return
        resp = self._fetch(url)
        if resp is not None and resp.status == 200 and resp.body:
            self.documents.append(resp)

    def _scripts(self, urls: list[str]) -> None:
        for url in dict.fromkeys(urls):
            self.session.env.check_deadline()
            if not self._same_origin(url):
                self._external(url)
                continue
            if len(self.scripts) >= self.limits["max_scripts"]:
                self.limited.add("max_scripts")
                return
            resp = self._fetch(url)
            if resp is None or resp.status != 200:
                continue
            self.scripts.append(resp)
            map_url = source_map_url(resp.body, resp.final_url)
            if map_url and self._same_origin(map_url) and map_url not in self.seen:
                self.seen.add(map_url)
                sm = self._fetch(map_url)
                if sm is not None and sm.status == 200 and sm.body:
                    self.maps.append(sm)
