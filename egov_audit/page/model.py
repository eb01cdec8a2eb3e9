"""The parsed page: read once, shared by every probe and check that reads it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from .elements import Element
from .links import PageLinks, follow
from .markup import Markup, render
from .reader import Reader
from .visibility import HidingRules


@dataclass(frozen=True)
class Link:
    """An ``<a href>`` with its words, and whether a visitor can see it."""

    url: str  # resolved against the page's URL
    text: str
    hidden: bool  # inside an element that hides it
    marquee: bool  # inside a <marquee>


@dataclass(frozen=True)
class ParsedPage:
    """What one HTML page says, from one bounded, linear pass (:func:`parse_page`).

    The facts: the kept ``elements`` in document order (:mod:`.elements`), the
    page's ``title``, descriptive ``meta`` tags (description, keywords,
    refresh, og:title, og:description), its text as a visitor sees it
    (``visible``) or does not (``hidden``: hidden elements and <marquee>), and
    its ``links`` with their words and visibility, its ``scripts``. The views each kind of
    reader needs are derived on first use and kept: :attr:`crawl` (what
    discovery follows) and :attr:`markup` (what a browser loads on render).
    Shared between threads and readers: read it, never change it.
    """

    url: str
    elements: tuple[Element, ...] = ()
    title: str = ""
    meta: Mapping[str, str] = field(default_factory=dict)
    visible: str = ""
    hidden: str = ""
    links: tuple[Link, ...] = ()
    capped: bool = False  # the element cap was reached: the rest of the page was not kept

    def external_links(self) -> list[Link]:
        """Links to another host than the page's."""
        host = urlsplit(self.url).hostname
        return [ln for ln in self.links if urlsplit(ln.url).hostname not in (None, host)]

    @cached_property
    def scripts(self) -> list[str]:
        """The text of every closed <script> that has some (with a src or not:
        injected code hides in both)."""
        return [e.text for e in self.elements if e.end and e.tag == "script" and e.text.strip()]

    @cached_property
    def crawl(self) -> PageLinks:
        return follow(self.elements, self.url, elements_capped=self.capped)

    @cached_property
    def markup(self) -> Markup:
        return render(self.elements, self.url)


def parse_page(html: str, url: str) -> ParsedPage:
    """The page model of ``html`` served at ``url``: linear in its length, at
    most ``reader.MAX_CHARS`` characters read and ``reader.MAX_ELEMENTS`` kept."""
    reader = Reader(url, HidingRules.of(html))
    reader.read(html)
    return ParsedPage(
        url=url,
        elements=tuple(reader.elements),
        title=reader.title,
        meta=reader.meta,
        visible=" ".join(reader.visible),
        hidden=" ".join(reader.hidden),
        links=tuple(Link(*ln) for ln in reader.links),
        capped=reader.capped,
    )
