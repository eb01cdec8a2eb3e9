"""What the integrity checks need from an HTML page: visible versus hidden
text and links, title and meta, inline scripts.

Injected gambling links are usually wrapped in an element the visitor cannot
see (display:none, visibility:hidden, font-size:0, an off-screen position, a
zero-size box) or in a <marquee>. The parser tracks, for every piece of text
and every link, whether an enclosing element hides it, from inline styles,
the ``hidden`` attribute and simple class/id rules in the page's <style>.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from egov_audit.probes.html_links import defuse

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
# A declaration block that hides its element.
_HIDING = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?\s*(?:px|pt|em|rem|%)?"
    r"\s*(?:;|!|$)|(?:left|top|text-indent|margin-left)\s*:\s*-\d{3,}|opacity\s*:\s*0(?:\.0+)?"
    r"\s*(?:;|!|$)|(?:height|width)\s*:\s*0(?:px)?\s*;[^}]*overflow\s*:\s*hidden|"
    r"overflow\s*:\s*hidden[^}]*(?:height|width)\s*:\s*0(?:px)?\s*(?:;|$)|clip\s*:\s*rect\(\s*0",
    re.I,
)
# A rule starts only after a brace (or at the start) and its block cannot
# contain a brace: each character is then scanned a bounded number of times
# (linear), and an @media wrapper is skipped for the rules inside it.
_CSS_RULE = re.compile(r"(?<![^{}])([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*([.#])([\w-]+)\s*$")


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    hidden: bool
    marquee: bool


@dataclass
class Page:
    url: str
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # description, keywords, refresh
    visible_text: list[str] = field(default_factory=list)
    hidden_text: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # inline script bodies

    @property
    def visible(self) -> str:
        return " ".join(self.visible_text)

    @property
    def hidden(self) -> str:
        return " ".join(self.hidden_text)

    def external_links(self) -> list[Link]:
        host = urlsplit(self.url).hostname
        return [ln for ln in self.links if urlsplit(ln.url).hostname not in (None, host)]


def _hiding_selectors(css: str) -> tuple[set[str], set[str]]:
    classes: set[str] = set()
    ids: set[str] = set()
    for selectors, body in _CSS_RULE.findall(css):
        if not _HIDING.search(body):
            continue
        for selector in selectors.split(","):
            m = _SIMPLE_SELECTOR.match(selector)
            if m:
                (classes if m.group(1) == "." else ids).add(m.group(2))
    return classes, ids


class _Parser(HTMLParser):
    def __init__(self, url: str, hidden_classes: set[str], hidden_ids: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page(url)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, hidden, marquee)
        self.hidden_classes = hidden_classes
        self.hidden_ids = hidden_ids
        self.link: tuple[str, list[str]] | None = None
        self.special: str | None = None  # title / script / style being read
        self.buffer: list[str] = []

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    @property
    def marquee(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def _hides(self, tag: str, a: dict[str, str]) -> bool:
        if "hidden" in a or tag in ("template",):
            return True
        if _HIDING.search(a.get("style", "")):
            return True
        if any(c in self.hidden_classes for c in a.get("class", "").split()):
            return True
        return a.get("id", "") in self.hidden_ids

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            name = (a.get("name") or a.get("http-equiv") or a.get("property") or "").lower()
            if name in ("description", "keywords", "refresh", "og:title", "og:description"):
                self.page.meta[name] = a.get("content", "").strip()
            return
        if tag in ("title", "script", "style"):
            self.special, self.buffer = tag, []
        if tag == "a" and a.get("href"):
            self.link = (urljoin(self.page.url, a["href"].strip()), [])
        if tag in _VOID:
            return
        hidden = self.hidden or self._hides(tag, a)
        self.stack.append((tag, hidden, self.marquee or tag == "marquee"))

    def handle_endtag(self, tag: str) -> None:
        if tag == self.special:
            text = "".join(self.buffer)
            if tag == "title" and not self.page.title:
                self.page.title = " ".join(text.split())
            elif tag == "script" and text.strip():
                self.page.scripts.append(text)
            self.special = None
        if tag == "a" and self.link is not None:
            url, words = self.link
            self.page.links.append(Link(url, " ".join(" ".join(words).split()), self.hidden,
                                        self.marquee))
            self.link = None
        # Pop to the matching open tag; tolerate stray end tags in broken HTML.
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.special is not None:
            self.buffer.append(data)
            return
        if not data.strip():
            return
        if self.link is not None:
            self.link[1].append(data)
        (self.page.hidden_text if self.hidden or self.marquee else self.page.visible_text).append(
            data.strip()
        )


_STYLE_OPEN = re.compile(r"<style", re.I)
_STYLE_CLOSE = re.compile(r"</style>", re.I)


def style_blocks(html: str) -> list[str]:
    """The contents of every <style> element, found by literal search.

    A pattern like ``<style[^>]*>(.*?)</style>`` rescans the rest of the page
    from every unclosed ``<style``: quadratic on a page of repeated ``<style``.
    Here each character is looked at a bounded number of times.
    """
    blocks: list[str] = []
    at = 0
    while (opened := _STYLE_OPEN.search(html, at)) is not None:
        open_end = html.find(">", opened.end())
        closed = _STYLE_CLOSE.search(html, open_end) if open_end >= 0 else None
        if closed is None:
            break  # no later block can be closed either
        blocks.append(html[open_end + 1 : closed.start()])
        at = closed.end()
    return blocks


def parse(html: str, url: str) -> Page:
    classes: set[str] = set()
    ids: set[str] = set()
    for css in style_blocks(html[:500_000]):
        c, i = _hiding_selectors(css)
        classes |= c
        ids |= i
    parser = _Parser(url, classes, ids)
    try:
        # defuse: HTMLParser is quadratic on unclosed tags; hostile pages have them.
        parser.feed(defuse(html[:2_000_000]))
        parser.close()
    except Exception:  # a parser bug must not cost the page
        pass
    return parser.page


def domain(url: str) -> str:
    """The registrable-looking part of a URL's host (last two labels, three for
    second-level public suffixes like go.id / co.id / ac.id)."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])
