"""``?page=`` pagination up to its bound; forms listed, never submitted."""

from __future__ import annotations

from egov_audit.demo.server import Request, Response, html
from egov_audit.model import SiteMapEntry
from egov_audit.probes.pagination import Pager, looks_empty, page_number

from ..conftest import ServeFn
from .test_crawl import crawl


def news(request: Request) -> Response:
    page = int(request.query.removeprefix("page=") or "1")
    return html(f'<h1>Berita hal. {page}</h1><a href="/berita?page={page + 1}">berikut</a>')


def test_a_paginated_list_costs_at_most_its_bound(serve: ServeFn) -> None:
    # Given a news list that links page N to page N+1 for ever
    server = serve({"/": html('<a href="/berita?page=1">Berita</a>'), "/berita": news})
    # When the site is discovered with the default bound (5 pages per list)
    result = crawl(server.url("/"), max_depth=20)
    # Then pages 1 to 5 were requested, not one more, and the bound is named
    asked = sorted(r.query for r in server.requests if r.path == "/berita")
    assert asked == [f"page={n}" for n in range(1, 6)]
    assert "max_pagination" in result.limited


def test_a_list_that_ignores_its_page_parameter_ends_at_once(serve: ServeFn) -> None:
    # Given an API that answers the same page whatever is asked
    server = serve({"/": html('<script>fetch("/api/arsip?page=1")</script>'),
                    "/api/arsip": Response(200, [("Content-Type", "application/json")],
                                           b'{"data": [1, 2, 3]}')})
    crawl(server.url("/"))
    # Then page 2 was asked once, found identical, and nothing further
    asked = sorted(r.query for r in server.requests if r.path == "/api/arsip")
    assert asked == ["page=1", "page=2"]


def test_forms_are_listed_never_submitted(serve: ServeFn) -> None:
    server = serve({"/": html('<form action="/cari" method="get"><input name="q"></form>'
                              '<form action="/daftar" method="post"><input name="nik"></form>')})
    result = crawl(server.url("/"))
    entries = {e.url: e for e in result.site_map}
    assert entries[server.url("/cari")] == SiteMapEntry(server.url("/cari"), "form", "form")
    assert entries[server.url("/daftar")].status is None
    assert {r.path for r in server.requests}.isdisjoint({"/cari", "/daftar"})


def test_pager_helpers() -> None:
    assert page_number("http://h/a?x=1&page=3") == ("http://h/a?x=1&page=", 3)
    assert page_number("http://h/a?page=x") is None and page_number("http://h/a") is None
    pager = Pager(2)
    assert pager.allows("http://h/a?page=1") and pager.allows("http://h/a?page=2")
    assert not pager.allows("http://h/a?page=3") and pager.allows("http://h/b?page=9")
    assert looks_empty(b"[]") and looks_empty(b'{"data": [], "page": 3}')
    assert not looks_empty(b'{"data": [1]}') and not looks_empty(b'{"total": 0}')
