"""CORS on every API endpoint discovery found, not only the entry page.

The servers are real; the discovery stage is stood in for by a probe that
hands the CORS probe the API answers it would have found (``Crawl.apis``),
so these tests hold whatever way the endpoints were discovered.
"""

from __future__ import annotations

import time
from urllib.parse import urljoin

from egov_audit.checks.cors import null_origin, reflected_origin_credentials, wildcard_sensitive

from egov_audit.check import Check, CheckContext, Issue
from egov_audit.demo.server import LocalServer, Request, Response, Route, html
from egov_audit.model import Severity, Target
from egov_audit.options import ScanOptions
from egov_audit.probes.base import Probe, ProbeEnv, ProbeSession
from egov_audit.probes.cors import DISCOVERED_APIS, FOREIGN_ORIGIN, Cors, CorsProbe
from egov_audit.probes.crawl import Crawl
from egov_audit.probes.http import HttpClient
from egov_audit.probes.site import Site, SiteProbe
from egov_audit.scope import Scope

from ...conftest import ServeFn

RECORDS = ('{"data": [{"nama": "Warga Contoh", "nik": "3171234567890123", '
           '"no_hp": "081234567890"}], "page": 1}')
JSON = ("Content-Type", "application/json")
APIS = ("/api/v1/warga?page=1", "/api/v1/galeri", "/api/v1/pengumuman", "/api/v1/tertutup")


def _reflecting(request: Request) -> Response:
    """Any Origin copied back, with credentials: what a misconfigured framework does."""
    origin = request.headers.get("Origin")
    cors = [("Access-Control-Allow-Origin", origin),
            ("Access-Control-Allow-Credentials", "true")] if origin else []
    return Response(200, [JSON, *cors], RECORDS)


def _null_only(request: Request) -> Response:
    cors = [("Access-Control-Allow-Origin", "null")] if request.headers.get(
        "Origin") == "null" else []
    return Response(200, [JSON, *cors], '{"foto": ["/img/1.jpg"]}')


def portal() -> dict[str, Route]:
    return {
        "/": html("<html><head><title>Portal</title></head><body><p>Portal kota.</p>"
                  "<script src=/app.js></script></body></html>"),
        "/api/v1/warga": _reflecting,
        "/api/v1/galeri": _null_only,
        # Decoys: open data for everyone, and an API that allows no other origin
        "/api/v1/pengumuman": Response(200, [JSON, ("Access-Control-Allow-Origin", "*")],
                                       '{"judul": "Jadwal pelayanan KTP"}'),
        "/api/v1/tertutup": Response(200, [JSON], '{"status": "ok"}'),
    }


class StandInDiscovery(Probe):
    """The discovery stage's API answers, fetched with the real client; counts
    how often it was asked, to show who starts a crawl."""

    name = "http.crawl"
    snapshot = Crawl

    def __init__(self, paths: tuple[str, ...]) -> None:
        self.paths = paths
        self.runs = 0

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> Crawl:
        self.runs += 1
        apis = tuple(session.env.http.fetch(urljoin(target.primary_url, p)) for p in self.paths)
        return Crawl(start_url=target.primary_url, pages=(), scripts=(), source_maps=(),
                     documents=(), forms=(), robots_paths=(), external_links=(), limited=(),
                     apis=apis)


def session_for(site: LocalServer, discovery: Probe, items: frozenset[str],
                budget: int = 600, **settings: object) -> ProbeSession:
    options = ScanOptions(rate=500, connections=4, request_budget=budget,
                          settings=settings)  # type: ignore[arg-type]
    scope = Scope.of(["127.0.0.1"])
    env = ProbeEnv(options, scope, HttpClient(options, scope), time.monotonic() + 60)
    url = site.url("/")
    probes = {"http.site": SiteProbe(), "http.cors": CorsProbe(), "http.crawl": discovery}
    return ProbeSession(Target(url, "127.0.0.1", url, None), env, probes,
                        {"http.cors": items})


def run(chk: Check, session: ProbeSession) -> list[Issue]:
    ctx = CheckContext(session.target, {Cors: session.get(Cors), Site: session.get(Site)},
                       needs=chk.needs)
    return chk.run(ctx)


def test_every_discovered_api_is_probed_and_named(serve: ServeFn) -> None:
    # Given a portal whose home page sends no CORS headers, and four APIs found
    # by discovery: one reflecting any origin with credentials over residents'
    # records, one accepting null, one open-data API (*) and one closed API
    # (the residents' list answered on two pages)
    site = serve(portal())
    session = session_for(site, StandInDiscovery((*APIS, "/api/v1/warga?page=2")),
                          frozenset({DISCOVERED_APIS}))
    # When the CORS checks run
    reflected = run(reflected_origin_credentials, session)
    null = run(null_origin, session)
    wildcard = run(wildcard_sensitive, session)
    # Then the reflecting API is reported, by its own URL, as an API
    warga = site.url("/api/v1/warga?page=1")
    (issue,) = reflected
    assert issue.location == warga
    assert issue.evidence.startswith(f"GET API {warga} with Origin: {FOREIGN_ORIGIN}")
    assert issue.details["source"] == "API"
    # and null is accepted by the reflecting API (with credentials) and the gallery
    assert {(i.location, i.severity) for i in null} == {
        (warga, Severity.HIGH), (site.url("/api/v1/galeri"), None)}
    # and the open-data API is not sensitive, the worse case is not repeated
    assert wildcard == []
    # and every API, the closed one too, really received both origins
    for path in ("/api/v1/warga", "/api/v1/galeri", "/api/v1/pengumuman", "/api/v1/tertutup"):
        sent = {r.headers.get("Origin") for r in site.requests if r.path == path}
        assert {FOREIGN_ORIGIN, "null"} <= sent, path
    assert session.get(Cors).limited == ()
    # and the second page of the list, configured like the first, was not asked again
    assert {r.query for r in site.requests if r.path == "/api/v1/warga"
            and r.headers.get("Origin")} == {"page=1"}


def test_wildcard_api_carrying_personal_data_is_reported_at_the_api(serve: ServeFn) -> None:
    routes = portal()
    routes["/api/v1/pengumuman"] = Response(200, [JSON, ("Access-Control-Allow-Origin", "*")],
                                            RECORDS)
    site = serve(routes)
    session = session_for(site, StandInDiscovery(("/api/v1/pengumuman",)),
                          frozenset({DISCOVERED_APIS}))
    (issue,) = run(wildcard_sensitive, session)
    assert issue.location == site.url("/api/v1/pengumuman")
    assert "carries personal data" in issue.evidence


def test_api_probing_stops_at_max_apis_and_says_so(serve: ServeFn) -> None:
    site = serve(portal())
    session = session_for(site, StandInDiscovery(APIS), frozenset({DISCOVERED_APIS}),
                          cors={"max_apis": 1})
    cors = session.get(Cors)
    assert [e.url for e in cors.apis] == [site.url("/api/v1/warga?page=1")]
    assert cors.limited == ("max_apis: 3 API endpoints not probed",)
    assert not any(r.headers.get("Origin") for r in site.requests
                   if r.path == "/api/v1/tertutup")


def test_entry_page_only_when_no_check_asks_for_apis(serve: ServeFn) -> None:
    # Given the header grade, which reads the entry page's CORS answer only
    site = serve(portal())
    discovery = StandInDiscovery(APIS)
    session = session_for(site, discovery, frozenset())
    # When the CORS probe runs without the DISCOVERED_APIS item
    cors = session.get(Cors)
    # Then no crawl was started for it and only the entry page was probed
    assert discovery.runs == 0
    assert [e.url for e in cors.everything] == [site.url("/")]


def test_apis_the_budget_refused_are_named(serve: ServeFn) -> None:
    # Given room for nine requests: the entry page, four API answers, and the
    # entry page's and one API's two cross-origin requests
    site = serve(portal())
    session = session_for(site, StandInDiscovery(APIS), frozenset({DISCOVERED_APIS}),
                          budget=9)
    # When the CORS probe runs
    cors = session.get(Cors)
    # Then the first API was probed, and the three the budget refused are named
    assert [e.url for e in cors.apis if e.foreign.ok] == [site.url("/api/v1/warga?page=1")]
    (line,) = cors.limited
    assert line.startswith("3 URLs not fully probed: skipped: request budget of 9 for host")
    assert len(site.requests) == 9
