"""The path-sweep, error-page and cloaking probes against real servers."""

from __future__ import annotations

import time

from egov_audit.check import Snapshot
from egov_audit.demo.server import Response
from egov_audit.model import Target
from egov_audit.options import ScanOptions
from egov_audit.probes.base import Probe, ProbeEnv, ProbeSession
from egov_audit.probes.cloaking import CloakingProbe, CloakingViews
from egov_audit.probes.crawl import Crawl, CrawlProbe
from egov_audit.probes.http import HttpClient, HttpResponse
from egov_audit.probes.paths import CRAWL_DIRS, PathSweep, PathSweepProbe, expand
from egov_audit.probes.soft404 import NotFoundProbe
from egov_audit.scope import Scope

from ...conftest import ServeFn
from ..portal import clean_site, html


def session_for(url: str, items: frozenset[str], **settings: object) -> ProbeSession:
    options = ScanOptions(rate=500, connections=4, settings=settings)  # type: ignore[arg-type]
    scope = Scope.of(["127.0.0.1"])
    env = ProbeEnv(options, scope, HttpClient(options, scope), time.monotonic() + 60)
    probes: dict[str, Probe] = {"http.paths": PathSweepProbe(), "http.not_found": NotFoundProbe(),
                                "http.crawl": CrawlProbe(), "http.cloaking": CloakingProbe()}
    return ProbeSession(Target(url, "127.0.0.1", url, None), env, probes,
                        {"http.paths": items, "http.cloaking": frozenset()})


def test_expand_fills_host_and_first_label() -> None:
    assert expand("/{host}.zip", "portal.example.go.id") == "/portal.example.go.id.zip"
    assert expand("/{name}.sql", "portal.example.go.id") == "/portal.sql"
    assert expand("/{name}.sql", "127.0.0.1") == "/127.0.0.1.sql"


def test_sweep_caps_bodies_and_keeps_the_not_found_profile(serve: ServeFn) -> None:
    # Given a large file among the swept paths
    site = serve({**clean_site(), "/big.sql": Response(200, [("Content-Type", "text/plain")],
                                                       b"x" * 100_000)})
    session = session_for(site.url("/"), frozenset({"/big.sql", "/nope"}),
                          paths={"max_bytes": 4096})
    sweep: Snapshot = session.get(PathSweep)
    assert isinstance(sweep, PathSweep)
    big = sweep.get("/big.sql")
    # Then only the cap was read, and the judgement primitive is at hand
    assert big is not None and len(big.response.body) == 4096 and big.response.truncated
    assert sweep.profile is not None and sweep.present(big)
    nope = sweep.get("/nope")
    assert nope is not None and not sweep.present(nope)


def test_sweep_without_items_sends_nothing(serve: ServeFn) -> None:
    site = serve(clean_site())
    sweep = session_for(site.url("/"), frozenset()).get(PathSweep)
    assert sweep.results == () and sweep.profile is None
    assert site.requests == []


def test_crawl_dirs_are_parents_of_crawled_files(serve: ServeFn) -> None:
    routes = clean_site()
    routes["/"] = html('<a href="/files/2024/a/laporan.pdf">x</a>')
    routes["/files/2024/a/laporan.pdf"] = Response(200, [("Content-Type", "application/pdf")],
                                                   b"%PDF-1.4")
    site = serve(routes)
    sweep = session_for(site.url("/"), frozenset({CRAWL_DIRS})).get(PathSweep)
    assert [r.path for r in sweep.derived] == ["/files/2024/a/", "/files/2024/", "/files/"]


def test_cloaking_views_send_three_identities(serve: ServeFn) -> None:
    # Given a four-page site (home, /profil, /berita, /layanan)
    site = serve(clean_site())
    # When the views are collected
    views = session_for(site.url("/"), frozenset()).get(CloakingViews)
    # Then the entry page comes first and every crawled page is seen three ways
    assert [p.url for p in views.pages] == [site.url(p) for p in
                                            ("/", "/profil", "/berita", "/layanan")]
    for page in views.pages:
        assert [n for n, _ in page.views] == ["browser", "googlebot", "search_referrer"]
    agents = [r.headers.get("User-Agent", "") for r in site.requests]
    assert sum("Googlebot" in a for a in agents) == 4
    assert sum(r.headers.get("Referer", "").startswith("https://www.google.") for r in
               site.requests) == 4
    assert views.limited == ()


def test_cloaking_views_say_which_pages_the_bound_left_out(serve: ServeFn) -> None:
    site = serve(clean_site())
    views = session_for(site.url("/"), frozenset(), cloaking={"max_pages": 2}).get(CloakingViews)
    assert [p.url for p in views.pages] == [site.url("/"), site.url("/profil")]
    assert views.limited == ("max_pages: 2 crawled pages not viewed as Googlebot or a search "
                             "visitor",)


class _CrawledPages(Probe):
    """The crawl's HTML pages, as discovery would hand them over, without requests."""

    name = "http.crawl"
    snapshot = Crawl

    def __init__(self, urls: list[str]) -> None:
        self.urls = urls

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> Crawl:
        pages = tuple(HttpResponse("GET", u, u, 200, headers=(("Content-Type", "text/html"),),
                                   body=b"<p>x</p>") for u in self.urls)
        return Crawl(target.primary_url, pages, (), (), (), (), (), (), ())


def test_cloaking_views_the_budget_refused_are_named(serve: ServeFn) -> None:
    # Given a host with room for four more requests, and two pages to view three ways
    site = serve(clean_site())
    options = ScanOptions(rate=500, connections=4, request_budget=4)
    scope = Scope.of(["127.0.0.1"])
    env = ProbeEnv(options, scope, HttpClient(options, scope), time.monotonic() + 60)
    url = site.url("/")
    session = ProbeSession(Target(url, "127.0.0.1", url, None), env,
                           {"http.cloaking": CloakingProbe(),
                            "http.crawl": _CrawledPages([url, site.url("/profil")])}, {})
    # When the views are collected
    views = session.get(CloakingViews)
    # Then four were requested, and the two the budget refused are named with the reason
    assert len(site.requests) == 4
    (line,) = views.limited
    assert line.startswith("2 views not requested: skipped: request budget of 4 for host")
