"""The personal-data content probe: every body the crawl fetched, read for identifiers.

It reads what ``http.site`` and ``http.crawl`` collected (pages, scripts,
source maps, documents, and the answers of every API endpoint discovery
found, ``Crawl.apis``: resident APIs are called from JavaScript rather than
linked, and discovery reads scripts, source maps and OpenAPI documents for
them, so this probe no longer guesses API paths itself). The one request it
may make is a second GET of an XLSX, DOCX or PDF the crawl cut at the body
cap (up to ``pii.max_document_bytes``, 32 MB), since a cut container cannot
be opened. It extracts
their text (HTML tables, JSON keys, CSV/XLSX columns, PDF and DOCX text, SQL
``INSERT`` lists) and runs the identifier detector once, so every ``pii``
check judges the same reading. Raw values stay in memory; checks pass them to
the redactor as ``Sensitive`` and only masked forms reach a report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from .. import deadline
from ..check import Snapshot
from ..model import Target
from ..page import Form, page_of
from ..pii.analyse import LocationScan, analyse
from ..pii.detect import Scanner
from ..pii.documents import FORMATS as DOCUMENT_FORMATS
from ..pii.extract import extract, sniff_format
from .base import Probe, ProbeError, ProbeSession
from .crawl import Crawl
from .http import HttpResponse
from .site import Site


@dataclass(frozen=True)
class ScannedBody:
    response: HttpResponse
    scan: LocationScan


@dataclass(frozen=True)
class PersonalData(Snapshot):
    """What the personal-data reading found, per fetched body, plus the pages,
    forms and URLs the web checks (forms, trackers, privacy notice) judge."""

    probe = "pii.content"

    bodies: tuple[ScannedBody, ...]
    pages: tuple[HttpResponse, ...]  # HTML pages, including a plain-HTTP entry page
    forms: tuple[Form, ...]
    urls: tuple[str, ...]  # every URL fetched or linked (for identifiers in query strings)
    limited: tuple[str, ...]  # crawl limits reached, so a clean result can be qualified


class ContentProbe(Probe):
    name = "pii.content"
    snapshot = PersonalData

    def collect(self, target: Target, items: frozenset[str],
                session: ProbeSession) -> PersonalData:
        crawl = session.get(Crawl)
        try:
            site: Site | None = session.get(Site)
        except ProbeError:
            site = None
        settings = session.env.options.settings.get("pii", {})
        cap = int(settings.get("max_document_bytes", MAX_DOCUMENT_BYTES))
        http = session.env.http
        return read(crawl, site, refetch=lambda url: http.fetch(url, max_bytes=cap))


MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
# Literal same-origin API paths in scripts: fetch('/api/v1/warga'), axios.get("/rest/x").
_CONTAINERS = ("xlsx", "docx", "pdf")  # formats unreadable when cut short


def _complete(resp: HttpResponse,
              refetch: Callable[[str], HttpResponse] | None) -> HttpResponse:
    if refetch is None or not resp.truncated or resp.error:
        return resp
    fmt = sniff_format(urlsplit(resp.final_url).path, resp.content_type, resp.body)
    if fmt not in _CONTAINERS:
        return resp  # text formats are read as far as they came
    again = refetch(resp.final_url)
    return again if again.ok and again.status == 200 and again.body else resp


def read(crawl: Crawl, site: Site | None,
         refetch: Callable[[str], HttpResponse] | None = None) -> PersonalData:
    """Scan every body of ``crawl``, its API answers included (and the entry
    pages of ``site``).

    The only request it may make is ``refetch``: a document the crawl cut at the
    general body cap (4 MB) is fetched once more with the larger document cap,
    because a truncated XLSX, DOCX or PDF cannot be opened at all, and the largest
    files are the largest leaks."""
    scanner = Scanner()
    fetched: list[tuple[str, HttpResponse]] = [
        (source, _complete(r, refetch) if source == "document" else r)
        for source, group in (("page", crawl.pages), ("script", crawl.scripts),
                              ("source_map", crawl.source_maps), ("document", crawl.documents))
        for r in group]
    # A document fetched again (up to 32 MB) is dropped once read: the crawl holds
    # every other body already, and forty of these would otherwise stay in memory.
    crawled = {id(r) for r in crawl.documents}
    fetched += [("api", r) for r in crawl.apis]
    seen = {(r.final_url, r.body[:256]) for _, r in fetched}
    extra_pages: list[HttpResponse] = []
    forms: list[Form] = list(crawl.forms)
    for resp in site.responses if site is not None else ():
        if (resp.final_url, resp.body[:256]) in seen or not resp.body:
            continue
        seen.add((resp.final_url, resp.body[:256]))
        fetched.append(("page", resp))
        extra_pages.append(resp)
        forms.extend(page_of(resp).crawl.forms)
    bodies: list[ScannedBody] = []
    urls: dict[str, None] = {}
    stopped: tuple[str, ...] = ()
    for source, resp in fetched:
        urls.update(dict.fromkeys(resp.chain))
        if not resp.body:
            continue
        if deadline.expired():  # what was read so far is kept, and said to be partial
            stopped = ("deadline: bodies after " + (bodies[-1].scan.url if bodies else "none")
                       + " were not read",)
            break
        fmt = sniff_format(urlsplit(resp.final_url).path, resp.content_type, resp.body)
        extracted = extract(resp.body, fmt, resp.charset)
        scan = analyse(resp.final_url, source, extracted, scanner)
        if resp.truncated and not scan.truncated:
            scan = replace(scan, truncated=True)  # the counts are a lower bound
        if source == "document" and id(resp) not in crawled:
            resp = replace(resp, body=b"")
        bodies.append(ScannedBody(resp, scan))
    pages = [*crawl.pages, *extra_pages]
    for page in pages:
        urls.update(dict.fromkeys(page_of(page).crawl.links))
    urls.update(dict.fromkeys(crawl.external_links))
    urls.update(dict.fromkeys(f.action for f in forms))
    limited = (crawl.limited + stopped
               + tuple("truncated:" + b.scan.url for b in bodies if b.scan.truncated)
               + tuple(f"unread:{b.scan.url}: {b.scan.error}" for b in bodies
                       if b.scan.error and b.scan.format in DOCUMENT_FORMATS))
    return PersonalData(bodies=tuple(bodies), pages=tuple(pages), forms=tuple(forms),
                        urls=tuple(urls), limited=limited)
