"""The methods probe: which HTTP methods the entry page says it accepts.

Only OPTIONS is sent, twice: a plain ``OPTIONS`` (servers list methods in
``Allow``) and a CORS preflight from a foreign origin asking about DELETE
(servers list methods in ``Access-Control-Allow-Methods``). The methods
themselves are never tried: TRACE, PUT and DELETE are not safe to send to a
production service, and the scanner's HTTP client refuses them by design.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..check import Snapshot
from ..model import Target
from .base import Probe, ProbeError, ProbeSession
from .cors import FOREIGN_ORIGIN
from .http import HttpResponse
from .site import Site


@dataclass(frozen=True)
class Methods(Snapshot):
    probe = "http.methods"

    url: str
    options: HttpResponse
    preflight: HttpResponse


class MethodsProbe(Probe):
    name = "http.methods"
    snapshot = Methods

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> Methods:
        site = session.get(Site)
        entry = site.https_ok or (site.http if site.http is not None and site.http.ok else None)
        if entry is None:
            raise ProbeError("no entry page answered")
        url = entry.final_url
        client = session.env.http
        options = client.fetch(url, method="OPTIONS", follow_redirects=False)
        preflight = client.fetch(url, method="OPTIONS", follow_redirects=False, headers={
            "Origin": FOREIGN_ORIGIN, "Access-Control-Request-Method": "DELETE",
        })
        if not options.ok and not preflight.ok:
            raise ProbeError(f"no answer to OPTIONS {url}: {options.error}")
        return Methods(url, options, preflight)
