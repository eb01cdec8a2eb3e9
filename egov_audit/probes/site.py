"""The site probe: the target's entry page over plain HTTP and over HTTPS.

Headers, cookies, redirects and HSTS checks all read this one snapshot, so the
entry page is fetched once per target however many checks look at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..check import Snapshot
from ..model import Target
from .base import Probe, ProbeError, ProbeSession
from .http import HttpResponse


@dataclass(frozen=True)
class Site(Snapshot):
    """``http``/``https`` are None when the target has no such entry point;
    a fetch that failed is present with ``error`` set."""

    probe = "http.site"

    http: HttpResponse | None
    https: HttpResponse | None

    @property
    def https_ok(self) -> HttpResponse | None:
        """The HTTPS entry response when one arrived."""
        return self.https if self.https is not None and self.https.ok else None

    @property
    def responses(self) -> tuple[HttpResponse, ...]:
        return tuple(r for r in (self.http, self.https) if r is not None and r.ok)


class SiteProbe(Probe):
    name = "http.site"
    snapshot = Site

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> Site:
        http_client = session.env.http
        http = http_client.fetch(target.http_url) if target.http_url else None
        https_url = target.https_url
        if https_url is None and http is not None and http.ok:
            # A plain-HTTP target on a non-standard port: the redirect tells us
            # where its HTTPS side lives.
            final = urlsplit(http.final_url)
            if final.scheme == "https":
                https_url = http.final_url
        https = http_client.fetch(https_url) if https_url else None
        fetched = [r for r in (http, https) if r is not None]
        if fetched and not any(r.ok for r in fetched):
            reasons = "; ".join(f"{r.url}: {r.error}" for r in fetched)
            raise ProbeError(f"no response from the target ({reasons})")
        return Site(http=http, https=https)
