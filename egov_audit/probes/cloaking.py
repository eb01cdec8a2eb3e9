"""Cloaking views: the same pages fetched as a browser, as Googlebot and as a
visitor arriving from a Google search.

Injected gambling spam on government sites is often shown only to search
engine crawlers (to rank) or only to visitors coming from a search (to
redirect them), while the owner, typing the address, sees a clean page. The
probe fetches each key page once per view; the integrity checks compare them.

These requests deliberately do not carry egov-audit's own User-Agent: the
point is to look like the visitor the spam targets. Cloaking keyed on the
crawler's IP address (verified Googlebot) cannot be seen this way; the
documentation says so and a clean result means "not observed", not "absent".

Settings (``[settings.cloaking]``): ``paths`` — extra paths to compare besides
the entry page (default none).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from ..check import Snapshot
from ..model import Target
from .base import Probe, ProbeSession
from .http import HttpResponse, unanswered

BROWSER_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
GOOGLEBOT_UA = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)
SEARCH_REFERRER = "https://www.google.com/"

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


class CloakingProbe(Probe):
    name = "http.cloaking"
    snapshot = CloakingViews

    def collect(
        self, target: Target, items: frozenset[str], session: ProbeSession
    ) -> CloakingViews:
        settings = session.env.options.settings.get("cloaking", {})
        base = target.primary_url
        urls = [base, *(urljoin(base, p) for p in sorted({*items, *settings.get("paths", ())}))]
        pages = []
        for url in dict.fromkeys(urls):
            views = []
            for name, headers in VIEWS.items():
                session.env.check_deadline()
                views.append((name, session.env.http.fetch(url, headers=headers)))
            pages.append(PageViews(url, tuple(views)))
        if not any(r.ok for p in pages for _, r in p.views):
            raise unanswered(f"{base} did not answer any cloaking view",
                             (r for p in pages for _, r in p.views))
        return CloakingViews(tuple(pages))
