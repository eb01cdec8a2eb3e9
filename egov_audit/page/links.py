"""What a crawler follows on a page: links, scripts, style sheets and forms.

A view of the page model (:class:`~egov_audit.page.model.ParsedPage.crawl`).
Links, scripts and style sheets per page are capped (``MAX_LINKS``), and the
cap is reported: once it is reached the rest of the page is not followed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from urllib.parse import urljoin

from .elements import Element

MAX_LINKS = 5000  # links + scripts + stylesheets kept per page
MAX_URL_LENGTH = 2048  # longer href values are not URLs anyone follows
MAX_INLINE_SCRIPT = 1024 * 1024  # characters of inline <script> text kept per page
_NOT_FOLLOWED = ("javascript:", "mailto:", "tel:", "data:", "#")


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
    """Shared by every reader of the page: read, never change."""

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


class _Follower:
    def __init__(self, page: str) -> None:
        self.page = page
        self.base = page
        self.out = PageLinks()
        self.form: tuple[str, str, list[FormField]] | None = None
        self.inline = False  # inside an inline <script> whose text is kept
        self.script_chars = 0

    def url(self, value: str | None) -> str | None:
        if not value or len(value) > MAX_URL_LENGTH:
            return None
        value = value.strip()
        if value.startswith(_NOT_FOLLOWED):
            return None
        try:
            return urljoin(self.base, value).split("#", 1)[0]
        except ValueError:  # not a URL (e.g. a broken IPv6 literal)
            return None

    def start(self, tag: str, a: Mapping[str, str]) -> None:
        if tag == "base" and a.get("href"):
            with suppress(ValueError):  # not a URL: the base stays
                self.base = urljoin(self.base, a["href"])
        elif tag in ("a", "area", "iframe", "frame"):
            url = self.url(a.get("href") or a.get("src"))
            if url:
                self.out.links.append(url)
        elif tag == "script":
            url = self.url(a.get("src"))
            if url:
                self.out.scripts.append(url)
            else:
                self.inline = True
        elif tag == "link":
            url = self.url(a.get("href"))
            rel = a.get("rel", "").lower()
            if url and "stylesheet" in rel:
                self.out.stylesheets.append(url)
            elif url and rel in ("alternate", "next", "prev"):
                self.out.links.append(url)
        elif tag == "form":
            action = self.url(a.get("action")) or self.base.split("#", 1)[0]
            self.form = (action, (a.get("method") or "get").lower(), [])
        elif tag in ("input", "select", "textarea") and self.form is not None:
            kind = a.get("type", "text").lower() if tag == "input" else tag
            self.form[2].append(FormField(a.get("name", ""), kind))

    def end(self, element: Element) -> None:
        if element.tag == "script" and self.inline:
            text = element.text[: max(0, MAX_INLINE_SCRIPT - self.script_chars)]
            self.script_chars += len(text)
            if text.strip():
                self.out.inline_scripts.append(text)
            self.inline = False
        elif element.tag == "form" and self.form is not None:
            action, method, fields = self.form
            self.out.forms.append(Form(self.page, action, method, tuple(fields)))
            self.form = None


def follow(elements: Iterable[Element], page: str, *, elements_capped: bool = False) -> PageLinks:
    """The crawler's view of a page at ``page`` (its URL) with these elements."""
    reader = _Follower(page)
    for element in elements:
        if element.end:
            reader.end(element)
        elif reader.out.count >= MAX_LINKS:
            reader.out.capped = True
        else:
            reader.start(element.tag, element.attrs)
    if reader.form is not None:  # an unclosed <form> still counts
        reader.end(Element("form", end=True))
    reader.out.capped = reader.out.capped or elements_capped
    return reader.out
