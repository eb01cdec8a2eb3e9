"""What discovery does at its bounds: the host's request budget, the site map's size."""

from __future__ import annotations

import time

from egov_audit.demo.server import Response, html
from egov_audit.model import Target
from egov_audit.options import ScanOptions
from egov_audit.probes.base import ProbeEnv, ProbeSession
from egov_audit.probes.crawl import Crawl, CrawlProbe
from egov_audit.probes.http import HttpClient
from egov_audit.probes.site_map import SiteMapBuilder
from egov_audit.scope import Scope

from ..conftest import ServeFn
from .test_crawl import crawl


def test_what_the_request_budget_cuts_is_listed_and_named(serve: ServeFn) -> None:
    # Given a site with more links than a host's request budget allows
    server = serve({"/": html("".join(f'<a href="/p{i}">{i}</a>' for i in range(20)))},
                   fallback=html("leaf"))
    options = ScanOptions(rate=500, connections=4, request_budget=8)
    scope = Scope.of(["127.0.0.1"])
    env = ProbeEnv(options, scope, HttpClient(options, scope), time.monotonic() + 60)
    url = server.url("/")
    session = ProbeSession(Target(url, "127.0.0.1", url, None), env,
                           {"http.crawl": CrawlProbe()}, {})
    # When it is discovered
    result = session.get(Crawl)
    # Then the budget is named, the requests stayed within it, and the links it cut
    # are still listed, with no status
    assert "request_budget" in result.limited
    assert len(server.requests) <= 8
    unanswered = [e for e in result.site_map if e.kind == "page" and e.status is None]
    assert unanswered and all(e.found_by == "link" for e in unanswered)


def test_the_site_map_is_bounded_and_says_so(serve: ServeFn) -> None:
    # Given a page with 50 links and a site map bound of 10 entries
    server = serve({"/": html("".join(f'<a href="/p{i}">{i}</a>' for i in range(50)))},
                   fallback=html("leaf"))
    result = crawl(server.url("/"), max_site_map=10)
    # Then the map holds 10 entries, the entry page first, and the bound is named
    assert len(result.site_map) == 10 and result.site_map[0].found_by == "entry"
    assert "max_site_map" in result.limited


def test_the_first_way_a_url_was_found_is_kept() -> None:
    built = SiteMapBuilder(limit=3)
    built.add("http://h/", "page", "entry")
    built.add("http://h/", "page", "link")  # named again by a link
    built.add("http://h/api/x", "api", "script")
    built.answered("http://h/api/x", 404)
    built.answered("http://h/x", 500, "error")  # answered before it was listed
    built.add("http://h/y", "page", "link")  # over the bound
    assert [(e.url, e.kind, e.found_by, e.status) for e in built.entries()] == [
        ("http://h/", "page", "entry", None), ("http://h/api/x", "api", "script", 404),
        ("http://h/x", "error", "link", 500)]
    assert built.dropped == 1


def test_api_requests_stop_at_max_apis_and_the_rest_stay_listed(serve: ServeFn) -> None:
    # Given a bundle calling 30 API endpoints
    calls = "".join(f'fetch("/api/r{i}");' for i in range(30))
    server = serve({"/": html(f"<script>{calls}</script>")},
                   fallback=Response(200, [("Content-Type", "application/json")], b"[1]"))
    # When discovery may request 12 of them
    result = crawl(server.url("/"), max_apis=12)
    # Then 12 were requested, the bound is named, and the other 18 are listed unrequested
    assert len([r for r in server.requests if r.path.startswith("/api/")]) == 12
    assert "max_apis" in result.limited
    apis = [e for e in result.site_map if e.kind == "api"]
    assert len(apis) == 30 and sum(e.status is None for e in apis) == 18
