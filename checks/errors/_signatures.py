"""Error signatures as data (``data/signatures.toml``) and where they are sought.

Sources are the answers to the benign error requests (missing path, array
parameter, invalid UTF-8; see :mod:`egov_audit.probes.error_pages`), every
page the crawl fetched, because neglected sites often print PHP warnings on
ordinary pages, every 4xx/5xx answer the crawl met on a link it followed (a
framework exception page one click from the home page is what a visitor
sees, not something we provoked), and every API answer discovery fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from egov_audit.datafiles import load_toml
from egov_audit.probes.crawl import Crawl
from egov_audit.probes.error_pages import ErrorPages
from egov_audit.probes.http import HttpResponse

_PACKAGE = __name__.rsplit(".", 1)[0]


@dataclass(frozen=True)
class Signature:
    check: str
    name: str
    pattern: re.Pattern[str]


@cache
def signatures() -> tuple[Signature, ...]:
    data = load_toml(resources.files(_PACKAGE) / "data" / "signatures.toml",
                     "error signatures").data
    return tuple(
        Signature(str(s["check"]), str(s["name"]), re.compile(str(s["pattern"])))
        for s in data["signature"]
    )


def for_check(check: str) -> tuple[Signature, ...]:
    return tuple(s for s in signatures() if s.check == check)


# How the evidence names a 4xx/5xx answer by the way discovery found its URL
# (SiteMapEntry.found_by); "crawled link" answers also name the linking page.
_FOUND_BY = {
    "link": "crawled link", "entry": "entry page", "script": "URL named in a script",
    "source_map": "URL named in a source map", "openapi": "URL from an OpenAPI document",
    "robots": "URL named in robots.txt", "sitemap": "URL named in a sitemap",
    "listing": "URL in a directory listing", "pagination": "next page of a list",
}


@dataclass(frozen=True)
class Probed:
    # what was asked: "missing path", "array parameter", "crawled page",
    # "crawled link" (a 4xx/5xx answer to a link; other ways discovery found a
    # failing URL are named after _FOUND_BY), "API response"
    label: str
    response: HttpResponse


def responses(errors: ErrorPages, crawl: Crawl) -> Iterator[Probed]:
    seen: set[str] = set()
    for label, resp in errors.responses:
        if resp.ok and resp.body:
            seen.add(resp.url)
            yield Probed(label, resp)
    found_by = {e.url: e.found_by for e in crawl.site_map}
    crawled = (("crawled page", crawl.pages), ("crawled link", crawl.errors),
               ("API response", crawl.apis))
    for label, group in crawled:
        for resp in group:
            if resp.url not in seen and resp.body:
                seen.add(resp.url)
                how = found_by.get(resp.url, "link")
                # say where discovery found a failing URL
                said = _FOUND_BY.get(how, f"found by {how}") if label == "crawled link" else label
                yield Probed(said, resp)


@dataclass(frozen=True)
class Match:
    probed: Probed
    signature: Signature
    quote: str


def _quote(text: str) -> str:
    text = re.sub(r"<[^>]{0,200}>", " ", text)
    text = " ".join(text.split())
    return text[:200] + ("…" if len(text) > 200 else "")


def scan(check: str, errors: ErrorPages, crawl: Crawl) -> list[Match]:
    """The first matching signature of ``check`` per response."""
    sigs = for_check(check)
    found = []
    for probed in responses(errors, crawl):
        text = probed.response.text
        for sig in sigs:
            m = sig.pattern.search(text)
            if m:
                found.append(Match(probed, sig, _quote(m.group(0))))
                break
    return found


def covered_by_others(check: str, text: str) -> bool:
    """Does another error check already explain this response?"""
    return any(s.pattern.search(text) for s in signatures() if s.check != check)
