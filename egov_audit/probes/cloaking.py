"""Cloaking views: the same pages fetched as a browser, as Googlebot and as a
visitor arriving from a Google search.

Injected gambling spam on government sites is often shown only to search
engine crawlers (to rank) or only to visitors coming from a search (to
redirect them), while the owner, typing the address, sees a clean page, and
the injection often sits on an inner page (an old news item, a forgotten
sub-site) rather than the home page. The probe fetches each page once per
view: the entry page, the configured paths, then the HTML pages the crawl
reached, nearest to the home page first, up to ``max_pages`` pages in all;
the integrity checks compare the views.

These requests deliberately do not carry egov-audit's own User-Agent: the
point is to look like the visitor the spam targets. Cloaking keyed on the
crawler's IP address (verified Googlebot) cannot be seen this way; the
documentation says so and a clean result means "not observed", not "absent".

Settings (``[settings.cloaking]``): ``paths`` — extra paths to compare besides
the entry page (default none, always viewed); ``max_pages`` — how many pages
are viewed in all, the entry page included (default 10, so at most 30
requests; crawled pages beyond it are named in ``CloakingViews.limited``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from ..check import Snapshot
from ..model import Target
from .base import Probe, ProbeError, ProbeSession
from .crawl import Crawl
from .http import HttpResponse, unanswered

BROWSER_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
GOOGLEBOT_UA = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)
SEARCH_REFERRER = "https://www.google.com/"
MAX_PAGES = 10
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")

# Name → request headers. "browser" is the baseline the others are compared with.
VIEWS: dict[str, dict[str, str]] = {
    "browser": {"User-Agent": BROWSER_UA, "Accept-Language": "id-ID,id;q=0.9,en;q=0.8"},
    "googlebot": {"User-Agent": GOOGLEBOT_UA},
    "search_referrer": {"User-Agent": BROWSER_UA, "Referer": SEARCH_REFERRER,
                        "Accept-Language": "id-ID,id;q=0.9,en;q=0.8"},
}


@dataclass(frozen=True)
class PageViews:
    url: str
    views: tuple[tuple[str, HttpResponse], ...]

    def view(self, name: str) -> HttpResponse | None:
        return next((r for n, r in self.views if n == name), None)


@dataclass(frozen=True)
class CloakingViews(Snapshot):
    probe = "http.cloaking"

    pages: tuple[PageViews, ...]
    # Why some pages were not viewed (the page bound, a failed crawl), so that
    # a clean result is read as "not observed on the pages viewed".
    limited: tuple[str, ...] = ()


class CloakingProbe(Probe):
    name = "http.cloaking"
    snapshot = CloakingViews

    def collect(
        self, target: Target, items: frozenset[str], session: ProbeSession
    ) -> CloakingViews:
        settings = session.env.options.settings.get("cloaking", {})
        base = target.primary_url
        configured = [urljoin(base, p) for p in sorted({*items, *settings.get("paths", ())})]
        urls = list(dict.fromkeys([base, *configured]))
        limit = max(len(urls), int(settings.get("max_pages", MAX_PAGES)))
        inner, limited = _crawled_pages(session, set(urls), limit - len(urls))
        pages = []
        for url in [*urls, *inner]:
            views = []
            for name, headers in VIEWS.items():
                session.env.check_deadline()
                views.append((name, session.env.http.fetch(url, headers=headers)))
            pages.append(PageViews(url, tuple(views)))
        if not any(r.ok for p in pages for _, r in p.views):
            raise unanswered(f"{base} did not answer any cloaking view",
                             (r for p in pages for _, r in p.views))
        refused = [r for p in pages for _, r in p.views if r.over_budget]
        if refused:  # never silent: the views the request budget cut, and why
            limited += (f"{len(refused)} views not requested: {refused[0].error}",)
        return CloakingViews(tuple(pages), limited)


def _crawled_pages(session: ProbeSession, known: set[str],
                   room: int) -> tuple[list[str], tuple[str, ...]]:
    """Up to ``room`` HTML pages the crawl fetched, in crawl order (breadth
    first, so the pages nearest to the entry page come first), and why others
    were left out. A crawl that failed leaves the entry page and the
    configured paths: cloaking there is still worth seeing."""
    try:
        crawl = session.get(Crawl)
    except ProbeError as exc:
        return [], (f"inner pages not viewed: the crawl failed ({exc})",)
    found: list[str] = []
    for resp in crawl.pages:
        url = resp.final_url
        if (resp.status is None or not 200 <= resp.status < 300
                or resp.content_type not in _HTML_TYPES
                or url in known or resp.url in known):
            continue
        known.add(url)
        found.append(url)
    if len(found) > room:
        return found[:max(room, 0)], (
            f"max_pages: {len(found) - max(room, 0)} crawled pages not viewed as Googlebot "
            "or a search visitor",)
    return found, ()
