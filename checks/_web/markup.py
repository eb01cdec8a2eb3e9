"""What the header-family checks read from a page's markup, and origins.

The page is parsed once per response by the engine's page model
(:mod:`egov_audit.page`), shared with discovery and the integrity checks;
here the checks get its browser view (what loads on render, meta tags), or
an empty one for a response that is not HTML.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from egov_audit.page import Markup, Resource, page_of
from egov_audit.probes.http import HttpResponse

__all__ = ["Markup", "Resource", "is_third_party", "markup", "origin"]

_HTML = ("text/html", "application/xhtml+xml", "")


def markup(resp: HttpResponse) -> Markup:
    """The page's markup (empty for non-HTML responses)."""
    if resp.content_type not in _HTML:
        return Markup()
    return page_of(resp).markup


def origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    try:
        port = parts.port or default
    except ValueError:
        port = default
    return parts.scheme, (parts.hostname or "").lower(), port


def is_third_party(url: str, page: str) -> bool:
    """A different origin than the page (scheme, host or port)."""
    return origin(url) != origin(page)
