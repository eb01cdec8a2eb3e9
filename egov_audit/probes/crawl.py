"""The discovery stage: one bounded, same-origin crawl per target, shared by every family.

It produces the ``Crawl`` snapshot: the bodies it fetched by kind (pages,
scripts, source maps, documents, API answers, 4xx/5xx answers), the forms it
saw, and the site map of every URL it found and how (stored in the result as
``targets[].site_map``). The sources, each in a module of its own:

* ``seeds``: robots.txt (Allow, Disallow, Sitemap) and sitemaps;
* this module: pages breadth first, their links, ``<script src>``, forms
  (listed, never submitted), directory listings (``listing``) and ``?page=``
  pagination (``pagination``);
* ``script_discovery``: scripts, inline scripts and source maps, read for
  endpoints by ``js_endpoints``;
* ``api_discovery``: OpenAPI/Swagger descriptions (``openapi``), then a GET of
  each discovered API endpoint.

Every URL goes through ``CrawlState.found`` (same origin, scope, kind, bounds)
and every request through ``CrawlState.fetch`` (deadline, byte budget, the
shared client: scope, caps, per-host rate). Defaults are small and polite;
settings (``[settings.crawl]``): ``max_pages``, ``max_depth``,
``max_documents``, ``max_scripts``, ``max_apis``, ``max_pagination``,
``max_total_bytes``, ``max_queue``, ``max_site_map``, ``max_script_chars``.
Every server input has its own bound too, and a bound that was reached is
named in ``Crawl.limited``. See docs/discovery.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..check import Snapshot
from ..model import SiteMapEntry, Target
from ..page import Form, page_of
from .api_discovery import fetch_apis, read_descriptions
from .base import Probe, ProbeSession
from .crawl_state import DOCUMENT_EXTENSIONS, CrawlState, extension, is_api_answer
from .http import HttpResponse
from .listing import entries, is_listing
from .script_discovery import read_endpoints, read_scripts
from .seeds import SEEDS_MAX, robots_entries, seed

__all__ = ["DEFAULTS", "SEEDS_MAX", "Crawl", "CrawlProbe", "robots_entries"]

DEFAULTS = {
    "max_pages": 30,
    "max_depth": 3,
    "max_documents": 20,
    "max_scripts": 30,
    "max_apis": 20,  # API endpoints requested (pages of a paginated list included)
    "max_pagination": 5,  # pages per paginated URL
    "max_total_bytes": 40 * 1024 * 1024,
    "max_queue": 5000,
    "max_site_map": 2000,
    "max_script_chars": 12 * 1024 * 1024,  # script text read for endpoints, in all
}
_HTML = ("text/html", "application/xhtml+xml", "")


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
        return discover(target.primary_url, session, settings)


def discover(start: str, session: ProbeSession, limits: dict[str, int]) -> Crawl:
    state = CrawlState(start, session, limits)
    state.site_map.add(start, "page", "entry")
    state.queued.add(start)
    state.queue.append((start, 0))
    seed(state)
    while True:
        _pages(state)
        read_scripts(state)  # scripts may name pages: read them in turn
        if not state.queue:
            break
    read_descriptions(state)
    fetch_apis(state)
    if state.site_map.dropped:
        state.limited.add("max_site_map")
    return Crawl(
        start_url=start,
        pages=tuple(state.pages),
        scripts=tuple(state.scripts),
        source_maps=tuple(state.maps),
        documents=tuple(state.documents),
        forms=tuple(state.forms),
        robots_paths=tuple(state.robots),
        external_links=tuple(sorted(state.external)),
        limited=tuple(sorted(state.limited)),
        site_map=state.site_map.entries(),
        apis=tuple(state.apis),
        errors=tuple(state.errors),
    )


def _pages(state: CrawlState) -> None:
    """Fetch queued pages and documents breadth first, and route what they name."""
    while state.queue:
        state.session.env.check_deadline()
        url, depth = state.queue.popleft()
        if url in state.seen:
            continue
        state.seen.add(url)
        if extension(url) in DOCUMENT_EXTENSIONS:
            _document(state, url)
            continue
        if not state.pager.allows(url):
            state.limited.add("max_pagination")
            continue
        if len(state.pages) >= state.limits["max_pages"]:
            state.limited.add("max_pages")
            continue
        resp = state.fetch(url)
        if resp is None or resp.status is None:
            continue
        if resp.status >= 400:
            listed = state.site_map.kind(url)
            state.site_map.answered(url, resp.status, "error" if listed == "page" else None)
            state.keep_error(resp)
            continue
        if not 200 <= resp.status < 300:
            state.site_map.answered(url, resp.status)
            continue
        if resp.content_type not in _HTML:
            _not_html(state, url, resp)
            continue
        state.site_map.answered(url, resp.status)
        state.pages.append(resp)
        _read_page(state, url, resp, depth)


def _not_html(state: CrawlState, url: str, resp: HttpResponse) -> None:
    """A page URL that answered something else: an API, or a document behind
    an extension-less URL."""
    if is_api_answer(resp) and resp.body:
        state.site_map.answered(url, resp.status, "api")
        if len(state.apis) < state.limits["max_apis"]:
            state.apis.append(resp)
        else:
            state.limited.add("max_apis")
    elif resp.body:
        state.site_map.answered(url, resp.status, "document")
        if len(state.documents) < state.limits["max_documents"]:
            state.documents.append(resp)
        else:
            state.limited.add("max_documents")


def _read_page(state: CrawlState, url: str, resp: HttpResponse, depth: int) -> None:
    found = page_of(resp).crawl
    if found.capped:
        state.limited.add("max_links_per_page")
    links = found.links
    if is_listing(resp.text):
        # A listing's only content is its entries: its parent and column-sort
        # links (``?C=N;O=D``) would re-read what is already known.
        links = []
        for child, _directory in entries(resp.final_url, found.links):
            state.found(child, "listing", depth + 1)
    for form in found.forms:
        state.forms.append(form)
        state.found(form.action, "form", depth + 1, kind="form", report_external=False)
    for script in found.scripts:
        state.found(script, "script", depth + 1, kind="script")
    for link in links:
        state.found(link, "link", depth + 1)
    for text in found.inline_scripts:
        read_endpoints(state, text, "script")
    following = state.pager.next_url(url, resp.body)
    if following is not None:
        state.found(following, "pagination", depth)


def _document(state: CrawlState, url: str) -> None:
    if len(state.documents) >= state.limits["max_documents"]:
        state.limited.add("max_documents")
        return
    resp = state.fetch(url)
    if resp is None:
        return
    state.site_map.answered(url, resp.status)
    if resp.status == 200 and resp.body:
        state.documents.append(resp)
