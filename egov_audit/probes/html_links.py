"""What a crawler needs from an HTML page: its links, resources and forms.

Built on the standard library's tolerant HTMLParser: government pages are
often malformed, and a parser that gives up on them would miss exactly the
neglected corners where exposed files live.

That parser is also quadratic on some malformed input (a page of ``<a `` with
no ``>`` takes a minute at 60 KB), and every page is hostile input, so the
text first goes through :func:`defuse`, a linear pass that turns every ``<``
that cannot start a complete tag into ``&lt;``. Links, scripts and
stylesheets per page are capped (``MAX_LINKS``), and the cap is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

_SOURCE_MAP = re.compile(rb"[#@]\s*sourceMappingURL=([^\s'\"*]+)")
_MARKUP_OPEN = re.compile(r"<[a-zA-Z/!?]")
MAX_LINKS = 5000  # links + scripts + stylesheets kept per page
MAX_URL_LENGTH = 2048  # longer href values are not URLs anyone follows
MAX_INLINE_SCRIPT = 1024 * 1024  # characters of inline <script> text kept per page
_FEED_CHUNK = 256 * 1024


def defuse(html: str) -> str:
    """``html`` with every ``<`` escaped that does not open a complete construct.

    A tag is complete when its ``>`` comes before the next ``<``; a comment
    when a ``-->`` follows. Anything else (``<a <a <a``, an unclosed ``<!--``)
    is what makes :class:`html.parser.HTMLParser` rescan the rest of the page
    once per ``<``. Every search below starts where the previous one ended or
    stops at the next ``<``, so the pass is linear in the length of ``html``.
    """
    out: list[str] = []
    last = 0
    next_gt = next_close = -2  # cached positions: -2 unknown, -1 none left
    for m in _MARKUP_OPEN.finditer(html):
        i = m.start()
        if html.startswith("<!--", i):
            if next_close != -1 and next_close < i:
                next_close = html.find("-->", i + 4)
            if next_close >= 0:
                continue
        else:
            if next_gt != -1 and next_gt < i:
                next_gt = html.find(">", i)
            if next_gt >= 0 and html.find("<", i + 1, next_gt) < 0:
                continue
        out.append(html[last:i])
        out.append("&lt;")
        last = i + 1
    if not out:
        return html
    out.append(html[last:])
    return "".join(out)


@dataclass(frozen=True)
class FormField:
    name: str
    type: str  # input type, or "select" / "textarea"


@dataclass(frozen=True)
class Form:
    """A form as found on a page (never submitted: the scanner only reads)."""

    page: str
    action: str  # absolute URL the form would post to
    method: str
    fields: tuple[FormField, ...]


@dataclass
class PageLinks:
    links: list[str] = field(default_factory=list)  # <a href>, <iframe src>, <area href>
    scripts: list[str] = field(default_factory=list)  # <script src>
    stylesheets: list[str] = field(default_factory=list)  # <link rel=stylesheet href>
    forms: list[Form] = field(default_factory=list)
    # Text of inline <script> elements (APIs are called from them too), at
    # most MAX_INLINE_SCRIPT characters per page in all.
    inline_scripts: list[str] = field(default_factory=list)
    capped: bool = False  # MAX_LINKS reached: the rest of the page was not read

    @property
    def count(self) -> int:
        return len(self.links) + len(self.scripts) + len(self.stylesheets)


class _Extractor(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = base
        self.base = base
        self.out = PageLinks()
        self._form: tuple[str, str, list[FormField]] | None = None
        self._script: list[str] | None = None  # text of the inline script being read
        self._script_chars = 0

    def _abs(self, value: str | None) -> str | None:
        if not value or len(value) > MAX_URL_LENGTH:
            return None
        value = value.strip()
        if value.startswith(("javascript:", "mailto:", "tel:", "data:", "#")):
            return None
        return urljoin(self.base, value).split("#", 1)[0]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.out.count >= MAX_LINKS:
            self.out.capped = True
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and a.get("href"):
            self.base = urljoin(self.base, a["href"])
        elif tag in ("a", "area") or tag in ("iframe", "frame"):
            url = self._abs(a.get("href") or a.get("src"))
            if url:
                self.out.links.append(url)
        elif tag == "script":
            url = self._abs(a.get("src"))
            if url:
                self.out.scripts.append(url)
            else:
                self._script = []
        elif tag == "link":
            url = self._abs(a.get("href"))
            rel = a.get("rel", "").lower()
            if url and "stylesheet" in rel:
                self.out.stylesheets.append(url)
            elif url and rel in ("alternate", "next", "prev"):
                self.out.links.append(url)
        elif tag == "form":
            action = self._abs(a.get("action")) or self.base.split("#", 1)[0]
            self._form = (action, (a.get("method") or "get").lower(), [])
        elif tag in ("input", "select", "textarea") and self._form is not None:
            kind = a.get("type", "text").lower() if tag == "input" else tag
            self._form[2].append(FormField(a.get("name", ""), kind))

    def handle_data(self, data: str) -> None:
        if self._script is not None and self._script_chars < MAX_INLINE_SCRIPT:
            data = data[: MAX_INLINE_SCRIPT - self._script_chars]
            self._script.append(data)
            self._script_chars += len(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            text = "".join(self._script)
            if text.strip():
                self.out.inline_scripts.append(text)
            self._script = None
        if tag == "form" and self._form is not None:
            action, method, fields = self._form
            self.out.forms.append(Form(self.page, action, method, tuple(fields)))
            self._form = None

    def close(self) -> None:
        super().close()
        if self._form is not None:  # unclosed <form> still counts
            self.handle_endtag("form")


def extract(html: str, base_url: str) -> PageLinks:
    """Links, resources and forms of ``html``; linear in its length, and reading
    stops once ``MAX_LINKS`` were found (``capped`` says so)."""
    parser = _Extractor(base_url)
    safe = defuse(html)
    try:
        for at in range(0, len(safe), _FEED_CHUNK):
            if parser.out.capped:
                break
            parser.feed(safe[at : at + _FEED_CHUNK])
        parser.close()
    except Exception:  # a parser bug must not cost the whole page
        pass
    return parser.out


def source_map_url(script_body: bytes, script_url: str) -> str | None:
    """The ``sourceMappingURL`` a script declares, resolved against the script's URL."""
    matches = list(_SOURCE_MAP.finditer(script_body[-4096:]))
    if not matches:
        return None
    ref: str = matches[-1].group(1).decode("ascii", "replace")
    if ref.startswith("data:"):
        return None
    return urljoin(script_url, ref)
