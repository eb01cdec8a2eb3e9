"""One request per (method, URL, headers) per run, and the per-host request budget."""

from __future__ import annotations

import threading
import time

from egov_audit.demo.server import Request, Response, html, redirect
from egov_audit.options import ScanOptions
from egov_audit.probes.budget import Priority, RequestBudget, ceiling
from egov_audit.probes.http import HttpClient
from egov_audit.probes.response_cache import Exchange, ResponseCache
from egov_audit.scope import Scope

from ..conftest import ServeFn

HOST = "127.0.0.1"


def client(**options: object) -> HttpClient:
    opts = ScanOptions(rate=500, timeout=3).with_overrides(options)
    return HttpClient(opts, Scope.of([HOST]))


def test_identical_requests_share_one_answer_and_count_as_shared(serve: ServeFn) -> None:
    # Given a page, fetched by two "targets" of one run
    site = serve({"/": html("portal")})
    c = client()
    first = c.fetch(site.url("/"))
    second = c.fetch(site.url("/"))
    # Then the host saw one request, and both callers the same answer
    assert len(site.requests) == 1
    assert first.body == second.body == b"portal" and second.status == 200
    assert c.requests_by_host() == {HOST: {"sent": 1, "shared": 1, "over_budget": 0}}


def test_different_headers_or_methods_are_different_requests(serve: ServeFn) -> None:
    site = serve({"/": html("portal")})
    c = client()
    c.fetch(site.url("/"))
    c.fetch(site.url("/"), headers={"User-Agent": "Googlebot/2.1"})  # a cloaking view
    c.fetch(site.url("/"), method="HEAD")
    assert [(r.method, r.headers["User-Agent"][:9]) for r in site.requests] == [
        ("GET", "egov-audi"), ("GET", "Googlebot"), ("HEAD", "egov-audi")]


def test_concurrent_identical_requests_wait_for_the_first(serve: ServeFn) -> None:
    # Given a slow page and six threads asking for it at the same moment
    def slow(request: Request) -> Response:
        time.sleep(0.3)
        return html("slow page")

    site = serve({"/slow": slow})
    c = client()
    answers: list[bytes] = []
    threads = [threading.Thread(target=lambda: answers.append(c.fetch(site.url("/slow")).body))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then one request went out (single flight) and every thread got its answer
    assert len(site.requests) == 1
    assert answers == [b"slow page"] * 6
    assert c.requests_by_host()[HOST] == {"sent": 1, "shared": 5, "over_budget": 0}


def test_http_and_https_targets_share_the_redirect_destination(serve: ServeFn) -> None:
    # Given http://h/x redirecting to the origin that a second target names directly
    site = serve({"/x": html("x")})
    plain = serve(fallback=lambda r: redirect(site.url(r.path)))
    c = client()
    c.fetch(site.url("/x"))
    c.fetch(plain.url("/x"))
    # Then the destination was requested once
    assert [r.path for r in site.requests] == ["/x"]


def test_a_shared_answer_read_with_a_smaller_cap_is_fetched_again(serve: ServeFn) -> None:
    site = serve({"/big": Response(200, [("Content-Type", "text/plain")], b"x" * 50_000)})
    c = client()
    small = c.fetch(site.url("/big"), max_bytes=1000)
    full = c.fetch(site.url("/big"))
    again_small = c.fetch(site.url("/big"), max_bytes=100)
    assert small.truncated and len(small.body) == 1000
    assert not full.truncated and len(full.body) == 50_000
    assert again_small.truncated and len(again_small.body) == 100
    assert len(site.requests) == 2  # the first cut was too short for the full read


def test_guesses_stop_at_their_ceiling_and_leave_the_reserve(serve: ServeFn) -> None:
    # Given a budget of 10 requests for the host
    site = serve(fallback=html("page"))
    c = client(request_budget=10)
    guess_ceiling = ceiling(10, Priority.GUESS)
    assert guess_ceiling == 8  # a quarter (rounded down) is kept for what the site names
    # When a sweep guesses 10 paths
    guesses = [c.fetch(site.url(f"/guess{i}"), priority=Priority.GUESS) for i in range(10)]
    # Then only 8 went out, and the 2 others say why
    assert sum(r.ok for r in guesses) == guess_ceiling
    refused = [r for r in guesses if not r.ok]
    assert all(r.over_budget for r in refused)
    assert refused[0].error is not None and refused[0].error.startswith(
        f"skipped: request budget of 10 for host {HOST} reached")
    # And links the site names still get the reserve
    linked = [c.fetch(site.url(f"/page{i}")) for i in range(5)]
    assert sum(r.ok for r in linked) == 2 and linked[-1].over_budget
    assert len(site.requests) == 10
    assert c.requests_by_host()[HOST] == {"sent": 10, "shared": 0, "over_budget": 5}


def test_the_entry_page_is_served_last_of_all(serve: ServeFn) -> None:
    site = serve(fallback=html("page"))
    c = client(request_budget=20)
    for i in range(25):
        c.fetch(site.url(f"/p{i}"))  # discovered: may use 19 of 20
    assert c.fetch(site.url("/"), priority=Priority.ENTRY).status == 200
    assert c.fetch(site.url("/other"), priority=Priority.ENTRY).over_budget
    assert len(site.requests) == 20


def test_no_budget_means_no_refusal(serve: ServeFn) -> None:
    site = serve(fallback=html("page"))
    c = client(request_budget=0)
    assert all(c.fetch(site.url(f"/{i}"), priority=Priority.GUESS).ok for i in range(12))


def test_every_port_of_a_host_spends_one_budget() -> None:
    budget = RequestBudget(3)
    assert budget.spend("Portal.Example.go.id", Priority.ENTRY) is None
    assert budget.spend("portal.example.go.id.", Priority.ENTRY) is None
    assert budget.spend("portal.example.go.id", Priority.ENTRY) is None
    assert budget.spend("portal.example.go.id", Priority.ENTRY) is not None
    assert budget.by_host() == {"portal.example.go.id": {"sent": 3, "shared": 0,
                                                         "over_budget": 1}}


def test_the_cache_holds_a_bounded_number_of_bytes() -> None:
    # Given a cache of 64 KiB: answers of 5 KiB each
    cache = ResponseCache(max_bytes=64 * 1024)
    for i in range(40):
        assert cache.claim(("GET", i), 10_000, time.monotonic() + 1) is None
        cache.finish(("GET", i), Exchange(200, body=b"x" * 5000, cap=10_000))
    # Then the total stays under the bound, the oldest went first
    assert cache.size <= 64 * 1024
    assert cache.claim(("GET", 39), 10_000, time.monotonic() + 1) is not None
    assert cache.claim(("GET", 0), 10_000, time.monotonic() + 1) is None
    cache.finish(("GET", 0), None)
    # And an answer larger than an eighth of the bound is never kept
    assert cache.claim("huge", 10**6, time.monotonic() + 1) is None
    cache.finish("huge", Exchange(200, body=b"x" * 20_000, cap=10**6))
    assert cache.claim("huge", 10**6, time.monotonic() + 1) is None
    cache.finish("huge", None)
