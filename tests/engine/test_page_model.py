"""The parsed-page model: bounded and linear on hostile HTML, parsed once per response."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable

import pytest

from egov_audit.demo.server import html
from egov_audit.page import ParsedPage, cache, page_of, parse_page
from egov_audit.page.links import MAX_LINKS
from egov_audit.page.reader import MAX_CHARS, MAX_ELEMENTS
from egov_audit.probes.http import HttpResponse
from tests.cpu_clock import cpu_seconds

from ..conftest import AuditFn, ServeFn

URL = "http://127.0.0.1/"
MB = 1024 * 1024


def _response(body: str, url: str = URL) -> HttpResponse:
    return HttpResponse("GET", url, url, 200, headers=(("Content-Type", "text/html"),),
                        body=body.encode())


# -- hostile pages ---------------------------------------------------------------------------

HOSTILE: dict[str, Callable[[int], str]] = {
    "unclosed <a": lambda n: "<a " * (n // 3),
    "unclosed tags": lambda n: "<div><p><span title='x'>" * (n // 24),
    "unclosed comment": lambda n: "<!-- " + "<a href=/x>" * (n // 11),
    "huge attribute": lambda n: '<a href="' + "x" * n + '">big</a><a href="/after">after</a>',
    "deep nesting": lambda n: "<div>" * (n // 10) + "<a href=/deep>deep</a>" + "</div>" * (n // 10),
    "many links": lambda n: "<a href=/l>l</a>" * (n // 16),
    "many metas": lambda n: "<meta name=a content=b>" * (n // 23),
    "forms without end": lambda n: "<form action=/f><input name=nik>" * (n // 32),
    "unclosed script": lambda n: "<script>" + "if(a<b){" * (n // 8),
    "styles": lambda n: "<style>.h{display:none}</style><div class=h>x</div>" * (n // 52),
    "unclosed style": lambda n: "<style>.h{" * (n // 10),
    "stray end tags": lambda n: "<div>" * (n // 12) + "</span>" * (n // 14),
    "made-up tags": lambda n: "".join(f"<t{i}></t{i}>" for i in range(n // 16)),
    "zero boxes in a style attribute": lambda n: "<p style='" + "height:0;" * (n // 9) + "'>x</p>",
    "hidden overflows in a style sheet": lambda n: "<style>.a{" + "overflow:hidden;" * (n // 16)
                                                   + "}</style><p class=a>x</p>",
}


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_a_hostile_page_is_read_with_bounded_output(shape: str) -> None:
    # Given 4.5 MB of a hostile shape (more than the model reads)
    text = HOSTILE[shape](MAX_CHARS + MB // 2)
    # When it is parsed
    page = parse_page(text, URL)
    # Then nothing escapes, and what is kept is bounded
    assert len(page.elements) <= 2 * MAX_ELEMENTS  # start tags, and the ends of kept ones
    assert len(page.links) <= MAX_ELEMENTS
    assert len(page.visible) + len(page.hidden) <= MAX_CHARS
    assert page.crawl.count <= MAX_LINKS
    assert all(len(u) <= 2048 + 200 for u in page.crawl.links)


def test_ten_megabytes_of_unclosed_links_end_quickly_and_keep_the_real_ones() -> None:
    # Given 10 MB of "<a " with a real link at the start
    text = '<a href="/real">real</a>' + "<a " * (10 * MB // 3)
    # When it is parsed (a quadratic parser needs hours here)
    pages: list[ParsedPage] = []
    seconds = cpu_seconds(lambda: pages.append(parse_page(text, URL)))
    (page,) = pages
    # Then the real link is found, and the rest is text, read up to the character cap
    assert page.crawl.links == ["http://127.0.0.1/real"]
    assert seconds < 60
    assert len(page.visible) <= MAX_CHARS


def test_the_caps_are_reported() -> None:
    # Given a page with more elements than are kept, and a link beyond the characters read
    text = "<meta name=a content=b>" * (MAX_ELEMENTS + 10)
    page = parse_page(text, URL)
    assert page.capped and page.crawl.capped and len(page.elements) == MAX_ELEMENTS
    late = "<p>" + " " * MAX_CHARS + "<a href=/late>late</a>"
    assert parse_page(late, URL).crawl.links == []
    # And the crawler's own cap on links per page
    many = parse_page("<a href=/l>l</a>" * (MAX_LINKS + 5), URL).crawl
    assert many.capped and many.count == MAX_LINKS


def test_a_broken_url_skips_that_link_only() -> None:
    # The three old readers stopped reading the page at a URL that urllib cannot
    # split (a broken IPv6 literal); the model skips it and reads on.
    page = parse_page("<base href='http://[x'><a href='http://[y'>bad</a>"
                      "<a href=/good>good</a><img src='http://[z'><img src=/i.png>", URL)
    assert page.crawl.links == ["http://127.0.0.1/good"]
    assert [ln.url for ln in page.links] == ["http://127.0.0.1/good"]
    assert [r.url for r in page.markup.resources] == ["http://127.0.0.1/i.png"]
    assert "bad" in page.visible


def test_a_zero_size_box_hides_only_with_hidden_overflow_in_the_same_block() -> None:
    def hidden(style: str, css: str = "") -> bool:
        page = parse_page(f"<style>{css}</style><p class=c style='{style}'>kata</p>", URL)
        return page.hidden == "kata"

    assert hidden("height:0; overflow:hidden") and hidden("overflow: hidden; width : 0px")
    assert hidden("", ".c{width:0;color:red;overflow:hidden}")
    assert not hidden("height:0") and not hidden("overflow:hidden; height:1px")
    assert not hidden("", ".c{height:0;} .d{overflow:hidden}")


# -- linear time -----------------------------------------------------------------------------

N = 128 * 1024  # characters at the smaller size; 4N stays under the character cap
GROWTH = 8.0  # allowed t(4N)/t(N): linear is ~4, quadratic ~16


def _cpu(shape: str, n: int) -> float:
    text = HOSTILE[shape](n)
    return min(cpu_seconds(parse_page, text, URL) for _ in range(3))


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_parsing_time_grows_linearly(shape: str) -> None:
    small, large = _cpu(shape, N), _cpu(shape, 4 * N)
    if large > GROWTH * max(small, 0.005):
        small, large = _cpu(shape, N), _cpu(shape, 4 * N)  # re-measure before failing
    assert large <= GROWTH * max(small, 0.005), (shape, small, large)


# -- once per response -----------------------------------------------------------------------

def test_a_response_is_parsed_once_and_dropped_with_it() -> None:
    # Given a response read by the crawler's, the browser's and the text views
    resp = _response("<a href=/x>x</a><script src=/s.js></script><title>T</title>")
    gc.collect()
    before = len(cache._PARSED)
    page = page_of(resp)
    assert page_of(resp) is page and page.crawl is page_of(resp).crawl
    assert page.crawl.scripts == ["http://127.0.0.1/s.js"] and page.title == "T"
    assert len(cache._PARSED) == before + 1
    # When the response goes, so does its page
    del resp, page
    gc.collect()
    assert len(cache._PARSED) == before


def test_probes_and_checks_share_one_parse_per_response(serve: ServeFn, audit: AuditFn,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a site whose pages are read by discovery, the error checks, the
    # markup checks and the integrity checks
    home = ("<html><head><title>Portal</title><meta name=generator content='WordPress 6.1'>"
            "<script src='http://127.0.0.1:9/x.js'></script></head><body>"
            "<a href='/profil'>Profil</a><a href='/rusak'>Rusak</a>"
            "<div style='display:none'><a href='https://slot.example.invalid/'>slot</a></div>"
            "</body></html>")
    site = serve({"/": html(home), "/profil": html("<p>Profil <a href='/'>home</a></p>"),
                  "/rusak": html("Fatal error: Uncaught Exception in /var/www/x.php:12",
                                 status=500)})
    parsed: Counter[str] = Counter()
    real = parse_page

    def counting(text: str, url: str) -> object:
        parsed[url] += 1
        return real(text, url)

    monkeypatch.setattr(cache, "parse_page", counting)
    # When the run reads them
    audit([site.url("/")], checks=("hygiene.*", "disclosure.*", "integrity.hidden_links",
                                   "integrity.gambling_spam", "errors.*", "headers.csp_meta"))
    # Then each response was parsed once, whoever read it: no page was parsed more
    # often than it was fetched (the entry page is fetched once by the site probe
    # and reused by discovery, and once more per view the cloaking probe asks for:
    # a browser, Googlebot, a search visitor). Before the shared model, the entry
    # page alone was parsed by discovery, the markup checks and the integrity checks.
    fetched = Counter(site.url(r.path) for r in site.requests if r.method == "GET")
    assert parsed[site.url("/")] >= 1 and parsed[site.url("/profil")] >= 1
    assert all(parsed[url] <= fetched[url] for url in parsed), (parsed, fetched)
