"""What the discovery stage knows while it runs: queues, bounds, fetched bodies, the site map.

Every source of URLs (links, robots.txt, sitemaps, listings, scripts, source
maps, OpenAPI documents, pagination) hands what it found to :meth:`found`,
which decides once, for all of them, what a URL is (page, document, script,
API) and whether it may be requested: same origin, in scope, clean, within
its bound. Every request goes through :meth:`fetch`, which checks the
deadline and the byte budget first.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

from ..page import MAX_URL_LENGTH, Form
from .base import ProbeSession
from .budget import Priority
from .http import HttpResponse
from .openapi import is_description
from .pagination import Pager
from .site_map import SiteMapBuilder

DOCUMENT_EXTENSIONS = frozenset({
    "pdf", "xls", "xlsx", "csv", "doc", "docx", "odt", "ods", "json", "sql", "zip", "txt",
    "gz", "tgz", "rar", "7z", "xml",
})
SKIP_EXTENSIONS = frozenset({
    "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "bmp", "mp4", "mp3", "webm", "avi",
    "woff", "woff2", "ttf", "eot", "otf", "css",
})
# A path segment that names an API (``/api/``, ``/rest/``, ``/v1/``, ``/wp-json/``).
API_SEGMENTS = frozenset({"api", "apis", "rest", "graphql", "json", "service", "services",
                          "ajax", "wp-json", "odata"})
# Refused in a URL before it is queued: controls, whitespace, backslashes
# (parsers disagree on them, which is how scope checks get bypassed).
_BAD_URL_CHAR = re.compile(r"[\x00-\x20\x7f\\]")
EXTERNAL_MAX = 1000  # off-origin links remembered for the report


def extension(url: str) -> str:
    path = urlsplit(url).path.lower()
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1] if "." in name else ""


def names_an_api(url: str) -> bool:
    """Whether a URL's path has an API segment (``/api/…``, ``/v2/…``)."""
    for segment in urlsplit(url).path.lower().split("/"):
        if segment in API_SEGMENTS or (segment[:1] == "v" and segment[1:].isdigit()
                                       and len(segment) <= 3):
            return True
    return False


def is_api_answer(resp: HttpResponse) -> bool:
    """A JSON or XML answer (APIs often say text/plain: the body decides then)."""
    kind = resp.content_type
    if "json" in kind or kind in ("application/xml", "text/xml") or kind.endswith("+xml"):
        return True
    return "html" not in kind and resp.body[:64].lstrip()[:1] in (b"{", b"[")


class CrawlState:
    def __init__(self, start: str, session: ProbeSession, limits: dict[str, int]) -> None:
        self.start = start
        self.origin = urlsplit(start)._replace(path="", query="", fragment="").geturl()
        self.session = session
        self.limits = limits
        self.site_map = SiteMapBuilder(limits["max_site_map"])
        self.pager = Pager(limits["max_pagination"])
        self.seen: set[str] = set()  # requested (or decided against) already
        self.queued: set[str] = set()
        self.queue: deque[tuple[str, int]] = deque()  # pages and documents, breadth first
        self.scripts_pending: dict[str, None] = {}
        self.apis_pending: dict[str, None] = {}
        self.descriptions: dict[str, None] = {}  # OpenAPI/Swagger documents to read
        self.bytes = 0
        self.script_chars = 0  # script text read for endpoints, against max_script_chars
        self.pages: list[HttpResponse] = []
        self.scripts: list[HttpResponse] = []
        self.maps: list[HttpResponse] = []
        self.documents: list[HttpResponse] = []
        self.apis: list[HttpResponse] = []
        self.errors: list[HttpResponse] = []
        self.forms: list[Form] = []
        self.external: set[str] = set()
        self.robots: list[str] = []
        self.limited: set[str] = set()

    # -- what may be requested -------------------------------------------------
    def same_origin(self, url: str) -> bool:
        try:
            p = urlsplit(url)
        except ValueError:
            return False
        same = p._replace(path="", query="", fragment="").geturl() == self.origin
        return same and self.session.env.scope.allows_url(url)

    def clean(self, url: str) -> str | None:
        """The URL as the crawler may queue it, or None: bounded length, and
        nothing parsers disagree on. Spaces inside a path are common on real
        sites (``/uploads/Data Penerima.xlsx``) and are encoded, not refused."""
        url = url.replace(" ", "%20").split("#", 1)[0]
        if len(url) > MAX_URL_LENGTH:
            self.limited.add("max_url_length")
            return None
        if _BAD_URL_CHAR.search(url):
            self.limited.add("url_refused")
            return None
        return url

    def external_link(self, url: str) -> None:
        if len(self.external) < EXTERNAL_MAX:
            self.external.add(url[:MAX_URL_LENGTH])
        else:
            self.limited.add("max_external")

    # -- the one door for every URL found --------------------------------------
    def found(self, raw: str, found_by: str, depth: int, *, kind: str | None = None,
              call: bool = False, request: bool = True, report_external: bool = True) -> None:
        """Route a URL some source named: list it in the site map and queue it
        by kind. ``kind`` forces one (a ``<script src>`` is a script whatever
        its name; a form action is a form, never requested); ``call`` says a
        script calls it (an API even without an API segment);
        ``request=False`` lists it without ever requesting it (a POST call)."""
        url = self.clean(raw)
        if url is None:
            return
        if not self.same_origin(url):
            if report_external:
                self.external_link(url)  # never requested, only reported
            return
        if kind == "form":
            self.site_map.add(url, "form", found_by)
            return
        if is_description(url):
            self.site_map.add(url, "document", found_by)
            if request and url not in self.seen:
                self.descriptions.setdefault(url)
            return
        ext = extension(url)
        if kind != "script" and (ext in SKIP_EXTENSIONS or ext == "map"):
            return
        if kind == "script" or ext == "js":
            self.site_map.add(url, "script", found_by)
            if request and url not in self.seen:
                self.scripts_pending.setdefault(url)
            return
        directory = url.endswith("/") and found_by in ("robots", "listing")
        if not directory and (call or (names_an_api(url) and ext not in DOCUMENT_EXTENSIONS)):
            self.site_map.add(url, "api", found_by)
            if request and url not in self.seen:
                self.apis_pending.setdefault(url)
            return
        listed = "directory" if directory else "document" if ext in DOCUMENT_EXTENSIONS else "page"
        self.site_map.add(url, listed, found_by)
        if not request or url in self.queued:
            return
        if depth > self.limits["max_depth"]:
            self.limited.add("max_depth")
        elif len(self.queued) >= self.limits["max_queue"]:
            self.limited.add("max_queue")
        else:
            self.queued.add(url)
            self.queue.append((url, depth))

    # -- the one door for every request ----------------------------------------
    def fetch(self, url: str, max_bytes: int | None = None,
              priority: Priority = Priority.DISCOVERED) -> HttpResponse | None:
        """GET ``url`` within the deadline and the byte budget. A URL the
        host's request budget refused stays in the site map with no status,
        and ``limited`` names the budget (never a silent cut)."""
        if self.bytes >= self.limits["max_total_bytes"]:
            self.limited.add("max_total_bytes")
            return None
        self.session.env.check_deadline()
        if url == self.start:
            priority = Priority.ENTRY  # everything else starts from it
        resp = self.session.env.http.fetch(url, max_bytes=max_bytes, priority=priority)
        # A request cut short by the deadline is not an answer: stop with the reason.
        self.session.env.check_deadline()
        if resp.over_budget:
            self.limited.add("request_budget")
        self.bytes += len(resp.body)
        return resp

    def keep_error(self, resp: HttpResponse) -> None:
        """Keep a 4xx/5xx answer for the errors family, within the page bound."""
        if len(self.errors) < self.limits["max_pages"]:
            self.errors.append(resp)
        else:
            self.limited.add("max_error_pages")
