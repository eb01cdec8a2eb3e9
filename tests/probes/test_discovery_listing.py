"""Discovery from robots.txt and directory listings, with their decoys.

robots.txt disallows a backup directory that lists a SQL dump, and two
directories that answer 403 and 404 (decoys: listed with their status, no
more). The listings carry a parent link and column-sort links, which are not
entries.
"""

from __future__ import annotations

from egov_audit.demo.server import LocalServer, Response, html
from egov_audit.model import SiteMapEntry

from ..conftest import ServeFn
from .test_crawl import crawl

TEXT = [("Content-Type", "text/plain")]


def autoindex(path: str, names: list[str]) -> Response:
    """An Apache-style listing: sort links, a parent link, then the entries."""
    rows = "\n".join(f'<a href="{n}">{n}</a>' for n in names)
    return html(f"<html><head><title>Index of {path}</title></head><body>"
                f"<h1>Index of {path}</h1><pre><a href=\"?C=N;O=D\">Name</a> "
                f"<a href=\"?C=M;O=A\">Last modified</a>\n"
                f'<a href="/">Parent Directory</a>\n{rows}</pre></body></html>')


def site(serve: ServeFn) -> tuple[str, LocalServer]:
    server = serve({
        "/": html('<a href="/profil">Profil</a>'),
        "/profil": html("<p>profil</p>"),
        "/robots.txt": Response(200, TEXT, b"User-agent: *\nDisallow: /backup/\n"
                                           b"Disallow: /admin/\nDisallow: /private/\n"
                                           b"Allow: /publik/laporan\n"),
        "/backup/": autoindex("/backup/", ["db_2023.sql", "old/"]),
        "/backup/db_2023.sql": Response(200, [("Content-Type", "application/sql")],
                                        b"-- MySQL dump\nCREATE TABLE penduduk (nik char(16));\n"),
        "/backup/old/": html("<html><head><title>Index of /backup/old/</title></head><body>"
                             '<a href="../">../</a> <a href="notes.txt">notes.txt</a>'
                             "</body></html>"),
        "/backup/old/notes.txt": Response(200, TEXT, b"catatan"),
        "/admin/": html("<h1>403 Forbidden</h1>", status=403),
        "/publik/laporan": html("<p>laporan</p>"),
    })
    return server.url(""), server


def test_robots_directories_and_listings_fill_the_site_map(serve: ServeFn) -> None:
    # Given robots.txt naming a listed backup directory and two closed ones
    base, _ = site(serve)
    # When the site is discovered
    result = crawl(base + "/")
    entries = {(e.url.removeprefix(base), e.kind, e.found_by, e.status)
               for e in result.site_map}
    # Then the announced directories are directories found by robots.txt, with their answers
    assert {("/backup/", "directory", "robots", 200), ("/admin/", "directory", "robots", 403),
            ("/private/", "directory", "robots", 404),
            ("/publik/laporan", "page", "robots", 200)} <= entries
    # and the listing's entries are found by the listing: the dump downloaded, the
    # subdirectory listed and read in turn
    assert {("/backup/db_2023.sql", "document", "listing", 200),
            ("/backup/old/", "directory", "listing", 200),
            ("/backup/old/notes.txt", "document", "listing", 200)} <= entries
    assert base + "/backup/db_2023.sql" in {r.url for r in result.documents}
    # robots.txt itself is listed, the sitemap guess that answered 404 is not
    assert ("/robots.txt", "document", "robots", 200) in entries
    assert not any(e.url.endswith("/sitemap.xml") for e in result.site_map)
    # robots_paths is unchanged for the path sweep
    assert result.robots_paths == ("/backup/", "/admin/", "/private/", "/publik/laporan")


def test_listing_decoys_stay_silent(serve: ServeFn) -> None:
    base, server = site(serve)
    result = crawl(base + "/")
    requests = [r.path + ("?" + r.query if r.query else "") for r in server.requests]
    by_url = {e.url.removeprefix(base): e for e in result.site_map}
    # The parent link is not an entry (the home page stays the entry page),
    assert by_url["/"] == SiteMapEntry(base + "/", "page", "entry", 200)
    assert not any(e.found_by == "listing" and not e.url.startswith(base + "/backup/")
                   for e in result.site_map)
    # column-sort links are neither listed nor requested,
    assert not any("C=" in e.url for e in result.site_map)
    assert not any("C=" in r for r in requests)
    # and the closed directories are only listed: nothing under them was asked for
    assert not any(r.startswith(("/admin/", "/private/")) and r not in ("/admin/", "/private/")
                   for r in requests)
    # the 403 and 404 answers are kept for the errors family to judge
    assert {base + "/admin/", base + "/private/"} <= {r.url for r in result.errors}
