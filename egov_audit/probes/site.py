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
from .budget import Priority
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
        # The entry page is what every other request starts from: it is spent
        # first from the host's request budget, and kept for last.
        http = (http_client.fetch(target.http_url, priority=Priority.ENTRY)
                if target.http_url else None)
        https_url = target.https_url
        if https_url is None and http is not None and http.ok:
            # A plain-HTTP target on a non-standard port: the redirect tells us
            # where its HTTPS side lives.
            final = urlsplit(http.final_url)
            if final.scheme == "https":
                https_url = http.final_url
        https = http_client.fetch(https_url, priority=Priority.ENTRY) if https_url else None
        fetched = [r for r in (http, https) if r is not None]
        if fetched and not any(r.ok for r in fetched):
            reasons = "; ".join(f"{r.url}: {r.error}" for r in fetched)
            raise ProbeError(f"no response from the target ({reasons})")
        return Site(http=http, https=https)


def landing_origin(target: Target, session: ProbeSession) -> str:
    """The origin (``scheme://host:port/``) where the target's entry page lands.

    An ``http://h/`` target that redirects to ``https://h/`` is swept where its
    content lives, so it shares every answer with an ``https://h/`` target
    instead of repeating the sweep through redirects. A landing on another
    host (a single sign-on portal) is not followed: the target's own origin.
    """
    own = _origin(target.primary_url)
    try:
        site = session.get(Site)
    except ProbeError:
        return own
    landed = site.https_ok or next(iter(site.responses), None)
    if landed is None or landed.status is None or landed.status >= 400:
        return own
    final = urlsplit(landed.final_url)
    if (final.hostname or "").rstrip(".").lower() != target.host.rstrip(".").lower():
        return own
    return _origin(landed.final_url)


def _origin(url: str) -> str:
    return urlsplit(url)._replace(path="/", query="", fragment="").geturl()
