"""Set-Cookie parsing (RFC 6265bis §5.6) without ever keeping a cookie's value.

The standard library's http.cookies is strict where browsers are lenient
(it drops whole headers on one odd character), so the few attributes that
matter are parsed here the way browsers do: attribute names case-insensitive,
last occurrence wins, unknown attributes ignored.

A cookie's value is a secret (it may be a live session): it is measured
(length) but never stored, so no check can put it into evidence by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

from egov_audit.datafiles import load_toml
from egov_audit.probes.http import HttpResponse, header_values
from egov_audit.probes.site import Site
from egov_audit.scope import normalize_host


@dataclass(frozen=True)
class SetCookie:
    name: str
    value_length: int
    secure: bool
    httponly: bool
    samesite: str | None  # as sent (case preserved); None when absent
    domain: str | None
    path: str | None
    persistent: bool  # Expires or Max-Age present
    url: str  # the response that set it

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme

    def describe(self) -> str:
        """Name and attributes, never the value."""
        attrs = [a for a, on in (("Secure", self.secure), ("HttpOnly", self.httponly)) if on]
        if self.samesite is not None:
            attrs.append(f"SameSite={self.samesite}")
        if self.domain is not None:
            attrs.append(f"Domain={self.domain}")
        if self.path is not None:
            attrs.append(f"Path={self.path}")
        if self.persistent:
            attrs.append("Expires/Max-Age")
        return f"Set-Cookie: {self.name}=<{self.value_length} chars>" + "".join(
            f"; {a}" for a in attrs
        )


def parse_set_cookie(header: str, url: str = "") -> SetCookie | None:
    pair, *attrs = header.split(";")
    if "=" in pair:
        name, value = (s.strip() for s in pair.split("=", 1))
    else:
        name, value = "", pair.strip()  # RFC 6265bis: a nameless cookie
    if not name and not value:
        return None
    secure = httponly = persistent = False
    samesite = domain = path = None
    for attr in attrs:
        key, _, val = attr.partition("=")
        key, val = key.strip().lower(), val.strip()
        if key == "secure":
            secure = True
        elif key == "httponly":
            httponly = True
        elif key == "samesite":
            samesite = val
        elif key == "domain" and val:
            domain = val
        elif key == "path":
            path = val
        elif key in ("expires", "max-age") and val:
            persistent = True
    return SetCookie(name, len(value), secure, httponly, samesite, domain, path, persistent, url)


@cache
def _names() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    data = load_toml(files(__package__).joinpath("session_names.toml"), "cookie names").data
    return (frozenset(n.lower() for n in data["exact"]),
            tuple(s.lower() for s in data["contains"]),
            tuple(s.lower() for s in data["not_session"]))


def is_session_like(name: str) -> bool:
    exact, contains, not_session = _names()
    low = name.lower()
    if any(s in low for s in not_session):
        return False
    return low in exact or any(s in low for s in contains)


def is_csrf_like(name: str) -> bool:
    return any(s in name.lower() for s in _names()[2])


def _steps(resp: HttpResponse) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    return [(h.url, h.headers) for h in resp.redirects] + [(resp.final_url, resp.headers)]


def site_cookies(site: Site, host: str) -> list[SetCookie]:
    """Cookies the target host sets on the way to its entry page.

    Every hop counts, because session cookies are typically set on the 302 to
    a login page. The HTTPS chain is judged when there is one, else the
    plain-HTTP chain; only responses of the target host count (an SSO hop on
    another host is that host's business). The first cookie of a name wins.
    """
    host = normalize_host(host)
    resp = site.https_ok or (site.http if site.http is not None and site.http.ok else None)
    if resp is None:
        return []
    seen: dict[str, SetCookie] = {}
    for url, headers in _steps(resp):
        if normalize_host(urlsplit(url).hostname or "") != host:
            continue
        for raw in header_values(headers, "Set-Cookie"):
            cookie = parse_set_cookie(raw, url)
            if cookie is not None and cookie.name not in seen:
                seen[cookie.name] = cookie
    return list(seen.values())


def cookie_response(site: Site, cookie: SetCookie) -> tuple[tuple[str, str], ...]:
    """Headers of the response that set ``cookie``."""
    for resp in site.responses:
        for url, headers in _steps(resp):
            if url == cookie.url:
                return headers
    return ()
