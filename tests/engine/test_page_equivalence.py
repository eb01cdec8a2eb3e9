"""Each reader of a page gets from the shared page model what it got from its own parser.

``page_views_before.json`` was written by the three parsers the model replaced
(``probes/html_links.extract``, ``checks/_web/markup``, ``checks/integrity/_page``,
and ``pii/web.trackers_in`` on top of the first) at commit 18db542, for the
pages of ``page_corpus.py``: CMS pages, SEO spam, broken and hostile markup,
listings, single-page apps, entities, stray end tags.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from egov_audit.page import parse_page
from egov_audit.pii.web import trackers_in

from .page_corpus import PAGES

BEFORE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "page_views_before.json").read_text(encoding="utf-8"))


def views(url: str, html: str) -> dict[str, Any]:
    page = parse_page(html, url)
    c, m = page.crawl, page.markup
    return {
        "crawl": {"links": c.links, "scripts": c.scripts, "stylesheets": c.stylesheets,
                  "forms": [[f.page, f.action, f.method, [[x.name, x.type] for x in f.fields]]
                            for f in c.forms],
                  "inline_scripts": c.inline_scripts, "capped": c.capped},
        "markup": {"resources": [[r.tag, r.url, r.active, r.integrity, r.rel]
                                 for r in m.resources],
                   "forms": m.forms, "inline_script_texts": m.inline_script_texts,
                   "csp": m.meta(http_equiv="Content-Security-Policy"),
                   "referrer": m.meta(name="referrer"), "generator": m.meta(name="generator")},
        "integrity": {"title": page.title, "meta": dict(page.meta), "visible": page.visible,
                      "hidden": page.hidden,
                      "links": [[ln.url, ln.text, ln.hidden, ln.marquee] for ln in page.links],
                      "scripts": page.scripts,
                      "external": [ln.url for ln in page.external_links()]},
        "trackers": trackers_in(html.encode(), url),
    }


def test_the_corpus_is_the_one_the_old_parsers_read() -> None:
    assert set(BEFORE) == set(PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("reader", ["crawl", "markup", "integrity", "trackers"])
def test_each_reader_gets_what_its_own_parser_gave(name: str, reader: str) -> None:
    # Given a page the old parsers read
    url, html = PAGES[name]
    # When the page model reads it once
    now = json.loads(json.dumps(views(url, html)))
    # Then every reader's view is what it was
    assert now[reader] == BEFORE[name][reader]


def test_the_corpus_exercises_every_view() -> None:
    # A regression test is only as good as what it holds: each view is non-trivial.
    seen = {reader: sum(1 for v in BEFORE.values() if v[reader] not in ([], "", {}))
            for reader in ("crawl", "markup", "integrity", "trackers")}
    assert all(count >= 1 for count in seen.values())
    cms = BEFORE["cms_home"]
    assert cms["crawl"]["forms"] and cms["markup"]["csp"] and cms["trackers"]
    assert BEFORE["seo_spam"]["integrity"]["hidden"]
