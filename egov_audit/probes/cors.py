"""The CORS probe: how the entry page answers cross-origin requests.

Two GETs of the final entry-page URL (plus any paths other checks ask for as
items), one with a foreign ``Origin`` and one with ``Origin: null`` (what
sandboxed frames and ``file:`` pages send). GET with an Origin header is what
any browser sends for a cross-origin fetch; nothing else is needed to see
whether the server reflects origins.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from ..check import Snapshot
from ..model import Target
from .base import Probe, ProbeError, ProbeSession
from .http import HttpResponse
from .site import Site

# RFC 6761 reserves .invalid: this origin can never belong to anyone.
FOREIGN_ORIGIN = "https://egov-audit-cors-probe.invalid"


@dataclass(frozen=True)
class CorsExchange:
    url: str
    foreign: HttpResponse  # sent with Origin: FOREIGN_ORIGIN
    null: HttpResponse  # sent with Origin: null


@dataclass(frozen=True)
class Cors(Snapshot):
    probe = "http.cors"

    foreign_origin: str
    exchanges: tuple[CorsExchange, ...]


class CorsProbe(Probe):
    name = "http.cors"
    snapshot = Cors

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> Cors:
        site = session.get(Site)
        entry = site.https_ok or (site.http if site.http is not None and site.http.ok else None)
        if entry is None:
            raise ProbeError("no entry page answered")
        urls = [entry.final_url, *sorted(urljoin(entry.final_url, p) for p in items)]
        client = session.env.http
        exchanges = []
        for url in dict.fromkeys(urls):
            foreign = client.fetch(url, headers={"Origin": FOREIGN_ORIGIN},
                                   follow_redirects=False)
            null = client.fetch(url, headers={"Origin": "null"}, follow_redirects=False)
            exchanges.append(CorsExchange(url, foreign, null))
        if not any(e.foreign.ok or e.null.ok for e in exchanges):
            raise ProbeError(f"no answer to cross-origin requests for {entry.final_url}")
        return Cors(FOREIGN_ORIGIN, tuple(exchanges))
