"""Is this URL safe to send? Scope checked on the URL exactly as it goes on the wire.

Two URL parsers disagreeing is how scope checks are bypassed: with
``http://b:2\\@a:1/`` Python's ``urlsplit`` sees host ``a`` while urllib3
connects to ``b:2``. So a URL is refused outright when it contains anything a
parser may read differently (backslash, whitespace, control or invisible
characters, userinfo, an IPv4 address in decimal, octal or hex form), and
otherwise it is prepared by requests and the host and port that urllib3 will
connect to are checked — and must agree with ``urlsplit``'s reading.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Mapping
from urllib.parse import urlsplit

import requests
from urllib3.util import parse_url

from ..scope import DEFAULT_PORTS, Scope, normalize_host

_NUMERIC_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+")
_INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp", "Zs"})


class UrlRefused(Exception):
    """The URL is not sent; ``out_of_scope`` tells "elsewhere" from "malformed"."""

    def __init__(self, reason: str, *, out_of_scope: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.out_of_scope = out_of_scope


def raw_problem(url: str) -> str | None:
    for ch in url:
        if ch == "\\":
            return "a backslash in the URL"
        if ch.isspace() or unicodedata.category(ch) in _INVISIBLE:
            return "whitespace or a control character in the URL"
    return None


def _numeric_host_problem(host: str) -> str | None:
    # A name whose last label is a number is read as an IPv4 address by
    # resolvers (inet_aton) and browsers, in forms like 2130706433, 0177.0.0.1
    # or 0x7f.1; only the canonical dotted quad is accepted.
    last = host.rstrip(".").rsplit(".", 1)[-1]
    if _NUMERIC_LABEL.fullmatch(last):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return "an IPv4 address in a non-standard form"
    return None


def prepare(
    method: str,
    url: str,
    headers: Mapping[str, str],
    scope: Scope,
    cookies: requests.cookies.RequestsCookieJar | None = None,
) -> requests.PreparedRequest:
    """The request to send, once its host and port (as urllib3 will connect) are in scope.

    Raises :class:`UrlRefused` when the URL must not be sent.
    """
    problem = raw_problem(url)
    if problem:
        raise UrlRefused(problem)
    try:
        parts = urlsplit(url)
        split_port = parts.port
    except ValueError:
        raise UrlRefused("not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UrlRefused(f"scheme {scheme or 'none'!r} is not audited", out_of_scope=True)
    if "@" in parts.netloc:
        raise UrlRefused("credentials (user@) in the URL")
    if not parts.hostname:
        raise UrlRefused("no host in the URL")
    problem = _numeric_host_problem(parts.hostname)
    if problem:
        raise UrlRefused(problem)
    try:
        prepared = requests.Request(method, url, headers=dict(headers), cookies=cookies).prepare()
        wire = parse_url(prepared.url or "")
    except (requests.RequestException, ValueError) as exc:
        raise UrlRefused(f"not a valid URL ({type(exc).__name__})") from None
    if wire.auth or not wire.host or wire.scheme not in DEFAULT_PORTS:
        raise UrlRefused("the URL does not parse to a plain http(s) host")
    wire_host = normalize_host(wire.host)
    wire_port = wire.port or DEFAULT_PORTS[wire.scheme]
    if (wire_host, wire_port) != (
        normalize_host(parts.hostname),
        split_port or DEFAULT_PORTS[scheme],
    ):
        raise UrlRefused("the URL's host reads differently to different parsers")
    if not scope.allows(wire_host, wire_port):
        raise UrlRefused("URL is outside the audit scope", out_of_scope=True)
    return prepared
