"""The HTML pages the integrity checks judge: the crawl's pages (fetched as
egov-audit) and the entry page and up to ``max_pages`` crawled pages as a
browser, Googlebot and a search visitor."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from egov_audit.page import page_of
from egov_audit.probes.cloaking import CloakingViews
from egov_audit.probes.crawl import Crawl
from egov_audit.probes.http import HttpResponse

from ._gambling import Verdict, judge
from ._page import Page

VIEW_LABELS = {"browser": "browser", "googlebot": "Googlebot",
               "search_referrer": "visitor from a Google search"}


@dataclass(frozen=True)
class Seen:
    view: str  # "crawler" or a VIEW_LABELS value
    response: HttpResponse
    page: Page


def _html(resp: HttpResponse) -> bool:
    return (resp.ok and resp.status is not None and 200 <= resp.status < 300
            and resp.content_type in ("text/html", "application/xhtml+xml", "") and bool(resp.body))


# Five checks read the same responses (the crawl's pages and three views of
# up to ten of them): each is parsed once (page_of, shared with discovery) and
# scored once (a third of the CPU time on 40 pages of 100 kB), and both are
# dropped with the response. Targets run on threads of their own, hence the lock.
_VERDICTS: weakref.WeakKeyDictionary[HttpResponse, Verdict] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def parsed(resp: HttpResponse) -> Page:
    """The page model of ``resp`` (read only: it is shared between checks)."""
    return page_of(resp)


def verdict(resp: HttpResponse) -> Verdict:
    """The gambling-spam verdict on ``resp``'s page (read only, shared)."""
    with _LOCK:
        found = _VERDICTS.get(resp)
    if found is None:
        found = judge(parsed(resp))
        with _LOCK:
            _VERDICTS[resp] = found
    return found


def pages(crawl: Crawl | None, views: CloakingViews | None) -> Iterator[Seen]:
    if crawl is not None:
        for resp in crawl.pages:
            if _html(resp):
                yield Seen("crawler", resp, parsed(resp))
    if views is not None:
        for page in views.pages:
            for name, resp in page.views:
                if _html(resp):
                    yield Seen(VIEW_LABELS.get(name, name), resp, parsed(resp))


def grouped(seen: Iterator[Seen]) -> dict[str, list[Seen]]:
    """By final URL, keeping every view it was seen in."""
    out: dict[str, list[Seen]] = {}
    for s in seen:
        out.setdefault(s.response.final_url, []).append(s)
    return out
