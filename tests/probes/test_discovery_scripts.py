"""Discovery from JavaScript: a resident API that only a bundle and its source map name.

The fixture is an imitation city portal on loopback whose home page links no
API at all. Its minified bundle builds the API URL from a constant base, a
path and a page parameter; its source map carries the readable original.
Decoys: API-looking strings that answer 404, a path in a comment, a POST
call, a library source inside node_modules, and a script on another origin.
"""

from __future__ import annotations

import json

from egov_audit.demo.server import Request, Response, html
from egov_audit.model import SiteMapEntry

from ..conftest import ServeFn
from .test_crawl import crawl

JS = [("Content-Type", "application/javascript")]
JSON = [("Content-Type", "application/json")]

BUNDLE = (
    '/* portal v2 */var e="/api/v1";'
    'function l(n){return fetch(e+"/warga?page="+n).then(function(r){return r.json()})}'
    '// fetch("/api/v1/internal-secret")\n'
    'var d="/api/v1/legacy-list";'  # an API-looking string: answers 404
    'function s(x){return $.post("/api/v1/pengaduan",x)}'  # a write: listed, never sent
    'var m=/"/g,t=\'a\';'  # a regex literal with a quote must not upset the reader
    'l(1);\n'
    "//# sourceMappingURL=app.js.map\n"
)
SOURCE = (
    'const API_BASE = "/api/v1";\n'
    "// TODO: remove fetch('/api/v1/debug-dump') before release\n"
    "export function daftarWarga(page) {\n"
    '  return fetch(API_BASE + "/warga?page=" + page).then((r) => r.json());\n'
    "}\n"
    "export const statistik = () => fetch(`${API_BASE}/statistik`);\n"
)
LIBRARY = 'module.exports = { endpoint: "/api/lib-only" };'
SOURCE_MAP = json.dumps({
    "version": 3,
    "sources": ["src/api.js", "node_modules/lib/index.js"],
    "sourcesContent": [SOURCE, LIBRARY],
    "mappings": "",
}).encode()
RESIDENTS = [
    [{"nik": "3201015506900001", "nama": "Siti", "hp": "081234567890"}],
    [{"nik": "3171011708450001", "nama": "Budi", "hp": "081298765432"}],
    [],
]


def warga(request: Request) -> Response:
    page = int(dict(p.split("=", 1) for p in request.query.split("&") if "=" in p)
               .get("page", "1"))
    rows = RESIDENTS[page - 1] if 1 <= page <= len(RESIDENTS) else []
    return Response(200, JSON, json.dumps({"data": rows, "page": page}))


def portal(serve: ServeFn) -> tuple[str, list[Request], str]:
    elsewhere = serve({"/cdn.js": Response(200, JS, 'fetch("/api/v1/cdn-only")')},
                      host="127.0.0.2")
    site = serve({
        "/": html('<h1>Portal Kota</h1><script src="/static/app.js"></script>'
                  f'<script src="{elsewhere.url("/cdn.js")}"></script>'),
        "/static/app.js": Response(200, JS, BUNDLE),
        "/static/app.js.map": Response(200, JSON, SOURCE_MAP),
        "/api/v1/warga": warga,
        "/api/v1/statistik": Response(200, JSON, b'{"penduduk": 120000}'),
    })
    return site.url(""), site.requests, elsewhere.url("")


def by_url(entries: tuple[SiteMapEntry, ...], base: str) -> dict[str, SiteMapEntry]:
    return {e.url.removeprefix(base): e for e in entries}


def test_the_resident_api_named_only_in_a_bundle_is_requested(serve: ServeFn) -> None:
    # Given a portal whose API is built in its bundle from a base, a path and a page
    base, requests, _ = portal(serve)
    # When it is discovered
    result = crawl(base + "/")
    # Then the API's pages were requested and their JSON answers kept,
    apis = [r.url.removeprefix(base) for r in result.apis]
    assert {"/api/v1/warga?page=1", "/api/v1/warga?page=2", "/api/v1/warga?page=3"} <= set(apis)
    # pagination stopped at the empty page 3, and the source map's template call was read
    assert "/api/v1/statistik" in apis
    assert "page=4" not in {r.query for r in requests if r.path == "/api/v1/warga"}
    seen = by_url(result.site_map, base)
    assert seen["/api/v1/warga?page=1"] == SiteMapEntry(base + "/api/v1/warga?page=1", "api",
                                                        "script", 200)
    assert seen["/api/v1/warga?page=2"].found_by == "pagination"
    assert seen["/api/v1/statistik"] == SiteMapEntry(base + "/api/v1/statistik", "api",
                                                     "source_map", 200)
    assert seen["/static/app.js"] == SiteMapEntry(base + "/static/app.js", "script", "script",
                                                  200)
    assert seen["/static/app.js.map"].kind == "source_map"
    assert seen["/"] == SiteMapEntry(base + "/", "page", "entry", 200)


def test_the_decoys_in_a_bundle_stay_silent(serve: ServeFn) -> None:
    base, requests, elsewhere = portal(serve)
    result = crawl(base + "/")
    seen = by_url(result.site_map, base)
    # An API-looking string that answers 404 is listed with its status, never as an API answer
    assert seen["/api/v1/legacy-list"] == SiteMapEntry(base + "/api/v1/legacy-list", "api",
                                                       "script", 404)
    assert all("legacy-list" not in r.url for r in result.apis)
    # a POST call is listed and never requested, not even with GET
    assert seen["/api/v1/pengaduan"] == SiteMapEntry(base + "/api/v1/pengaduan", "api",
                                                     "script", None)
    paths = [r.path for r in requests]
    assert "/api/v1/pengaduan" not in paths
    # paths in comments, a library's strings and another origin's script leave no trace
    for silent in ("internal-secret", "debug-dump", "lib-only", "cdn-only"):
        assert not any(silent in e.url for e in result.site_map), silent
        assert not any(silent in p for p in paths), silent
    assert not any(e.url.startswith(elsewhere) for e in result.site_map)
    # and the scanner only read
    assert {r.method for r in requests} <= {"GET"}


def test_inline_scripts_are_read_too(serve: ServeFn) -> None:
    # Given a page whose inline script calls an API through jQuery and an axios instance
    site = serve({
        "/": html('<script>var c = axios.create({baseURL: "/svc"});'
                  'c.get("/layanan");$.getJSON("/data/json/kecamatan");</script>'),
        "/svc/layanan": Response(200, JSON, b"[1]"),
        "/data/json/kecamatan": Response(200, JSON, b'{"kecamatan": []}'),
    })
    result = crawl(site.url("/"))
    seen = by_url(result.site_map, site.url(""))
    assert seen["/svc/layanan"] == SiteMapEntry(site.url("/svc/layanan"), "api", "script", 200)
    assert seen["/data/json/kecamatan"].status == 200
    assert {r.url for r in result.apis} == {site.url("/svc/layanan"),
                                            site.url("/data/json/kecamatan")}


def test_script_text_read_in_all_is_bounded(serve: ServeFn) -> None:
    # Given three 2 MB hostile bundles (an unclosed quote on every line), the last
    # one calling an API at its very end
    hostile = ('"' + "a" * 60 + "\n") * (2 * 1024 * 1024 // 62)
    site = serve({
        "/": html("".join(f'<script src="/b{i}.js"></script>' for i in range(3))),
        "/b0.js": Response(200, JS, hostile),
        "/b1.js": Response(200, JS, hostile),
        "/b2.js": Response(200, JS, hostile + 'fetch("/api/setelah-batas")'),
    })
    # When the crawl may read 3 MB of script text in all
    result = crawl(site.url("/"), max_script_chars=3 * 1024 * 1024)
    # Then all three were fetched (the secrets families read them), the bound is
    # named, and what lies past it was not read
    assert len(result.scripts) == 3
    assert "max_script_chars" in result.limited
    assert not any("setelah-batas" in e.url for e in result.site_map)
