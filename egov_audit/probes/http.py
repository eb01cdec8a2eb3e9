"""The HTTP client every probe uses: observe-only, bounded, polite, scoped.

* Only GET, HEAD and OPTIONS exist here: the scanner cannot write by construction.
* Every body is streamed and capped (``max_body_bytes``); a response also has
  a wall-clock limit, so a server dripping one byte a second cannot hold a run.
* Redirects are followed by hand, hop by hop, so the chain is recorded and a
  hop that leaves the audit scope is recorded but never requested.
* Every request passes the per-host limiter.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from ..options import ScanOptions
from ..ratelimit import HostLimiter
from ..scope import Scope
from .base import ProbeError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Probes embed fetch errors in their own messages; the engine recognises this
# phrase to skip (not fail) checks on a target whose certificate cannot be verified.
CERT_UNVERIFIED = "TLS certificate verification failed"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

Headers = tuple[tuple[str, str], ...]


def header_values(headers: Headers, name: str) -> list[str]:
    lname = name.lower()
    return [v for k, v in headers if k.lower() == lname]


@dataclass(frozen=True)
class Hop:
    """One response in a redirect chain."""

    url: str
    status: int
    location: str | None
    headers: Headers
    followed: bool = True  # False when the next hop left the scope or the hop limit


@dataclass(frozen=True)
class HttpResponse:
    """A fetched URL as the checks see it: the final response and how we got there."""

    method: str
    url: str  # as requested
    final_url: str
    status: int | None  # None when no response arrived (see error)
    reason: str = ""
    headers: Headers = ()
    body: bytes = b""
    truncated: bool = False
    redirects: tuple[Hop, ...] = ()
    error: str | None = None
    left_scope: str | None = None  # the out-of-scope Location we did not follow
    elapsed_ms: float = 0.0
    request_headers: Headers = field(default=())

    @property
    def ok(self) -> bool:
        return self.status is not None

    def header(self, name: str) -> str | None:
        values = header_values(self.headers, name)
        return values[0] if values else None

    def headers_all(self, name: str) -> list[str]:
        return header_values(self.headers, name)

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str:
        msg = Message()
        msg["Content-Type"] = self.header("Content-Type") or ""
        charset = msg.get_param("charset")
        return str(charset) if isinstance(charset, str) else "utf-8"

    @property
    def text(self) -> str:
        try:
            return self.body.decode(self.charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")

    @property
    def chain(self) -> tuple[str, ...]:
        """Every URL visited, first to last."""
        return (*(h.url for h in self.redirects), self.final_url)


class HttpClient:
    """Shared by all probes of a run; thread-safe (one requests.Session per thread)."""

    def __init__(
        self,
        options: ScanOptions,
        scope: Scope,
        limiter: HostLimiter | None = None,
        trust_bundle: str | None = None,
    ) -> None:
        self.options = options
        self.scope = scope
        self.limiter = limiter or HostLimiter(options.connections, options.rate)
        # requests takes a path (replacing the default store) or a bool.
        self._verify: bool | str = trust_bundle if trust_bundle else options.verify_tls
        if not options.verify_tls:
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        self._local = threading.local()
        self.requests_sent = 0
        self._count_lock = threading.Lock()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(
                pool_connections=16, pool_maxsize=self.options.connections, max_retries=0
            )
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers["User-Agent"] = self.options.user_agent
            session.trust_env = False  # never route audit traffic through a proxy from env
            self._local.session = session
        return session

    def fetch(
        self,
        url: str,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        follow_redirects: bool = True,
        max_bytes: int | None = None,
    ) -> HttpResponse:
        """Fetch ``url``; never raises for network trouble (see ``HttpResponse.error``)."""
        method = method.upper()
        if method not in SAFE_METHODS:
            raise ValueError(f"egov-audit only observes: {method} is not allowed")
        cap = self.options.max_body_bytes if max_bytes is None else max_bytes
        hops: list[Hop] = []
        current = url
        start = time.monotonic()
        sent_headers = tuple((headers or {}).items())
        if not self.scope.allows_url(url):
            return HttpResponse(
                method, url, url, None, error="URL is outside the audit scope",
                request_headers=sent_headers,
            )
        while True:
            try:
                resp = self._send(method, current, headers)
            except requests.RequestException as exc:
                return HttpResponse(
                    method, url, current, None, redirects=tuple(hops),
                    error=_describe(exc), elapsed_ms=_ms(start), request_headers=sent_headers,
                )
            try:
                resp_headers = _headers(resp)
                location = resp.headers.get("Location")
                if follow_redirects and resp.status_code in REDIRECT_STATUSES and location:
                    nxt = urljoin(current, location.strip())
                    if not self.scope.allows_url(nxt):
                        hops.append(Hop(current, resp.status_code, nxt, resp_headers, False))
                        return HttpResponse(
                            method, url, current, resp.status_code, resp.reason or "",
                            resp_headers, b"", False, tuple(hops[:-1]), None, nxt,
                            _ms(start), sent_headers,
                        )
                    if len(hops) >= self.options.max_redirects:
                        hops.append(Hop(current, resp.status_code, nxt, resp_headers, False))
                        return HttpResponse(
                            method, url, current, resp.status_code, resp.reason or "",
                            resp_headers, b"", False, tuple(hops[:-1]),
                            f"more than {self.options.max_redirects} redirects",
                            None, _ms(start), sent_headers,
                        )
                    hops.append(Hop(current, resp.status_code, nxt, resp_headers))
                    current = nxt
                    continue
                body, truncated, err = self._read_body(resp, cap, method)
            finally:
                resp.close()
            return HttpResponse(
                method, url, current, resp.status_code, resp.reason or "", resp_headers,
                body, truncated, tuple(hops), err, None, _ms(start), sent_headers,
            )

    def _send(
        self, method: str, url: str, headers: Mapping[str, str] | None
    ) -> requests.Response:
        host = urlsplit(url).hostname or ""
        timeout = (self.options.timeout, self.options.timeout)
        with self.limiter.request(host):
            with self._count_lock:
                self.requests_sent += 1
            return self._session().request(
                method, url, headers=dict(headers or {}), timeout=timeout,
                allow_redirects=False, stream=True, verify=self._verify,
            )

    def _read_body(
        self, resp: requests.Response, cap: int, method: str
    ) -> tuple[bytes, bool, str | None]:
        if method == "HEAD":
            return b"", False, None
        limit_s = self.options.timeout * 3
        started = time.monotonic()
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.iter_content(chunk_size=65536):
                chunks.append(chunk)
                size += len(chunk)
                if size >= cap:
                    return b"".join(chunks)[:cap], True, None
                if time.monotonic() - started > limit_s:
                    return b"".join(chunks), True, f"body not complete after {limit_s:.0f}s"
        except requests.RequestException as exc:
            return b"".join(chunks), True, _describe(exc)
        return b"".join(chunks), False, None


def unanswered(message: str, responses: Iterable[HttpResponse]) -> ProbeError:
    """A probe's "no answer at all" error, carrying the first network reason, so the
    engine (and the reader) can tell a dead host from an unverifiable certificate."""
    reason = next((r.error for r in responses if r.error), None)
    return ProbeError(f"{message}: {reason}" if reason else message)


def _headers(resp: requests.Response) -> Headers:
    raw = getattr(resp.raw, "headers", None)
    if raw is not None and hasattr(raw, "items"):
        # urllib3 keeps repeated headers (Set-Cookie) as separate items.
        return tuple((str(k), str(v)) for k, v in raw.items())
    return tuple(resp.headers.items())


def _ms(start: float) -> float:
    return round((time.monotonic() - start) * 1000, 1)


_NOISE = re.compile(r"\(Caused by [A-Za-z]+\('?|<urllib3[^>]*>:? ?|object at 0x[0-9a-f]+")


def _describe(exc: Exception) -> str:
    """A short, human reason for a network failure."""
    if isinstance(exc, requests.exceptions.SSLError):
        text = str(exc)
        if "CERTIFICATE_VERIFY_FAILED" in text:
            detail = text.split("certificate verify failed:", 1)[-1].split("(")[0].strip(" )'\"")
            return f"{CERT_UNVERIFIED}: {detail or 'untrusted'}"
        return "TLS handshake failed"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "read timed out"
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc)
        if "Connection refused" in text:
            return "connection refused"
        if "Name or service not known" in text or "NameResolutionError" in text:
            return "host name does not resolve"
        if "RemoteDisconnected" in text or "Connection aborted" in text:
            return "connection closed by the server"
        return "connection failed"
    return _NOISE.sub("", f"{type(exc).__name__}: {exc}")[:200]
