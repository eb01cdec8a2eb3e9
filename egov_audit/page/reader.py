"""One pass of the standard library's tolerant HTML parser over a page.

Government pages are often malformed, and a parser that gives up on them
would miss exactly the neglected corners where exposed files and injected
links live; a full DOM would add a dependency for nothing. The text is first
cut to ``MAX_CHARS`` and defused (:mod:`.defusing`), so the pass is linear; the
elements kept are capped (``MAX_ELEMENTS``), and the cap is reported.

While reading, it tracks which enclosing element hides each piece of text
and each link (:mod:`.visibility`), and keeps the first ``<title>``.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin

from .defusing import defuse
from .elements import KEPT_ATTRIBUTES, KEPT_END_TAGS, KEPT_TAGS, Element
from .visibility import HidingRules

# The HTTP client's default body cap (4 MiB): a page is read as far as it was fetched.
MAX_CHARS = 4 * 1024 * 1024
MAX_ELEMENTS = 20_000  # kept elements per page (memory bound on a page of <meta>)
MAX_DEPTH = 4096  # open elements tracked for visibility; deeper ones inherit it
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
_META_NAMES = frozenset({"description", "keywords", "refresh", "og:title", "og:description"})


class Reader(HTMLParser):
    """Collects the kept elements, the text by visibility, the links with their
    words, the title and the descriptive meta tags. Read the results after
    :meth:`read`."""

    def __init__(self, url: str, hiding: HidingRules) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.hiding = hiding
        self.elements: list[Element] = []
        self.capped = False  # MAX_ELEMENTS reached: later elements were not kept
        self.title = ""
        self.meta: dict[str, str] = {}
        self.visible: list[str] = []
        self.hidden: list[str] = []
        self.links: list[tuple[str, str, bool, bool]] = []  # (url, words, hidden, marquee)
        self._stack: list[tuple[str, bool, bool]] = []  # open elements: (tag, hidden, marquee)
        self._open: Counter[str] = Counter()  # how many of each tag the stack holds
        self._link: tuple[str, list[str]] | None = None  # the <a href> being read
        self._special: str | None = None  # title / script / style whose text is not shown
        self._buffer: list[str] = []
        self._script: list[str] | None = None  # text of the kept <script> being read
        self._form_open = False

    def read(self, html: str) -> None:
        try:
            # defuse: HTMLParser is quadratic on unclosed tags; hostile pages have them.
            self.feed(defuse(html[:MAX_CHARS]))
            self.close()
        except Exception:  # a parser bug must not cost what was read so far
            pass

    @property
    def _hidden(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    @property
    def _marquee(self) -> bool:
        return bool(self._stack) and self._stack[-1][2]

    def _keep(self, element: Element) -> bool:
        if len(self.elements) >= MAX_ELEMENTS:
            self.capped = True
            return False
        self.elements.append(element)
        return True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in KEPT_TAGS:
            kept = self._keep(Element(tag, {k: v for k, v in a.items() if k in KEPT_ATTRIBUTES}))
            if kept and tag == "script":
                self._script = []
            elif kept and tag == "form":
                self._form_open = True
        if tag == "meta":
            name = (a.get("name") or a.get("http-equiv") or a.get("property") or "").lower()
            if name in _META_NAMES:
                self.meta[name] = a.get("content", "").strip()
            return
        if tag in ("title", "script", "style"):
            self._special, self._buffer = tag, []
        if tag == "a" and a.get("href"):
            try:
                self._link = (urljoin(self.url, a["href"].strip()), [])
            except ValueError:  # not a URL (e.g. a broken IPv6 literal): not a link
                self._link = None
        if tag in _VOID:
            return
        if len(self._stack) >= MAX_DEPTH:
            return  # a hostile nesting: what is deeper keeps its ancestors' visibility
        hidden = self._hidden or self.hiding.hides(tag, a)
        self._stack.append((tag, hidden, self._marquee or tag == "marquee"))
        self._open[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in KEPT_END_TAGS:
            self._end(tag)
        if tag == self._special:
            text = "".join(self._buffer)
            if tag == "title" and not self.title:
                self.title = " ".join(text.split())
            self._special = None
        if tag == "a" and self._link is not None:
            url, words = self._link
            if len(self.links) < MAX_ELEMENTS:
                self.links.append((url, " ".join(" ".join(words).split()), self._hidden,
                                   self._marquee))
            else:
                self.capped = True
            self._link = None
        self._close(tag)

    def _close(self, tag: str) -> None:
        """Pop to the matching open tag; tolerate stray end tags in broken HTML.

        A stray end tag is ignored without searching the stack (a page of
        ``<div>`` then ``</span>`` made that search quadratic), and a search
        that finds its tag removes every element it passed: linear in all.
        """
        if not self._open[tag]:
            return
        while self._stack:
            opened = self._stack.pop()[0]
            self._open[opened] -= 1
            if not self._open[opened]:
                del self._open[opened]  # a page of distinct made-up tags leaves nothing behind
            if opened == tag:
                return

    def _end(self, tag: str) -> None:
        # Kept only when their start was kept: a page of </form> costs nothing.
        if tag == "script" and self._script is not None:
            self.elements.append(Element("script", end=True, text="".join(self._script)))
            self._script = None
        elif tag == "form" and self._form_open:
            self.elements.append(Element("form", end=True))
            self._form_open = False

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        if self._special is not None:
            self._buffer.append(data)
            return
        if not data.strip():
            return
        if self._link is not None:
            self._link[1].append(data)
        (self.hidden if self._hidden or self._marquee else self.visible).append(data.strip())
