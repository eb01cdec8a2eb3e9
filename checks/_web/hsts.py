"""Strict-Transport-Security parsing (RFC 6797), shared by the HSTS checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from egov_audit.probes.http import HttpResponse, header_values
from egov_audit.scope import normalize_host

ONE_YEAR = 31_536_000


@dataclass(frozen=True)
class HstsPolicy:
    raw: str
    url: str  # the response that carried it
    max_age: int | None
    include_subdomains: bool
    preload: bool


def parse_hsts(value: str, url: str = "") -> HstsPolicy:
    """Lenient like browsers: directive names are case-insensitive, order is free,
    quoted values are allowed; the first header value counts (RFC 6797 §8.1)."""
    max_age: int | None = None
    include = preload = False
    for part in value.split(";"):
        name, _, arg = part.strip().partition("=")
        name = name.strip().lower()
        arg = arg.strip().strip('"')
        if name == "max-age" and max_age is None and re.fullmatch(r"\d{1,12}", arg):
            max_age = int(arg)
        elif name == "includesubdomains":
            include = True
        elif name == "preload":
            preload = True
    return HstsPolicy(value, url, max_age, include, preload)


def https_hsts(resp: HttpResponse, host: str) -> HstsPolicy | None:
    """The HSTS policy the target host sends over HTTPS anywhere in the chain.

    Browsers honour HSTS on any HTTPS response of the host, redirects included,
    so a policy sent on ``https://host/`` before it redirects to ``/portal``
    counts.
    """
    host = normalize_host(host)
    steps = [(h.url, h.headers) for h in resp.redirects] + [(resp.final_url, resp.headers)]
    for url, headers in steps:
        parts = urlsplit(url)
        if parts.scheme != "https" or normalize_host(parts.hostname or "") != host:
            continue
        values = header_values(headers, "Strict-Transport-Security")
        if values:
            return parse_hsts(values[0], url)
    return None
