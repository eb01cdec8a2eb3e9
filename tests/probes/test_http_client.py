"""The shared HTTP client: observe-only, capped, scoped, polite."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from egov_audit.demo.server import Request, Response, html, redirect
from egov_audit.options import ScanOptions
from egov_audit.probes.http import HttpClient
from egov_audit.scope import Scope

from ..conftest import ServeFn


def client(**options: object) -> HttpClient:
    opts = ScanOptions(rate=500, timeout=3).with_overrides(options)
    return HttpClient(opts, Scope.of(["127.0.0.1"]))


def test_only_safe_methods_exist() -> None:
    with pytest.raises(ValueError, match="only observes"):
        client().fetch("http://127.0.0.1:1/", method="POST")


def test_body_is_capped(serve: ServeFn) -> None:
    site = serve({"/big": Response(200, [("Content-Type", "text/plain")], b"x" * 300_000)})
    resp = client(max_body_bytes=10_000).fetch(site.url("/big"))
    assert resp.status == 200 and resp.truncated and len(resp.body) == 10_000


def test_redirect_chain_is_recorded(serve: ServeFn) -> None:
    site = serve()
    site.routes["/a"] = redirect(site.url("/b"), 302)
    site.routes["/b"] = redirect("/c", 301)  # relative Location
    site.routes["/c"] = html("done")
    resp = client().fetch(site.url("/a"))
    assert resp.chain == (site.url("/a"), site.url("/b"), site.url("/c"))
    assert [h.status for h in resp.redirects] == [302, 301]
    assert resp.text == "done"


def test_redirect_loop_stops_at_the_hop_limit(serve: ServeFn) -> None:
    site = serve()
    site.routes["/loop"] = redirect(site.url("/loop2"))
    site.routes["/loop2"] = redirect(site.url("/loop"))
    resp = client(max_redirects=4).fetch(site.url("/loop"))
    assert resp.error == "more than 4 redirects"
    assert [h.url for h in resp.redirects] == [site.url("/loop"), site.url("/loop2")] * 2
    # One request per (method, URL, headers) per run: the loop's hops after the
    # first two are answered from the run's shared answers.
    assert len(site.requests) == 2


def test_out_of_scope_redirect_is_not_followed(serve: ServeFn) -> None:
    other = serve({"/": html("x")}, host="127.0.0.2")
    site = serve({"/": redirect(other.url("/"))})
    resp = client().fetch(site.url("/"))
    assert resp.left_scope == other.url("/")
    assert other.requests == []
    assert client().fetch(other.url("/")).error == "URL is outside the audit scope"


def test_user_agent_names_the_tool(serve: ServeFn) -> None:
    site = serve({"/": html("x")})
    client().fetch(site.url("/"))
    assert site.requests[0].headers["User-Agent"].startswith("egov-audit/")


def test_repeated_headers_are_kept_separately(serve: ServeFn) -> None:
    site = serve({"/": Response(200, [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")], b"")})
    resp = client().fetch(site.url("/"))
    assert resp.headers_all("set-cookie") == ["a=1", "b=2"]


def test_per_host_connection_limit_is_respected(serve: ServeFn) -> None:
    # Given a server that records how many requests it serves at once
    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def slow(request: Request) -> Response:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return html("ok")

    site = serve({"/": slow})
    c = client(connections=2)
    # When eight threads fetch at once
    # (distinct URLs: identical requests would share one answer)
    threads = [threading.Thread(target=c.fetch, args=(site.url(f"/?n={i}"),))
               for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then the host never saw more than two at a time
    assert len(site.requests) == 8
    assert state["max"] <= 2


def test_rate_limit_spaces_request_starts(serve: ServeFn) -> None:
    site = serve({"/": html("ok")})
    c = client(rate=20.0, connections=4)
    started = time.monotonic()
    for i in range(5):
        c.fetch(site.url(f"/?n={i}"))
    # five starts at 20/s need at least four intervals of 50 ms
    assert time.monotonic() - started >= 0.19


def test_private_ca_trusted_only_with_bundle(serve: ServeFn, ca_file: Path) -> None:
    from egov_audit.trust import combined_trust_bundle

    site = serve({"/": html("ok")}, tls=True)
    untrusted = client().fetch(site.url("/"))
    assert untrusted.error and "certificate verification failed" in untrusted.error
    opts = ScanOptions(rate=500, ca_bundle=str(ca_file))
    trusted = HttpClient(opts, Scope.of(["127.0.0.1"]),
                         trust_bundle=combined_trust_bundle(ca_file))
    assert trusted.fetch(site.url("/")).status == 200


def test_politeness_counts_every_tcp_connection_and_request() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from ..rawserver import Counters, RawServer, keep_alive

    # Given two ports of one host that answer slowly and keep every connection
    # open until the client closes it (pooled idle connections stay counted),
    # counting both ports together
    def slow(request: bytes, server: RawServer) -> bytes:
        time.sleep(0.6)
        return b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

    counters = Counters()
    servers = [RawServer(keep_alive(slow), counters=counters).start() for _ in range(2)]
    try:
        # When sixteen threads fetch 32 URLs with the default politeness (4, 10/s)
        c = HttpClient(ScanOptions(timeout=10.0), Scope.of(["127.0.0.1"]))
        urls = [servers[i % 2].url(f"/{i}") for i in range(32)]
        with ThreadPoolExecutor(16) as pool:
            responses = list(pool.map(c.fetch, urls))
        c.close()
    finally:
        for server in servers:
            server.stop()
    # Then every fetch succeeded, the host never had more than 4 connections
    # open at once, and no one-second window saw more than rate + 1 requests
    assert [r.status for r in responses] == [200] * 32
    assert len(counters.request_starts) == 32
    assert 2 <= counters.max_open <= 4
    starts = sorted(counters.request_starts)
    busiest = max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts)
    assert busiest <= 10 + 1


def _ok(request: bytes, server: object) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def test_one_connection_serves_consecutive_requests() -> None:
    from ..rawserver import RawServer, keep_alive

    # Given a keep-alive server, when one thread fetches five times
    with RawServer(keep_alive(_ok)) as server:
        c = client()
        statuses = [c.fetch(server.url(f"/{i}")).status for i in range(5)]
        c.close()
    # Then one TCP connection (one handshake for the server) carried all five
    assert statuses == [200] * 5
    assert (server.accepted, server.requests) == (1, 5)


def test_an_idle_connection_gives_its_slot_to_another_port() -> None:
    from ..rawserver import Counters, RawServer, keep_alive

    # Given one connection allowed per host and two ports of that host
    counters = Counters()
    first = RawServer(keep_alive(_ok), counters=counters).start()
    second = RawServer(keep_alive(_ok), counters=counters).start()
    try:
        c = client(connections=1, request_deadline=5.0)
        # When the first port's connection sits idle in the pool
        assert c.fetch(first.url()).status == 200
        # Then a fetch from the second port closes it instead of waiting
        assert c.fetch(second.url()).status == 200
        assert c.fetch(first.url("/again")).status == 200
        c.close()
    finally:
        first.stop()
        second.stop()
    assert counters.accepted == 3 and counters.max_open == 1


def test_idle_http_connections_give_way_to_other_tools() -> None:
    from ..rawserver import RawServer, keep_alive

    # Given one connection allowed per host, held idle by the HTTP pool
    with RawServer(keep_alive(_ok)) as server:
        c = client(connections=1)
        assert c.fetch(server.url()).status == 200
        # When another tool of the run (sslyze, nmap) asks the limiter for the host
        with c.limiter.request("127.0.0.1", deadline=time.monotonic() + 5.0):
            # Then it gets the slot at once: the idle connection was closed for it
            pass
        # And HTTP goes on afterwards on a new connection
        assert c.fetch(server.url("/again")).status == 200
        c.close()
    assert server.accepted == 2
