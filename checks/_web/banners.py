"""Finding technology banners in headers, with or without a version number."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from egov_audit.probes.http import header_values
from egov_audit.probes.site import Site
from egov_audit.scope import normalize_host

# "nginx/1.18.0", "Apache/2.4.41", "PHP/7.4.3", "WordPress 6.4.2", "10.0.30319", "v2.1"
_VERSION = re.compile(r"(?:^|[/\s(v-])v?\d+(?:\.\d+)+[a-z0-9.+~-]*|/\d+\b", re.I)


def has_version(value: str) -> bool:
    return bool(_VERSION.search(value))


def banners(site: Site, host: str, header: str) -> Iterator[tuple[str, str]]:
    """(url, value) of every distinct ``header`` value the target host sent.

    Redirect hops count: the plain-HTTP listener is often a different, older
    server than the application behind HTTPS.
    """
    host = normalize_host(host)
    seen: set[str] = set()
    for resp in site.responses:
        steps = [(h.url, h.headers) for h in resp.redirects] + [(resp.final_url, resp.headers)]
        for url, headers in steps:
            if normalize_host(urlsplit(url).hostname or "") != host:
                continue
            for value in header_values(headers, header):
                value = value.strip()
                if value and value not in seen:
                    seen.add(value)
                    yield url, value
