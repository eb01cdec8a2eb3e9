"""The HTML pages the integrity checks judge: the crawl's pages (fetched as
egov-audit) and the entry pages as a browser, Googlebot and a search visitor."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from egov_audit.probes.cloaking import CloakingViews
from egov_audit.probes.crawl import Crawl
from egov_audit.probes.http import HttpResponse

from ._page import Page, parse

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


def pages(crawl: Crawl | None, views: CloakingViews | None) -> Iterator[Seen]:
    if crawl is not None:
        for resp in crawl.pages:
            if _html(resp):
                yield Seen("crawler", resp, parse(resp.text, resp.final_url))
    if views is not None:
        for page in views.pages:
            for name, resp in page.views:
                if _html(resp):
                    yield Seen(VIEW_LABELS.get(name, name), resp, parse(resp.text, resp.final_url))


def grouped(seen: Iterator[Seen]) -> dict[str, list[Seen]]:
    """By final URL, keeping every view it was seen in."""
    out: dict[str, list[Seen]] = {}
    for s in seen:
        out.setdefault(s.response.final_url, []).append(s)
    return out
