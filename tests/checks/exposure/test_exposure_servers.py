"""Path rules against real loopback servers: found when there, never fooled
by catch-all answers."""

from __future__ import annotations

import json

from egov_audit.demo.server import Response, html, redirect
from egov_audit.model import Severity

from ...conftest import AuditFn, ServeFn
from ..portal import FAMILIES, HOME, by_check, check_ids, clean_site, text, zip_bytes

DS_STORE = bytes.fromhex(
    "0000000142756431000010000000080000001000000000000000000000000000000000"
    "0000000a006200610063006b00750070002e007a00690070496c6f63"
)


def test_clean_site_has_no_findings(serve: ServeFn, audit: AuditFn) -> None:
    # Given an ordinary site whose unknown paths answer 404
    site = serve(clean_site())
    # When every check of the four families runs
    report = audit([site.url("/")], checks=FAMILIES)
    # Then nothing is reported, and every probe answered
    assert check_ids(report) == set()
    assert all(p.ok for p in report.outcomes[0].probes)


def test_soft_404_site_answering_200_everywhere_has_no_findings(
    serve: ServeFn, audit: AuditFn
) -> None:
    # Given a site that answers its home page, with 200, for every path
    site = serve(clean_site(), fallback=html(HOME))
    # When the sweep asks for .git, .env, backups, admin panels...
    report = audit([site.url("/")], checks=FAMILIES)
    # Then none of those 200s is taken for evidence
    assert check_ids(report) == set()
    swept = {r.path for r in site.requests}
    assert {"/.git/HEAD", "/.env", "/backup.zip", "/phpinfo.php"} <= swept


def test_site_answering_html_for_dotenv_is_not_an_exposed_env(
    serve: ServeFn, audit: AuditFn
) -> None:
    # Given a CMS that renders a (different) HTML page at /.env and /.git/HEAD
    routes = clean_site()
    routes["/.env"] = html("<html><head><title>Halaman</title></head><body><p>APP_ENV=production"
                           " disebut di artikel ini.</p></body></html>")
    routes["/.git/HEAD"] = html("<html><body><p>ref: refs/heads/main</p></body></html>")
    site = serve(routes)
    report = audit([site.url("/")], checks=FAMILIES)
    # Then the HTML is not mistaken for the files
    assert check_ids(report) == set()


def test_catch_all_redirect_to_home_has_no_findings(serve: ServeFn, audit: AuditFn) -> None:
    site = serve(clean_site())
    site.fallback = redirect(site.url("/"), 302)
    report = audit([site.url("/")], checks=FAMILIES)
    assert check_ids(report) == set()


def test_exposed_site_produces_exactly_the_planted_findings(
    serve: ServeFn, audit: AuditFn
) -> None:
    # Given a site with typical exposures, on a host that also answers 200 for
    # unknown paths (so soft-404 handling cannot hide real files)
    routes = clean_site()
    routes.update({
        "/.git/HEAD": text("ref: refs/heads/main\n"),
        "/.env": text("APP_ENV=production\nDB_HOST=10.0.0.5\nDB_PASSWORD=Kx7pQ2vR9mZt\n"),
        "/backup.zip": Response(200, [("Content-Type", "application/zip")], zip_bytes()),
        "/db.sql": text("-- MySQL dump 10.13\nCREATE TABLE `penduduk` (`nik` char(16));\n",
                        "application/sql"),
        "/phpinfo.php": html("<html><head><title>phpinfo()</title></head><body>"
                             "<h1 class=\"p\">PHP Version 7.4.3</h1></body></html>"),
        "/.DS_Store": Response(200, [("Content-Type", "application/octet-stream")], DS_STORE),
        "/uploads/": html('<html><head><title>Index of /uploads/</title></head><body><h1>'
                          'Index of /uploads/</h1><pre><a href="../">../</a>\n<a href="scan_ktp_'
                          '001.jpg">scan_ktp_001.jpg</a>\n</pre></body></html>'),
        "/v3/api-docs": Response(200, [("Content-Type", "application/json")],
                                 json.dumps({"openapi": "3.0.1", "paths": {}})),
        "/wp-login.php": html('<html><body><form id="loginform" action="/wp-login.php">'
                              '<input name="log" id="user_login"><input type="password" '
                              'name="pwd"><input type="submit" name="wp-submit"></form>'
                              '</body></html>'),
    })
    # (a WordPress site shows it: the sweep asks for WordPress paths only then)
    routes["/"] = html(HOME.replace('<script src="/assets/app.js">',
                                    '<link rel="stylesheet" href="/wp-content/themes/kota/'
                                    'style.css"><script src="/assets/app.min.js">'))
    routes["/assets/app.min.js"] = text("var a=1;\n//# sourceMappingURL=app.min.js.map\n",
                                        "application/javascript")
    routes["/assets/app.min.js.map"] = text(json.dumps({
        "version": 3, "sources": ["src/main.ts", "src/api.ts"], "mappings": "AAAA",
        "sourcesContent": ["const api = '/internal/api';", ""]}), "application/json")
    site = serve(routes, fallback=html(HOME))
    # When the exposure and secrets families run
    report = audit([site.url("/")], checks=FAMILIES)
    # Then exactly the planted problems are reported
    assert check_ids(report) == {
        "exposure.git_metadata", "exposure.env_file", "exposure.archive_backup",
        "exposure.sql_dump", "exposure.phpinfo", "exposure.ds_store",
        "exposure.directory_listing", "exposure.openapi_spec", "exposure.wordpress_login",
        "exposure.source_map", "secrets.credential_assignment",
    }
    (listing,) = by_check(report, "exposure.directory_listing")
    assert listing.severity is Severity.HIGH  # it lists a scanned ID card
    assert listing.details["matches"][0]["sensitive_entries"] == ["scan_ktp_001.jpg"]
    (ds,) = by_check(report, "exposure.ds_store")
    assert ds.details["matches"][0]["names"] == ["backup.zip"]
    (smap,) = by_check(report, "exposure.source_map")
    assert smap.severity is Severity.MEDIUM and smap.details["has_sources_content"]
    (env,) = by_check(report, "exposure.env_file")
    assert env.severity is Severity.CRITICAL and "Kx7pQ2vR9mZt" not in env.evidence.text
    # and the sweep only ever read: GET, bounded
    assert {r.method for r in site.requests} <= {"GET"}


def test_backup_named_after_the_host_is_found(serve: ServeFn, audit: AuditFn) -> None:
    # Given a backup archive named after the site's host name
    routes = clean_site()
    routes["/127.0.0.1.zip"] = Response(200, [("Content-Type", "application/zip")], zip_bytes())
    site = serve(routes)
    report = audit([site.url("/")], checks=["exposure.archive_backup"])
    (finding,) = report.findings
    assert "/127.0.0.1.zip" in finding.evidence.text


def test_listing_of_a_crawled_documents_folder_is_found(serve: ServeFn, audit: AuditFn) -> None:
    # Given a page linking a document in a folder no rule names, whose folder is listed
    routes = clean_site()
    routes["/"] = html(HOME.replace("</body>", '<a href="/arsip-2023/juknis/juknis.pdf">Juknis'
                                               "</a></body>"))
    routes["/arsip-2023/juknis/juknis.pdf"] = Response(200, [("Content-Type", "application/pdf")],
                                                       b"%PDF-1.4\n")
    routes["/arsip-2023/juknis/"] = html(
        "<html><head><title>Index of /arsip-2023/juknis</title></head><body><h1>Index of "
        '/arsip-2023/juknis</h1><a href="juknis.pdf">juknis.pdf</a> <a href="dump_2023.sql">'
        "dump_2023.sql</a></body></html>")
    site = serve(routes)
    report = audit([site.url("/")], checks=["exposure.directory_listing"])
    (finding,) = report.findings
    assert finding.location == site.url("/arsip-2023/juknis/")
    assert finding.severity is Severity.HIGH  # a dump in the listing
