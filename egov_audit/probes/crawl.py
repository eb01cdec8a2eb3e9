"""A bounded, same-origin crawl collecting pages, scripts, source maps and documents.

The exposed-data and personal-data checks read what it collects. Defaults are
small and polite (30 pages, depth 3, 20 documents, 40 MB in all) and every
request goes through the shared client, so scope, byte caps and the per-host
rate limit apply. Settings (``[settings.crawl]`` in the configuration):
``max_pages``, ``max_depth``, ``max_documents``, ``max_scripts``, ``max_total_bytes``.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..check import Snapshot
from ..model import Target
from .base import Probe, ProbeSession
from .html_links import Form, extract, source_map_url
from .http import HttpResponse

DOCUMENT_EXTENSIONS = frozenset({
    "pdf", "xls", "xlsx", "csv", "doc", "docx", "odt", "ods", "json", "sql", "zip", "txt",
    "gz", "tgz", "rar", "7z", "xml",
})
_SKIP_EXTENSIONS = frozenset({
    "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "bmp", "mp4", "mp3", "webm", "avi",
    "woff", "woff2", "ttf", "eot", "otf", "css",
})
_SITEMAP_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.I)
_ROBOTS_LINE = re.compile(r"^\s*(?:dis)?allow\s*:\s*(\S+)|^\s*sitemap\s*:\s*(\S+)", re.I | re.M)

DEFAULTS = {
    "max_pages": 30,
    "max_depth": 3,
    "max_documents": 20,
    "max_scripts": 30,
    "max_total_bytes": 40 * 1024 * 1024,
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

    @property
    def responses(self) -> tuple[HttpResponse, ...]:
        return (*self.pages, *self.scripts, *self.source_maps, *self.documents)


class CrawlProbe(Probe):
    name = "http.crawl"
    snapshot = Crawl

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> Crawl:
        settings = {**DEFAULTS, **session.env.options.settings.get("crawl", {})}
        return _Crawler(target.primary_url, session, settings).run()


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
        self.forms: list[Form] = []
        self.external: set[str] = set()
        self.robots: list[str] = []
        self.limited: set[str] = set()

    def _same_origin(self, url: str) -> bool:
        p = urlsplit(url)
        return p._replace(path="", query="", fragment="").geturl() == self.origin

    def _fetch(self, url: str) -> HttpResponse | None:
        if self.bytes >= self.limits["max_total_bytes"]:
            self.limited.add("max_total_bytes")
            return None
        self.session.env.check_deadline()
        resp = self.session.env.http.fetch(url)
        self.bytes += len(resp.body)
        return resp

    def run(self) -> Crawl:
        queue: deque[tuple[str, int]] = deque([(self.start, 0)])
        for url in self._seeds():
            queue.append((url, 1))
        scripts: list[str] = []
        while queue:
            url, depth = queue.popleft()
            if url in self.seen or not self._same_origin(url):
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
            if resp is None or resp.status is None or not 200 <= resp.status < 300:
                continue
            if resp.content_type not in ("text/html", "application/xhtml+xml", ""):
                if resp.status == 200 and resp.body:
                    self.documents.append(resp)  # a document behind an extension-less URL
                continue
            self.pages.append(resp)
            found = extract(resp.text, resp.final_url)
            self.forms.extend(found.forms)
            scripts.extend(found.scripts)
            for link in found.links:
                if not self._same_origin(link):
                    self.external.add(link)
                elif depth + 1 <= self.limits["max_depth"]:
                    queue.append((link, depth + 1))
                else:
                    self.limited.add("max_depth")
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
        )

    def _seeds(self) -> list[str]:
        """URLs named by robots.txt and sitemap.xml: often the forgotten corners."""
        seeds: list[str] = []
        robots = self._fetch(urljoin(self.origin + "/", "/robots.txt"))
        sitemaps = [urljoin(self.origin + "/", "/sitemap.xml")]
        if robots is not None and robots.status == 200 and "html" not in robots.content_type:
            for allow, sitemap in _ROBOTS_LINE.findall(robots.text):
                if sitemap:
                    sitemaps.append(sitemap)
                elif allow and "*" not in allow and "$" not in allow:
                    self.robots.append(allow)
                    seeds.append(urljoin(self.origin + "/", allow))
        for sitemap_url in dict.fromkeys(sitemaps):
            if not self._same_origin(sitemap_url):
                continue
            sitemap = self._fetch(sitemap_url)
            if sitemap is not None and sitemap.status == 200 and "xml" in sitemap.content_type:
                seeds.extend(m for m in _SITEMAP_LOC.findall(sitemap.text)[:200])
        return seeds

    def _document(self, url: str) -> None:
        if len(self.documents) >= self.limits["max_documents"]:
            self.limited.add("max_documents")
            return
        resp = self._fetch(url)
        if resp is not None and resp.status == 200 and resp.body:
            self.documents.append(resp)

    def _scripts(self, urls: list[str]) -> None:
        for url in dict.fromkeys(urls):
            if not self._same_origin(url):
                self.external.add(url)
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
