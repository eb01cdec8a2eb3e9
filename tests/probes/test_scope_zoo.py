"""A redirect zoo: no Location, however spelt, gets a request out of the scope.

The target is one real loopback server (127.0.0.1, port P1); its scope is that
host *and port* only. Off-scope listeners that count every connection sit on
another port of the same host (P3) and on a second loopback address
(127.0.0.2, P2), and on ::1 when the machine has IPv6. Each Location below is
served as a redirect and also fetched directly; the counters must stay at 0,
and the in-scope spellings must still be followed (the positive controls).
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from egov_audit.options import ScanOptions
from egov_audit.probes.connection import GuardedAdapter, OutOfScope, WireRules, wire_rules
from egov_audit.probes.http import HttpClient
from egov_audit.ratelimit import HostLimiter
from egov_audit.scope import Scope
from egov_audit.targets import parse_target

from ..rawserver import RawServer, keep_alive


@dataclass
class Zoo:
    target: RawServer
    same_host: RawServer  # 127.0.0.1, another port
    other_host: RawServer  # 127.0.0.2
    ipv6: RawServer | None
    location: str = ""

    @property
    def off_scope_connections(self) -> int:
        listeners = [self.same_host, self.other_host, *([self.ipv6] if self.ipv6 else [])]
        return sum(s.accepted for s in listeners)

    def expand(self, template: str) -> str:
        return template.format(P1=self.target.port, P2=self.other_host.port,
                               P3=self.same_host.port,
                               P6=self.ipv6.port if self.ipv6 else self.target.port)

    def client(self) -> HttpClient:
        scope = Scope.for_targets([parse_target(self.target.url("/"))])
        return HttpClient(ScanOptions(rate=500.0, request_deadline=5.0, timeout=3.0), scope)


def _response(status: str, extra: bytes = b"") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Length: 2\r\n".encode() + extra + b"\r\n\r\nok"


def _answer(conn: socket.socket, server: RawServer, status: str) -> None:
    server.send(conn, _response(status))


def _ipv6_listener() -> RawServer | None:
    if not socket.has_ipv6:
        return None
    try:
        return RawServer(lambda c, s: _answer(c, s, "200 OK"), host="::1").start()
    except OSError:
        return None


@pytest.fixture
def zoo() -> Iterator[Zoo]:
    def target(request: bytes, server: RawServer) -> bytes:
        if request.startswith(b"GET / "):
            return _response("302 Found", b"Location: " + zoo.location.encode("utf-8"))
        return _response("200 OK")

    def counting(conn: socket.socket, server: RawServer) -> None:
        _answer(conn, server, "200 OK")

    zoo = Zoo(RawServer(keep_alive(target)).start(), RawServer(counting).start(),
              RawServer(counting, host="127.0.0.2").start(), _ipv6_listener())
    yield zoo
    for server in (zoo.target, zoo.same_host, zoo.other_host, zoo.ipv6):
        if server is not None:
            server.stop()


# Spellings that must never produce a request (P1 = target, P2 = 127.0.0.2, P3 =
# the target host's other port, P6 = ::1).
REFUSED = [
    "http://127.0.0.1:{P3}\\@127.0.0.1:{P1}/",  # the reported bypass
    "http://127.0.0.2:{P2}\\@127.0.0.1:{P1}/",
    "http://127.0.0.1:{P1}\\@127.0.0.2:{P2}/",
    "http:\\\\127.0.0.2:{P2}/",
    "http://user@127.0.0.1:{P3}/",
    "http://user:pw@127.0.0.1:{P1}/",  # credentials, even in scope
    "http://127.0.0.1:{P1}@127.0.0.2:{P2}/",
    "http://a%40b@127.0.0.2:{P2}/",
    "http://127.0.0.1:{P1}%40127.0.0.2:{P2}/",
    "http://１２７.０.０.２:{P2}/",  # full-width digits, IDNA-mapped to 127.0.0.2
    "http://bücher.invalid/",
    "http://xn--bcher-kva.invalid/",
    "http://[::1]:{P6}/",
    "http://[::ffff:127.0.0.1]:{P3}/",
    "http://2130706433:{P3}/",  # decimal 127.0.0.1
    "http://2130706434:{P2}/",  # decimal 127.0.0.2
    "http://0177.0.0.1:{P3}/",  # octal
    "http://0x7f.1:{P3}/",  # hex, short form
    "http://0x7f000001:{P3}/",
    "http://127.1:{P3}/",
    "http://127.0.0.01:{P1}/",  # leading zero: octal to some parsers
    "http://127.0.0.1:{P3}/\t",
    "http://127.0.0.1:{P1}/\tx",
    "http://127.0.0.1:{P1}/ x",
    "http:/\t/127.0.0.2:{P2}/",
    "http://127.0.0.2:{P2}/\r\n /folded",
    "http://127.0.0.1:{P1}/\x00",
    "http://127.0.0.1:{P1}/\u200b",  # zero-width space
    "//127.0.0.2:{P2}/",
    "//127.0.0.1:{P3}/",
    "https:127.0.0.2:{P2}/",
    "HTTP://127.0.0.2:{P2}/",
    "hTtP://127.0.0.1:{P3}/",
    "http://127.0.0.1:{P3}/",  # another port of the same host
    "https://127.0.0.1:{P3}/",
    "http://localhost:{P1}/",  # a different name is a different host
    "http://127.0.0.2.:{P2}/",
    "http://127.0.0.1.:{P1}/",  # a trailing dot makes the address ambiguous
    "http://%31%32%37.0.0.2:{P2}/",
    "http://127.0.0.1:99999/",
    "ftp://127.0.0.1:{P3}/",
]

# Spellings of the target itself: they must be followed.
FOLLOWED = [
    "/next",
    "http:next",  # a relative reference with the same scheme
    "HTTP://127.0.0.1:{P1}/next",
    "http://127.0.0.1:0{P1}/next",
    "http://127.0.0.1:{P1}/next#@127.0.0.2:{P2}/",
    "http://127.0.0.1:{P1}/next?@127.0.0.2:{P2}/",
]


@pytest.mark.parametrize("location", REFUSED)
def test_off_scope_redirect_is_recorded_never_requested(zoo: Zoo, location: str) -> None:
    zoo.location = zoo.expand(location)
    resp = zoo.client().fetch(zoo.target.url("/"))
    assert resp.status == 302 and resp.left_scope is not None
    assert resp.redirects == () and zoo.target.requests == 1
    assert zoo.off_scope_connections == 0


@pytest.mark.parametrize("url", [u for u in REFUSED if not u.startswith("//")])
def test_off_scope_url_is_never_requested(zoo: Zoo, url: str) -> None:
    resp = zoo.client().fetch(zoo.expand(url))
    assert resp.status is None and resp.error is not None
    assert resp.error == "URL is outside the audit scope" or resp.error.startswith("URL refused")
    assert zoo.off_scope_connections == 0 and zoo.target.accepted == 0


@pytest.mark.parametrize("location", FOLLOWED)
def test_in_scope_spellings_are_followed(zoo: Zoo, location: str) -> None:
    zoo.location = zoo.expand(location)
    resp = zoo.client().fetch(zoo.target.url("/"))
    assert resp.status == 200 and resp.left_scope is None and resp.error is None
    assert len(resp.redirects) == 1 and zoo.target.requests == 2
    assert zoo.off_scope_connections == 0


def test_the_connection_itself_refuses_an_off_scope_address(zoo: Zoo) -> None:
    # Defence in depth: even a request that skipped the URL check cannot connect.
    prepared = requests.Request("GET", zoo.same_host.url("/")).prepare()
    scope = Scope.for_targets([parse_target(zoo.target.url("/"))])
    adapter = GuardedAdapter()
    rules = WireRules(scope, HostLimiter(4, 100.0), float("inf"))
    with pytest.raises(OutOfScope), wire_rules(rules):
        adapter.send(prepared, timeout=3)
    with pytest.raises(OutOfScope):  # and outside HttpClient.fetch nothing connects
        adapter.send(prepared, timeout=3)
    with contextlib.suppress(Exception):
        adapter.close()
    assert zoo.off_scope_connections == 0


def test_an_ipv6_target_is_in_its_own_scope() -> None:
    # The positive control for IPv6: brackets, normalisation and the
    # connection's own check all agree on [::1]:port.
    server = _ipv6_listener()
    if server is None:
        pytest.skip("no IPv6 loopback here")
    try:
        scope = Scope.for_targets([parse_target(server.url("/"))])
        resp = HttpClient(ScanOptions(rate=500.0, timeout=3.0), scope).fetch(server.url("/x"))
    finally:
        server.stop()
    assert resp.status == 200 and resp.error is None
