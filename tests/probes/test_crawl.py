"""The crawler against a real loopback site: what it collects, where it stops."""

from __future__ import annotations

from egov_audit.check import Snapshot
from egov_audit.demo.server import Response, html
from egov_audit.model import Target
from egov_audit.options import ScanOptions
from egov_audit.probes.base import ProbeEnv, ProbeSession
from egov_audit.probes.crawl import Crawl, CrawlProbe
from egov_audit.probes.http import HttpClient
from egov_audit.scope import Scope

from ..conftest import ServeFn


def crawl(target_url: str, host: str = "127.0.0.1", **settings: int) -> Crawl:
    import time

    options = ScanOptions(rate=500, connections=4, settings={"crawl": settings})
    scope = Scope.of([host])
    env = ProbeEnv(options, scope, HttpClient(options, scope), time.monotonic() + 60)
    target = Target(target_url, host, target_url, None)
    session = ProbeSession(target, env, {"http.crawl": CrawlProbe()}, {})
    snapshot: Snapshot = session.get(Crawl)
    assert isinstance(snapshot, Crawl)
    return snapshot


def test_crawl_collects_pages_scripts_maps_documents_and_forms(serve: ServeFn) -> None:
    # Given a small site with a page, a script with a source map, a spreadsheet,
    # a form, an external link, robots.txt and a sitemap
    elsewhere = serve({"/": html("x")}, host="127.0.0.2")
    site = serve({
        "/": html(
            '<a href="/profil">Profil</a> <a href="/data/penerima.xlsx">Data</a>'
            f'<a href="{elsewhere.url("/")}">luar</a><script src="/app.js"></script>'
            '<form action="/daftar" method="post"><input name="nik"><input name="hp" '
            'type="tel"></form>'
        ),
        "/profil": html("<p>profil</p>"),
        "/app.js": Response(200, [("Content-Type", "application/javascript")],
                            b"var a=1;\n//# sourceMappingURL=app.js.map\n"),
        "/app.js.map": Response(200, [("Content-Type", "application/json")],
                                b'{"version":3,"sources":["src/app.ts"]}'),
        "/data/penerima.xlsx": Response(200, [("Content-Type", "application/vnd.ms-excel")],
                                        b"PK\x03\x04fake"),
        "/robots.txt": Response(200, [("Content-Type", "text/plain")],
                                b"User-agent: *\nDisallow: /arsip/\n"),
        "/arsip/": html("<p>arsip lama</p>"),
        "/sitemap.xml": Response(200, [("Content-Type", "application/xml")],
                                 b"<urlset><url><loc>/berita</loc></url></urlset>"),
        "/berita": html("<p>berita</p>"),
    })
    # When it is crawled
    result = crawl(site.url("/"))
    # Then every kind of resource is collected, by kind
    pages = {r.final_url for r in result.pages}
    assert {site.url("/"), site.url("/profil"), site.url("/arsip/")} <= pages
    assert [r.url for r in result.scripts] == [site.url("/app.js")]
    assert [r.url for r in result.source_maps] == [site.url("/app.js.map")]
    assert [r.url for r in result.documents] == [site.url("/data/penerima.xlsx")]
    assert result.robots_paths == ("/arsip/",)
    (form,) = result.forms
    assert form.action == site.url("/daftar") and form.method == "post"
    assert [f.name for f in form.fields] == ["nik", "hp"]
    # and the site map says how each was found
    entries = {(e.url.removeprefix(site.url("")), e.kind, e.found_by, e.status)
               for e in result.site_map}
    assert {("/", "page", "entry", 200), ("/profil", "page", "link", 200),
            ("/app.js", "script", "script", 200), ("/app.js.map", "source_map", "script", 200),
            ("/data/penerima.xlsx", "document", "link", 200),
            ("/daftar", "form", "form", None), ("/arsip/", "directory", "robots", 200),
            ("/sitemap.xml", "document", "sitemap", 200),
            ("/berita", "page", "sitemap", 200)} <= entries
    assert not any(e.url.startswith(elsewhere.url("")) for e in result.site_map)
    # and nothing outside the origin was requested, nothing was posted
    assert elsewhere.url("/") in result.external_links
    assert elsewhere.requests == []
    assert {r.method for r in site.requests} <= {"GET"}


def test_crawl_respects_page_and_depth_limits(serve: ServeFn) -> None:
    # Given a chain of pages /p0 -> /p1 -> ... -> /p9
    routes = {f"/p{i}": html(f'<a href="/p{i + 1}">next</a>') for i in range(10)}
    routes["/"] = html('<a href="/p0">start</a>')
    site = serve(routes)
    # When depth is limited to 2
    result = crawl(site.url("/"), max_depth=2)
    # Then only the start page and two levels are fetched, and the limit is reported
    assert {r.url for r in result.pages} == {site.url("/"), site.url("/p0"), site.url("/p1")}
    assert "max_depth" in result.limited
    fetched = {r.path for r in site.requests}
    assert "/p2" not in fetched


def test_crawl_page_limit(serve: ServeFn) -> None:
    links = "".join(f'<a href="/n{i}">{i}</a>' for i in range(50))
    routes = {"/": html(links), **{f"/n{i}": html("leaf") for i in range(50)}}
    site = serve(routes)
    result = crawl(site.url("/"), max_pages=5)
    assert len(result.pages) == 5
    assert "max_pages" in result.limited
