"""The CORS probe: how the entry page and every discovered API answer
cross-origin requests.

Two GETs per URL, one with a foreign ``Origin`` and one with ``Origin: null``
(what sandboxed frames and ``file:`` pages send). GET with an Origin header is
what any browser sends for a cross-origin fetch; nothing else is needed to see
whether the server reflects origins. The URLs are the final entry-page URL,
any paths other checks ask for as items, and the API endpoints discovery
answered (``Crawl.apis``: JSON/XML endpoints found in links, scripts, source
maps and OpenAPI documents), because an API is what a hostile page would read
with the visitor's cookies, and APIs are seldom configured like the home page.

The API endpoints are probed only when a check asks for them with the item
``DISCOVERED_APIS`` (the cors checks do), so the header grade, which reads
the entry page's answer, does not start a crawl of its own; their exchanges
are kept apart (``Cors.apis``) for the same reason.

Settings (``[settings.cors]``): ``max_apis`` — how many discovered API
endpoints are probed (default 20, so at most 40 requests); the ones left out
are named in ``Cors.limited``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..check import Snapshot
from ..model import Target
from .base import Probe, ProbeError, ProbeSession
from .crawl import Crawl
from .http import HttpResponse, unanswered
from .site import Site

# RFC 6761 reserves .invalid: this origin can never belong to anyone.
FOREIGN_ORIGIN = "https://egov-audit-cors-probe.invalid"
MAX_APIS = 20
# An item, not a path: "probe the API endpoints discovery found as well".
DISCOVERED_APIS = "@discovered-apis"


@dataclass(frozen=True)
class CorsExchange:
    url: str
    foreign: HttpResponse  # sent with Origin: FOREIGN_ORIGIN
    null: HttpResponse  # sent with Origin: null
    # "entry page", "configured path", or "API" (an endpoint discovery found)
    source: str = "entry page"

    @property
    def where(self) -> str:
        """The URL as evidence names it: "API https://…/api/warga"."""
        return f"API {self.url}" if self.source == "API" else self.url


@dataclass(frozen=True)
class Cors(Snapshot):
    probe = "http.cors"

    foreign_origin: str
    exchanges: tuple[CorsExchange, ...]  # the entry page and configured paths
    # The discovered API endpoints, when asked for (DISCOVERED_APIS).
    apis: tuple[CorsExchange, ...] = ()
    # API endpoints not probed (the bound, a failed crawl): a clean result
    # covers the exchanges above only.
    limited: tuple[str, ...] = ()

    @property
    def everything(self) -> tuple[CorsExchange, ...]:
        return (*self.exchanges, *self.apis)


class CorsProbe(Probe):
    name = "http.cors"
    snapshot = Cors

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> Cors:
        site = session.get(Site)
        entry = site.https_ok or (site.http if site.http is not None and site.http.ok else None)
        if entry is None:
            raise ProbeError("no entry page answered")
        wanted = {entry.final_url: "entry page"}
        for p in sorted(items - {DISCOVERED_APIS}):
            wanted.setdefault(urljoin(entry.final_url, p), "configured path")
        apis: list[str] = []
        limited: tuple[str, ...] = ()
        if DISCOVERED_APIS in items:
            settings = session.env.options.settings.get("cors", {})
            apis, limited = _api_urls(session, int(settings.get("max_apis", MAX_APIS)),
                                      set(wanted))
        exchanges = [_exchange(session, url, source) for url, source in wanted.items()]
        api_exchanges = [_exchange(session, url, "API") for url in apis]
        every = (*exchanges, *api_exchanges)
        if not any(e.foreign.ok or e.null.ok for e in every):
            raise unanswered(f"no answer to cross-origin requests for {entry.final_url}",
                             (r for e in every for r in (e.foreign, e.null)))
        refused = [e for e in every if e.foreign.over_budget or e.null.over_budget]
        if refused:  # never silent: what the request budget cut, and why
            error = refused[0].foreign.error or refused[0].null.error
            limited += (f"{len(refused)} URLs not fully probed: {error}",)
        return Cors(FOREIGN_ORIGIN, tuple(exchanges), tuple(api_exchanges), limited)


def _exchange(session: ProbeSession, url: str, source: str) -> CorsExchange:
    session.env.check_deadline()
    client = session.env.http
    foreign = client.fetch(url, headers={"Origin": FOREIGN_ORIGIN}, follow_redirects=False)
    null = client.fetch(url, headers={"Origin": "null"}, follow_redirects=False)
    return CorsExchange(url, foreign, null, source)


def _api_urls(session: ProbeSession, limit: int,
              known: set[str]) -> tuple[list[str], tuple[str, ...]]:
    """The final URLs of the API endpoints discovery answered, one per path
    (``?page=2`` of a list is configured like ``?page=1``), in the order found,
    up to ``limit``, and why others were left out."""
    try:
        crawl = session.get(Crawl)
    except ProbeError as exc:
        return [], (f"API endpoints not probed: the crawl failed ({exc})",)
    paths = {_without_query(u) for u in known}
    urls = []
    for resp in crawl.apis:
        path = _without_query(resp.final_url)
        if resp.ok and path not in paths:
            paths.add(path)
            urls.append(resp.final_url)
    if len(urls) > limit:
        return urls[:max(limit, 0)], (
            f"max_apis: {len(urls) - max(limit, 0)} API endpoints not probed",)
    return urls, ()


def _without_query(url: str) -> str:
    return urlsplit(url)._replace(query="", fragment="").geturl()
