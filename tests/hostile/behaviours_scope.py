"""Off-scope redirects (one behaviour per trick) and a page of off-scope links.

A redirect-trick target answers every path with the same Location, so every
probe that follows redirects meets it. The links target hides the same tricks
in every place a crawler reads URLs from.
"""

from __future__ import annotations

from html import escape

from .lab import Behaviour, Lab
from .offscope import Aim, locations
from .replies import Reply, page, redirect, site

TRICKS = tuple(locations(Aim("127.0.13.1", 1, "127.0.12.1", 2, 3, 4)))


def _redirect_trick(trick: str) -> Behaviour:
    def start(lab: Lab) -> str:
        target = lab.server(site({}))
        target.dialogue = site({}, redirect(locations(lab.aim(target))[trick]))
        return target.url("/")

    return Behaviour(f"redirect-offscope-{trick}",
                     "records the Location, never connects there (its listeners count 0)",
                     start)


def _links_site(urls: dict[str, str]) -> dict[str, Reply]:
    values = [escape(u, quote=True) for u in urls.values()]
    tags = "".join(
        f'<a href="{u}">a</a><script src="{u}x.js"></script><img src="{u}i.png">'
        f'<iframe src="{u}"></iframe><form action="{u}" method="get"><input name="q"></form>'
        f'<link rel="stylesheet" href="{u}s.css"><a href="{u}laporan.pdf">pdf</a>'
        for u in values
    )
    first = values[0]
    html = (f'<html><head><title>Tautan</title><base href="{first}">'
            f'<meta http-equiv="refresh" content="0; url={first}"></head>'
            f'<body><a href="relative/page">relatif</a>{tags}</body></html>')
    robots = "User-agent: *\n" + "".join(
        f"Sitemap: {u}\nAllow: {u}\n" for u in urls.values() if "\t" not in u)
    sitemap = '<?xml version="1.0"?><urlset>' + "".join(
        f"<url><loc>{v}</loc></url>" for v in values) + "</urlset>"
    return {
        "/": page(html),
        "/robots.txt": Reply(200, (("Content-Type", "text/plain"),), robots.encode()),
        "/sitemap.xml": Reply(200, (("Content-Type", "application/xml"),), sitemap.encode()),
    }


def _offscope_links(lab: Lab) -> str:
    target = lab.server(site({}))
    target.dialogue = site(_links_site(locations(lab.aim(target))))
    return target.url("/")


SCOPE: tuple[Behaviour, ...] = (
    *(_redirect_trick(trick) for trick in TRICKS),
    Behaviour("offscope-links", "lists the links as external and fetches none of them "
              "(a, script, img, iframe, form, link, base, meta refresh, robots, sitemap)",
              _offscope_links),
)
