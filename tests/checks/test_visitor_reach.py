"""What a visitor reaches, judged where it is: issue 13's imitation city portal.

The home page is clean. One click away, a report page fails with a Laravel
debug page and a service page shows gambling spam to Googlebot only. The
residents' API is named only in the JavaScript bundle (a constant base joined
to a path and a page parameter) and its source map; it reflects any Origin
with credentials and lets proxies cache residents' records. Decoys that must
stay silent: a plain "500 Internal Server Error" page, a page whose every
view differs only by a timestamp, and an API-looking string in the bundle
that answers 404.
"""

from __future__ import annotations

import json
from datetime import datetime

from egov_audit.demo.server import Request, Response, Route, html
from egov_audit.pii.synthetic import Synthetic
from egov_audit.probes.cors import FOREIGN_ORIGIN

from ..conftest import AuditFn, ServeFn

JS = [("Content-Type", "application/javascript")]
JSON = [("Content-Type", "application/json")]

HOME = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>Portal Resmi Pemerintah Kota Contoh</title></head><body>
<h1>Pemerintah Kota Contoh</h1><p>Informasi layanan perizinan, kependudukan dan pengaduan.</p>
<p><a href="/profil">Profil</a> <a href="/layanan">Layanan</a> <a href="/laporan">Laporan</a>
<a href="/arsip">Arsip</a></p><script src="/static/app.js"></script></body></html>"""

BUNDLE = ('var e="/api/v1";function l(n){return fetch(e+"/warga?page="+n)'
          '.then(function(r){return r.json()})}var d="/api/v1/legacy-list";l(1);\n'
          "//# sourceMappingURL=app.js.map\n")
SOURCE_MAP = json.dumps({
    "version": 3, "sources": ["src/api.js"], "mappings": "",
    "sourcesContent": ['const API_BASE = "/api/v1";\nexport const daftarWarga = (page) =>\n'
                       '  fetch(API_BASE + "/warga?page=" + page).then((r) => r.json());\n'],
}).encode()

LARAVEL_500 = """<!DOCTYPE html><html><head><title>ErrorException | Ignition</title></head>
<body><h1>Undefined variable $tahun</h1><p>PHP 8.1.2 &middot; Laravel 9.52.16</p><pre>
ErrorException: Undefined variable $tahun in /var/www/portal/app/Http/Controllers/Laporan.php:18
Stack trace:
#0 /var/www/portal/app/Http/Controllers/Laporan.php(18): handleError()
</pre><table><tr><td>APP_DEBUG</td><td>true</td></tr></table></body></html>"""
PLAIN_500 = ("<html><head><title>500 Internal Server Error</title></head><body><center><h1>"
             "500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>")
SPAM = ('<div style="display:none"><a href="https://gacor-a.invalid/">slot gacor</a> '
        '<a href="https://toto-b.invalid/">situs toto</a> <a href="https://max-c.invalid/">'
        "slot88 maxwin</a></div>")


def _residents() -> list[dict[str, str]]:
    gen = Synthetic(13)
    return [{"nama": gen.name(), "nik": gen.nik(), "no_kk": gen.kk(), "no_hp": gen.phone(),
             "alamat": f"Jl. Melati No. {n}, RT 00{n}/RW 002"} for n in range(1, 13)]


RESIDENTS = _residents()


def warga(request: Request) -> Response:
    """The residents' API: any Origin reflected with credentials, cacheable for
    ten minutes, twelve records on page 1 and an empty page 2."""
    rows = RESIDENTS if "page=1" in request.query else []
    origin = request.headers.get("Origin")
    cors = [("Access-Control-Allow-Origin", origin),
            ("Access-Control-Allow-Credentials", "true")] if origin else []
    return Response(200, [*JSON, ("Cache-Control", "public, max-age=600"), *cors],
                    json.dumps({"data": rows}))


def layanan(request: Request) -> Response:
    if "Googlebot" in request.headers.get("User-Agent", ""):
        return html(f"<html><head><title>Slot Gacor Maxwin Hari Ini</title></head><body>"
                    f"<p>Layanan publik.</p>{SPAM}</body></html>")
    return html("<html><head><title>Layanan</title></head><body><p>Layanan publik.</p>"
                "</body></html>")


def profil(request: Request) -> Response:
    now = datetime.now().strftime("%H:%M:%S.%f")
    return html(f"<html><head><title>Profil — {now}</title></head><body><p>Profil kota, "
                f"dibuat {now}.</p></body></html>")


def portal() -> dict[str, Route]:
    return {
        "/": html(HOME),
        "/robots.txt": Response(200, [("Content-Type", "text/plain")], "User-agent: *\n"),
        "/static/app.js": Response(200, JS, BUNDLE),
        "/static/app.js.map": Response(200, JSON, SOURCE_MAP),
        "/api/v1/warga": warga,
        "/laporan": html(LARAVEL_500, status=500),
        "/arsip": html(PLAIN_500, status=500),
        "/layanan": layanan,
        "/profil": profil,
    }


def test_what_a_visitor_reaches_is_judged_where_it_is(serve: ServeFn, audit: AuditFn) -> None:
    # Given the portal
    site = serve(portal())
    api = site.url("/api/v1/warga?page=1")
    # When the families that judge what a visitor reaches run
    report = audit([site.url("/")], checks=("errors", "integrity", "cors", "pii"))
    where = {(f.check, f.location) for f in report.findings}
    # Then the exception page one link away is reported at that page
    assert ("errors.debug_page", site.url("/laporan")) in where
    # and the inner page cloaked for Googlebot at that page
    assert ("integrity.cloaking", site.url("/layanan")) in where
    assert ("integrity.gambling_spam", site.url("/layanan")) in where
    # and the API named only in the bundle: its CORS policy, its residents' data
    # and its caching, each at the API
    assert ("cors.reflected_origin_credentials", api) in where
    assert ("cors.null_origin", api) in where
    assert ("pii.cacheable_response", api) in where
    assert {c for c, loc in where if loc == api and c.startswith("pii.")} - {
        "pii.cacheable_response"}, "the residents' records themselves are not reported"
    # and the decoys stay silent
    silent = [site.url(p) for p in ("/arsip", "/profil", "/api/v1/legacy-list")]
    assert not [(c, loc) for c, loc in where if loc in silent]
    assert {r.path for r in site.requests} >= {"/arsip", "/profil", "/api/v1/legacy-list"}
    # and the CORS probe really asked the API with a foreign origin
    assert any(r.path == "/api/v1/warga" and r.headers.get("Origin") == FOREIGN_ORIGIN
               for r in site.requests)
    # and nothing a resident owns was copied into the report
    text = repr(report)
    assert not [r for r in RESIDENTS if r["nik"] in text or r["no_hp"] in text]
