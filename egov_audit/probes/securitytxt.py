"""The security.txt probe (RFC 9116): where the file is, and what it says.

Asks the HTTPS origin for ``/.well-known/security.txt`` (then the legacy
``/security.txt``); only when HTTPS has no file does it ask the plain-HTTP
origin, to tell "missing" from "served only over HTTP". When the HTTPS origin
does not answer at all the probe fails rather than report a missing file.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ..check import Snapshot
from ..model import Target
from .base import Probe, ProbeError, ProbeSession
from .http import HttpResponse

WELL_KNOWN = "/.well-known/security.txt"
LEGACY = "/security.txt"
MAX_BYTES = 64 * 1024  # the RFC sets no limit; real files are a few hundred bytes


def looks_like_security_txt(resp: HttpResponse) -> bool:
    """A 200 text/plain answer with at least one field line.

    Catch-all sites answer 200 with their home page for every path; the content
    type and the field syntax tell the real file from that.
    """
    if resp.status != 200 or resp.content_type not in ("text/plain", ""):
        return False
    head = resp.text[:4096].lower()
    return "<html" not in head and any(
        line.split(":", 1)[0].strip() in ("contact", "expires", "policy", "encryption")
        for line in head.splitlines() if ":" in line
    )


@dataclass(frozen=True)
class SecurityTxt(Snapshot):
    """Every answer the probe got, in the order asked; ``found`` is the file."""

    probe = "http.security_txt"

    tried: tuple[HttpResponse, ...]

    @property
    def found(self) -> HttpResponse | None:
        return next((r for r in self.tried if looks_like_security_txt(r)), None)


def _origin_url(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class SecurityTxtProbe(Probe):
    name = "http.security_txt"
    snapshot = SecurityTxt

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> SecurityTxt:
        client = session.env.http
        tried: list[HttpResponse] = []
        if target.https_url:
            for path in (WELL_KNOWN, LEGACY):
                resp = client.fetch(_origin_url(target.https_url, path), max_bytes=MAX_BYTES)
                tried.append(resp)
                if looks_like_security_txt(resp):
                    return SecurityTxt(tuple(tried))
                if not resp.ok:
                    # No answer is not "no file": say so instead of guessing.
                    raise ProbeError(f"{resp.url}: {resp.error}")
        if target.http_url:
            resp = client.fetch(_origin_url(target.http_url, WELL_KNOWN), max_bytes=MAX_BYTES)
            if not resp.ok and not tried:
                raise ProbeError(f"{resp.url}: {resp.error}")
            tried.append(resp)
        return SecurityTxt(tuple(tried))
