"""The HTTP client every probe uses: observe-only, bounded, polite, scoped.

* Only GET, HEAD and OPTIONS exist here: the scanner cannot write by construction.
* Every fetch has one total deadline (connect, TLS, head, body, every hop),
  enforced by a watchdog that shuts the socket down, so a server dripping one
  byte a second or sending ``100 Continue`` for ever cannot hold a run.
* Every body is streamed and capped (``max_body_bytes``), decompression too.
* Scope is checked on the URL as it goes on the wire (``wire_url``) and again
  by the connection itself; redirects are followed by hand, hop by hop, so the
  chain is recorded and a hop that leaves the scope is recorded, never requested.
* Every TCP connection holds a per-host slot and counts against the per-host
  rate (``connection``, ``ratelimit``).
* Every request is spent from the host's request budget by priority
  (``budget``), and an identical request (method, URL, headers) is answered
  from the run's shared answers instead of being sent again
  (``response_cache``). See docs/scope-and-politeness.md.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from urllib3.util.request import ACCEPT_ENCODING

from .. import deadline
from ..model import Reason
from ..options import ScanOptions
from ..ratelimit import HostLimiter, LimitsUnavailable, SlotUnavailable
from ..scope import Scope
from . import wire_url
from .base import ProbeError
from .budget import OVER_BUDGET, Priority, RequestBudget
from .connection import GuardedAdapter, OutOfScope, WireRules, wire_rules
from .response_cache import Exchange, ResponseCache, WaitExpired

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Fixed phrases of fetch errors. A fetch carries its code (HttpResponse.reason_code);
# the phrases remain for people, and for probes that embed an error in their own
# message without a code (see reason_in).
CERT_UNVERIFIED = "TLS certificate verification failed"
OUT_OF_SCOPE = "URL is outside the audit scope"
URL_REFUSED = "URL refused"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_NO_COMPLETE_RESPONSE = "no complete response"
_CONNECT_TIMEOUT = "connection timed out"
_READ_TIMEOUT = "read timed out"
_HEADERS_TOO_LARGE = "response headers too large"
_TLS_FAILED = "TLS handshake failed"
_CONNECTION_FAILED = "connection failed"
_UNEXPECTED = "unexpected failure ("

Headers = tuple[tuple[str, str], ...]
_CHUNK = 65536


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
    reason_code: Reason | None = None  # why ``error``, for programs; None without error

    def __post_init__(self) -> None:
        # Every fetch of HttpClient sets the code; a response made elsewhere
        # with only a message (a test, an older plugin) gets the code of the
        # client's phrase in it.
        if self.error is not None and self.reason_code is None:
            object.__setattr__(self, "reason_code", reason_in(self.error))

    @property
    def ok(self) -> bool:
        return self.status is not None

    @property
    def over_budget(self) -> bool:
        """Not requested: the host's request budget was spent (``error`` says so)."""
        return self.status is None and self.reason_code is Reason.OVER_BUDGET

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
    """Shared by all probes of a run; thread-safe.

    One connection pool for the run: a connection goes back to the pool only
    when its response was read to the end, and is closed otherwise. Pooled
    connections keep their per-host slot (see ``connection``).
    """

    def __init__(
        self,
        options: ScanOptions,
        scope: Scope,
        limiter: HostLimiter | None = None,
        trust_bundle: str | None = None,
        budget: RequestBudget | None = None,
        cache: ResponseCache | None = None,
    ) -> None:
        self.options = options
        self.scope = scope
        self.limiter = limiter or HostLimiter(options.connections, options.rate)
        # requests takes a path (replacing the default store) or a bool.
        self._verify: bool | str = trust_bundle if trust_bundle else options.verify_tls
        if not options.verify_tls:
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        self._defaults = {
            "User-Agent": options.user_agent,
            "Accept-Encoding": ACCEPT_ENCODING,  # only codings urllib3 can decode here
            "Accept": "*/*",
            "Connection": "keep-alive",
        }
        self._adapter = GuardedAdapter(pool_maxsize=options.connections)
        self.requests_sent = 0
        self._count_lock = threading.Lock()
        self.budget = budget or RequestBudget(options.request_budget)
        self._cache = cache or ResponseCache(options.response_cache_bytes)

    def fetch(
        self,
        url: str,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        follow_redirects: bool = True,
        max_bytes: int | None = None,
        *,
        priority: Priority = Priority.DISCOVERED,
    ) -> HttpResponse:
        """Fetch ``url``; never raises for network trouble (see ``HttpResponse.error``).

        The whole fetch, every redirect hop included, ends by
        ``options.request_deadline`` from now or the deadline in force
        (target, run), whichever comes first. Each hop is one exchange: answered
        from the run's shared answers when an identical one was read already,
        else spent from the host's request budget at ``priority`` and sent.
        """
        method = method.upper()
        if method not in SAFE_METHODS:
            raise ValueError(f"egov-audit only observes: {method} is not allowed")
        cap = self.options.max_body_bytes if max_bytes is None else max_bytes
        start = time.monotonic()
        clock = _Clock(start, self.options.request_deadline, deadline.current())
        sent_headers = tuple((headers or {}).items())
        wanted = {**self._defaults, **(headers or {})}
        cookies = requests.cookies.RequestsCookieJar()  # Set-Cookie carried across hops
        hops: list[Hop] = []
        current = url
        try:
            prepared = wire_url.prepare(method, url, wanted, self.scope, cookies)
        except wire_url.UrlRefused as exc:
            if exc.out_of_scope:
                error, code = OUT_OF_SCOPE, Reason.OUT_OF_SCOPE
            else:
                error, code = f"{URL_REFUSED}: {exc.reason}", Reason.URL_REFUSED
            return HttpResponse(method, url, url, None, error=error, request_headers=sent_headers,
                                reason_code=code)

        def failed(error: str, code: Reason) -> HttpResponse:
            return HttpResponse(
                method, url, current, None, redirects=tuple(hops), error=error,
                elapsed_ms=_ms(start), request_headers=sent_headers, reason_code=code,
            )

        while True:
            if clock.expired():
                return failed(clock.reason(), Reason.TIMEOUT)
            try:
                ex = self._exchange(prepared, cap, follow_redirects, priority, clock)
            except OutOfScope:
                return failed(OUT_OF_SCOPE, Reason.OUT_OF_SCOPE)
            except LimitsUnavailable as exc:  # our side failed, not the target
                return failed(str(exc), Reason.OTHER)
            except (SlotUnavailable, WaitExpired):
                return failed(clock.reason(), Reason.TIMEOUT)
            except _Refused as refused:
                return failed(refused.reason, Reason.OVER_BUDGET)
            if ex.status is None:
                # A shared exchange keeps only its message: one of this
                # module's fixed phrases, so its code is read back exactly.
                error = ex.error or "no response"
                return failed(error, reason_in(error))
            cookies.update(ex.cookies)
            if follow_redirects and ex.status in REDIRECT_STATUSES and ex.location:
                nxt = _join(current, ex.location)
                try:
                    nxt_prepared = wire_url.prepare(method, nxt, wanted, self.scope, cookies)
                except wire_url.UrlRefused:
                    hops.append(Hop(current, ex.status, nxt, ex.headers, False))
                    return HttpResponse(
                        method, url, current, ex.status, ex.reason, ex.headers, b"", False,
                        tuple(hops[:-1]), None, nxt, _ms(start), sent_headers,
                    )
                if len(hops) >= self.options.max_redirects:
                    hops.append(Hop(current, ex.status, nxt, ex.headers, False))
                    return HttpResponse(
                        method, url, current, ex.status, ex.reason, ex.headers, b"", False,
                        tuple(hops[:-1]), f"more than {self.options.max_redirects} redirects",
                        None, _ms(start), sent_headers, Reason.TOO_MANY_REDIRECTS,
                    )
                hops.append(Hop(current, ex.status, nxt, ex.headers))
                current, prepared = nxt, nxt_prepared
                continue
            return HttpResponse(
                method, url, current, ex.status, ex.reason, ex.headers, ex.body, ex.truncated,
                tuple(hops), ex.error, None, _ms(start), sent_headers,
                reason_in(ex.error) if ex.error else None,
            )

    def requests_by_host(self) -> dict[str, dict[str, int]]:
        """Per host: requests sent, answered from shared answers, refused by the budget."""
        return self.budget.by_host()

    def _exchange(
        self, prepared: requests.PreparedRequest, cap: int, follow_redirects: bool,
        priority: Priority, clock: _Clock,
    ) -> Exchange:
        """One hop: the shared answer if an identical request was read (or is in
        flight), else one request on the wire, spent from the host's budget."""
        host = urlsplit(str(prepared.url)).hostname or ""
        key = (prepared.method, prepared.url, follow_redirects,
               tuple(sorted((k.lower(), v) for k, v in prepared.headers.items())))
        shared = self._cache.claim(key, cap, clock.at)
        if shared is not None:
            self.budget.shared(host)
            return shared
        result: Exchange | None = None
        keep = False
        try:
            refusal = self.budget.spend(host, priority)
            if refusal is not None:
                raise _Refused(refusal)
            result, keep = self._send(prepared, cap, follow_redirects, clock)
            return result
        finally:
            # Failures cut by a deadline or the budget are the caller's own;
            # any other answer (an error page, a reset) is what the server says.
            self._cache.finish(key, result if result is not None and keep else None)

    def _send(
        self, prepared: requests.PreparedRequest, cap: int, follow_redirects: bool,
        clock: _Clock,
    ) -> tuple[Exchange, bool]:
        """Send one request; the exchange, and whether it may be shared."""
        method = str(prepared.method)
        rules = WireRules(self.scope, self.limiter, clock.at)
        resp: requests.Response | None = None
        reusable = False
        try:
            with wire_rules(rules):
                with self._count_lock:
                    self.requests_sent += 1
                per_op = max(0.001, min(self.options.timeout, clock.left()))
                resp = self._adapter.send(
                    prepared, stream=True, timeout=(per_op, per_op),
                    verify=self._verify, proxies={},
                )
                jar = resp.cookies.copy()
                resp_headers = _headers(resp)
                location = resp.headers.get("Location")
                reason = resp.reason or ""
                if follow_redirects and resp.status_code in REDIRECT_STATUSES and location:
                    reusable = _drain(resp, clock)
                    return Exchange(resp.status_code, reason, resp_headers, location,
                                    cap=cap, cookies=jar), not clock.expired()
                body, truncated, err = self._read_body(resp, cap, method, clock)
                reusable = not truncated and err is None
                return Exchange(resp.status_code, reason, resp_headers, location, body,
                                truncated, cap, err, jar), not clock.expired()
        except (OutOfScope, SlotUnavailable):
            raise
        except Exception as exc:  # a hostile server must never crash a probe
            if clock.expired():
                return Exchange(None, error=clock.reason()), False
            return Exchange(None, error=_describe(exc)), True
        finally:
            if resp is not None:
                _finish(resp, reusable)

    def close(self) -> None:
        """Close the pooled connections (and so free their slots)."""
        self._adapter.close()

    def _read_body(
        self, resp: requests.Response, cap: int, method: str, clock: _Clock
    ) -> tuple[bytes, bool, str | None]:
        if method == "HEAD":
            return b"", False, None
        chunks: list[bytes] = []
        size = 0
        try:
            # urllib3 >= 2.6 decompresses at most what each read asks for, so
            # a compression bomb stops at the cap like any other body.
            for chunk in resp.raw.stream(_CHUNK, decode_content=True):
                chunks.append(chunk)
                size += len(chunk)
                if size >= cap:
                    return b"".join(chunks)[:cap], True, None
                if clock.expired():
                    return b"".join(chunks), True, clock.reason()
        except Exception as exc:  # any failure mid-body is a reason, never a crash
            reason = clock.reason() if clock.expired() else _describe(exc)
            return b"".join(chunks), True, reason
        return b"".join(chunks), False, None


class _Clock:
    """The one deadline of a fetch, and how to say which deadline it was."""

    def __init__(self, start: float, own_seconds: float, outer: float) -> None:
        self.own_seconds = own_seconds
        self.at = min(start + own_seconds, outer)
        self._own_binds = start + own_seconds <= outer

    def left(self) -> float:
        return self.at - time.monotonic()

    def expired(self) -> bool:
        return time.monotonic() >= self.at

    def reason(self) -> str:
        if self._own_binds:
            return (f"{_NO_COMPLETE_RESPONSE} within {self.own_seconds:g} s "
                    "(request deadline)")
        return f"{_NO_COMPLETE_RESPONSE} before the target's or the run's deadline"


class _Refused(Exception):
    """The host's request budget refused a request; ``reason`` says so."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _drain(resp: requests.Response, clock: _Clock, limit: int = _CHUNK) -> bool:
    """Read a redirect's small body so its connection can serve the next hop;
    False when it is too big or broken (the connection is then closed)."""
    try:
        size = 0
        for chunk in resp.raw.stream(_CHUNK, decode_content=False):
            size += len(chunk)
            if size > limit or clock.expired():
                return False
    except Exception:  # a broken body only costs the connection
        return False
    return True


def _finish(resp: requests.Response, reusable: bool) -> None:
    """Give a fully read connection back to the pool; close any other, since
    unread bytes would be taken for the next response."""
    if reusable:
        resp.raw.release_conn()
    else:
        resp.raw.close()
        resp.raw.release_conn()


def _join(current: str, location: str) -> str:
    # urljoin drops tabs and newlines silently; a Location carrying them must be
    # refused as written, so it is only joined when it is clean.
    if wire_url.raw_problem(location):
        return location
    return urljoin(current, location)


def unanswered(message: str, responses: Iterable[HttpResponse]) -> ProbeError:
    """A probe's "no answer at all" error, carrying the first network reason and
    its code, so the engine (and the reader) can tell a dead host from an
    unverifiable certificate or a spent request budget."""
    first = next((r for r in responses if r.error), None)
    if first is None or first.error is None:
        return ProbeError(message, Reason.PROBE_FAILED)
    return ProbeError(f"{message}: {first.error}", first.reason_code or Reason.OTHER)


def _headers(resp: requests.Response) -> Headers:
    raw = getattr(resp.raw, "headers", None)
    if raw is not None and hasattr(raw, "items"):
        # urllib3 keeps repeated headers (Set-Cookie) as separate items.
        return tuple((str(k), str(v)) for k, v in raw.items())
    return tuple(resp.headers.items())


def _ms(start: float) -> float:
    return round((time.monotonic() - start) * 1000, 1)


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps (requests wraps urllib3 wraps http.client),
    breadth-first, bounded."""
    found: list[BaseException] = []
    queue: list[BaseException] = [exc]
    while queue and len(found) < 16:
        item = queue.pop(0)
        if any(item is seen for seen in found):
            continue
        found.append(item)
        queue.extend(a for a in item.args if isinstance(a, BaseException))
        for linked in (getattr(item, "reason", None), item.__cause__, item.__context__):
            if isinstance(linked, BaseException):
                queue.append(linked)
    return found


# Fixed phrases, matched on the wrapped exception types: never the server's own
# text, which is hostile data (escapes, identifiers) and varies between runs.
_REASONS: tuple[tuple[tuple[type[BaseException], ...], str, Reason], ...] = (
    ((urllib3.exceptions.InvalidChunkLength,), "malformed chunked body",
     Reason.MALFORMED_RESPONSE),
    ((http.client.IncompleteRead, urllib3.exceptions.IncompleteRead),
     "response ended before its announced length", Reason.MALFORMED_RESPONSE),
    ((http.client.LineTooLong,), _HEADERS_TOO_LARGE, Reason.RESPONSE_TOO_LARGE),
    ((urllib3.exceptions.DecodeError,), "the body's content encoding is malformed",
     Reason.MALFORMED_RESPONSE),
    ((ConnectionResetError,), "connection reset by the server", Reason.CONNECTION_FAILED),
    ((http.client.RemoteDisconnected,), "connection closed by the server",
     Reason.CONNECTION_FAILED),
    ((http.client.BadStatusLine,), "not an HTTP response", Reason.MALFORMED_RESPONSE),
    ((ConnectionRefusedError,), "connection refused", Reason.CONNECTION_REFUSED),
    ((urllib3.exceptions.NameResolutionError, socket.gaierror), "host name does not resolve",
     Reason.NAME_UNRESOLVED),
)

# Every fixed phrase of a fetch error and its code, in the order reason_in
# tries them. The certificate comes first (it makes checks skipped, not
# errors), then the budget, then a deadline: the engine's order of judgement
# from before codes existed, so a message naming several keeps its meaning.
_DECISIVE: tuple[tuple[str, Reason], ...] = (
    (CERT_UNVERIFIED, Reason.CERT_UNVERIFIED),
    (OVER_BUDGET, Reason.OVER_BUDGET),
)
_PHRASES: tuple[tuple[str, Reason], ...] = (
    (_NO_COMPLETE_RESPONSE, Reason.TIMEOUT),
    (_CONNECT_TIMEOUT, Reason.TIMEOUT),
    (_READ_TIMEOUT, Reason.TIMEOUT),
    (OUT_OF_SCOPE, Reason.OUT_OF_SCOPE),
    (f"{URL_REFUSED}: ", Reason.URL_REFUSED),
    *((phrase, code) for _, phrase, code in _REASONS),
    (_TLS_FAILED, Reason.TLS_FAILED),
    (_CONNECTION_FAILED, Reason.CONNECTION_FAILED),
    (_UNEXPECTED, Reason.OTHER),
)
# How DeadlineExceeded's messages end ("the target's deadline was reached").
_DEADLINE_REACHED = "deadline was reached"


def reason_in(message: str, default: Reason = Reason.OTHER) -> Reason:
    """The code of a message that carries one of the client's fixed phrases.

    The bridge for text without a code: a probe that embeds ``resp.error`` in
    its own ProbeError message (``f"{url}: {resp.error}"``), a response made
    with only a message, and a shared exchange, which keeps only its message.
    Everything the client builds itself carries its code directly.
    """
    for phrase, code in _DECISIVE:
        if phrase in message:
            return code
    if message.endswith(_DEADLINE_REACHED):
        return Reason.DEADLINE
    for phrase, code in _PHRASES:
        if phrase in message:
            return code
    return default


def _describe(exc: BaseException) -> str:
    """A short, human reason for a network failure, in words of our own."""
    if isinstance(exc, requests.exceptions.SSLError):
        text = str(exc)
        if "CERTIFICATE_VERIFY_FAILED" in text:
            detail = text.split("certificate verify failed:", 1)[-1].split("(")[0].strip(" )'\"")
            return f"{CERT_UNVERIFIED}: {_clean(detail) or 'untrusted'}"
        return _TLS_FAILED
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return _CONNECT_TIMEOUT
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return _READ_TIMEOUT
    causes = _causes(exc)
    for types, reason, _code in _REASONS:
        if any(isinstance(c, types) for c in causes):
            return reason
    if any(isinstance(c, http.client.HTTPException) and "more than" in str(c) for c in causes):
        return _HEADERS_TOO_LARGE  # http.client's header-count limit
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return _TLS_FAILED
    if any(isinstance(c, TimeoutError) for c in causes):
        return _READ_TIMEOUT
    if isinstance(exc, (requests.ConnectionError, OSError, urllib3.exceptions.HTTPError)):
        return _CONNECTION_FAILED
    return f"{_UNEXPECTED}{type(exc).__name__})"


def _clean(text: str) -> str:
    # OpenSSL's verify reason ("self-signed certificate", ...): printable ASCII only.
    return "".join(ch for ch in text if " " <= ch <= "~")[:120]
