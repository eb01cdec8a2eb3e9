"""Error disclosure on benign requests, against real loopback servers."""

from __future__ import annotations

import json

from egov_audit.checks.errors._signatures import signatures

from egov_audit.demo.server import Request, Response, html

from ...conftest import AuditFn, ServeFn
from ..portal import HOME, by_check, check_ids, clean_site, text

ERRORS = ("errors",)

DJANGO_404 = """<!DOCTYPE html><html lang="en"><head><title>Page not found at /x/</title></head>
<body><div id="info"><p>Using the URLconf defined in <code>portal.urls</code>, Django tried these
URL patterns, in this order:</p></div><div id="explanation"><p>You're seeing this error because
you have <code>DEBUG = True</code> in your Django settings file.</p></div></body></html>"""

JAVA_500 = """<html><body><h1>HTTP Status 500 – Internal Server Error</h1><pre>
java.lang.NullPointerException: id
\tat id.go.contoh.portal.BeritaController.show(BeritaController.java:42)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)
</pre></body></html>"""

SQL_ERROR = ("<html><body><p>Error: You have an error in your SQL syntax; check the manual that "
             "corresponds to your MySQL server version for the right syntax to use near '' at "
             "line 1</p></body></html>")


def test_debug_404_page_and_sql_error_on_array_parameter(serve: ServeFn, audit: AuditFn) -> None:
    # Given a Django site in DEBUG whose home page breaks on ?id[]=
    def home(request: Request) -> Response:
        if "id%5B%5D" in request.query:
            return html(SQL_ERROR, status=500)
        return clean_site()["/"]  # type: ignore[return-value]

    routes = clean_site()
    routes["/"] = home
    site = serve(routes, fallback=html(DJANGO_404, status=404))
    # When the error checks run
    report = audit([site.url("/")], checks=ERRORS)
    # Then the debug page and the SQL error are reported, each once
    assert check_ids(report) == {"errors.debug_page", "errors.sql_error"}
    (debug,) = by_check(report, "errors.debug_page")
    assert "Django debug page" in debug.evidence.text
    assert {r["request"] for r in debug.details["requests"]} >= {"missing path"}
    (sql,) = by_check(report, "errors.sql_error")
    assert sql.details["requests"][0]["request"] == "array parameter"


def test_java_stack_trace_on_invalid_utf8(serve: ServeFn, audit: AuditFn) -> None:
    def home(request: Request) -> Response:
        if "%FF" in request.query.upper():
            return html(JAVA_500, status=500)
        return clean_site()["/"]  # type: ignore[return-value]

    routes = clean_site()
    routes["/"] = home
    site = serve(routes)
    report = audit([site.url("/")], checks=ERRORS)
    assert check_ids(report) == {"errors.stack_trace"}


def test_php_warning_with_path_is_debug_not_path_disclosure(
    serve: ServeFn, audit: AuditFn
) -> None:
    routes = clean_site()
    routes["/profil"] = html(
        "<br />\n<b>Warning</b>:  Undefined variable $x in <b>/home/diskominfo/public_html/"
        "profil.php</b> on line <b>12</b><br />\n<p>Profil</p>")
    routes["/layanan"] = html("<p>File tersimpan di /var/www/html/layanan/data.php</p>")
    site = serve(routes)
    report = audit([site.url("/")], checks=ERRORS)
    assert check_ids(report) == {"errors.debug_page", "errors.path_disclosure"}
    (path,) = by_check(report, "errors.path_disclosure")
    assert path.location == site.url("/layanan")


def test_generic_error_pages_are_fine(serve: ServeFn, audit: AuditFn) -> None:
    # Given a site with a plain custom 500 page for malformed input
    def home(request: Request) -> Response:
        if request.query:
            return html("<h1>Terjadi kesalahan</h1><p>Silakan coba lagi.</p>", status=500)
        return clean_site()["/"]  # type: ignore[return-value]

    routes = clean_site()
    routes["/"] = home
    site = serve(routes)
    report = audit([site.url("/")], checks=ERRORS)
    assert check_ids(report) == set()
    # and only benign requests were sent
    queries = {r.query for r in site.requests if r.query}
    assert queries == {"id%5B%5D=", "id=%FF%FE"}


def test_every_signature_names_an_existing_check() -> None:
    assert {s.check for s in signatures()} == {"stack_trace", "sql_error", "debug_page",
                                              "path_disclosure"}


LARAVEL_500 = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>ErrorException | Ignition</title></head><body>
<h1>Undefined array key "id"</h1><p>PHP 8.1.2 &middot; Laravel 9.52.16</p>
<pre>ErrorException: Undefined array key "id" in APP/app/Http/Controllers/Laporan.php:42
Stack trace:
#0 APP/vendor/laravel/framework/src/Illuminate/Foundation/Bootstrap/HandleExceptions.php(255)
#1 APP/app/Http/Controllers/Laporan.php(42): Illuminate\\Foundation\\{closure}()
</pre><table><tr><td>APP_ENV</td><td>local</td></tr><tr><td>APP_DEBUG</td><td>true</td></tr>
</table></body></html>""".replace("APP/", "/var/www/portal/")

PLAIN_500 = ("<html><head><title>500 Internal Server Error</title></head><body><center><h1>500 "
             "Internal Server Error</h1></center><hr><center>nginx</center></body></html>")


def test_exception_page_one_link_from_home_is_reported_with_its_page(
    serve: ServeFn, audit: AuditFn
) -> None:
    # Given a home page linking to a report page that fails with a Laravel debug
    # page, and to an archive that fails with a plain "500 Internal Server Error"
    routes = clean_site()
    routes["/"] = html(HOME.replace('<a href="/layanan">',
                                    '<a href="/laporan">Laporan</a> <a href="/arsip">Arsip</a> '
                                    '<a href="/layanan">'))
    routes["/laporan"] = html(LARAVEL_500, status=500)
    routes["/arsip"] = html(PLAIN_500, status=500)
    site = serve(routes)
    # When the error checks run (the crafted error requests all get plain answers)
    report = audit([site.url("/")], checks=ERRORS)
    # Then the debug page and its stack trace are reported where a visitor meets them
    assert check_ids(report) == {"errors.debug_page", "errors.stack_trace"}
    for finding in report.findings:
        assert finding.location == site.url("/laporan")
        assert finding.details["requests"] == [
            {"request": "crawled link", "url": site.url("/laporan"), "status": 500,
             "linked_from": site.url("/")}]
        assert (f"crawled link: GET {site.url('/laporan')} → 500, linked from {site.url('/')}"
                in finding.evidence.text)
    # and the plain 500 page was fetched and judged, and stays silent
    assert any(r.path == "/arsip" for r in site.requests)
    assert all("/arsip" not in f.evidence.text for f in report.findings)


LARAVEL_JSON_500 = json.dumps({
    "message": 'Undefined array key "id"', "exception": "ErrorException",
    "file": "/var/www/html/app/Http/Controllers/Api/WargaController.php", "line": 42,
    "trace": [{"file": "/var/www/html/vendor/laravel/framework/src/Illuminate/Foundation/"
                        "Bootstrap/HandleExceptions.php", "line": 266,
               "function": "handleError", "class": "Illuminate\\Foundation\\Bootstrap\\"
                                                   "HandleExceptions", "type": "->"}],
}, indent=4)


def test_api_answering_debug_json_is_reported_and_production_json_is_not(
    serve: ServeFn, audit: AuditFn
) -> None:
    # Given a page linking to two APIs that fail: one with Laravel's APP_DEBUG
    # JSON (exception, file, line, trace), one with its production answer
    json_type = [("Content-Type", "application/json")]
    routes = clean_site()
    routes["/berita"] = html('<p><a href="/api/v1/warga?page=1">Data</a> '
                             '<a href="/api/v1/agenda">Agenda</a></p>')
    routes["/api/v1/warga"] = Response(500, json_type, LARAVEL_JSON_500)
    routes["/api/v1/agenda"] = Response(500, json_type, '{"message": "Server Error"}')
    site = serve(routes)
    # When the error checks run
    report = audit([site.url("/")], checks=ERRORS)
    # Then the debug JSON is reported at the API, with the page that links to it
    assert check_ids(report) == {"errors.debug_page"}
    (finding,) = report.findings
    assert finding.location == site.url("/api/v1/warga?page=1")
    assert "Laravel debug JSON (APP_DEBUG=true)" in finding.evidence.text
    assert finding.details["requests"][0]["linked_from"] == site.url("/berita")
    # and the production answer was fetched and stays silent
    assert any(r.path == "/api/v1/agenda" for r in site.requests)


def test_api_named_only_in_a_script_failing_with_debug_json_says_where_it_was_found(
    serve: ServeFn, audit: AuditFn
) -> None:
    # Given a bundle that builds an API URL from a base constant, and the API
    # failing with Laravel's APP_DEBUG JSON
    routes = clean_site()
    routes["/assets/app.js"] = text('var e="/api/v1";function l(n){return fetch(e+"/laporan?'
                                    'tahun="+n)}l(2024);', "application/javascript")
    routes["/api/v1/laporan"] = Response(500, [("Content-Type", "application/json")],
                                         LARAVEL_JSON_500)
    site = serve(routes)
    # When the error checks run
    report = audit([site.url("/")], checks=ERRORS)
    # Then the failure is reported at the API, said to be named in a script
    (finding,) = report.findings
    assert finding.check == "errors.debug_page"
    assert finding.location.startswith(site.url("/api/v1/laporan?tahun="))
    assert finding.details["requests"][0]["request"] == "URL named in a script"
    assert "linked_from" not in finding.details["requests"][0]
