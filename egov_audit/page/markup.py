"""What a browser loads when it renders a page, and the page's meta tags.

A view of the page model (:class:`~egov_audit.page.model.ParsedPage.markup`)
for the checks that judge a page's own markup: mixed content (every URL
fetched on load, and where forms post), subresource integrity, trackers
(inline scripts), and the policies and versions announced in ``<meta>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from urllib.parse import urljoin

from .elements import Element

# Elements whose URL is fetched automatically when the page loads, and whether
# a browser treats the content as active (can run code / restyle the page).
FETCHED: dict[tuple[str, str], bool] = {
    ("script", "src"): True,
    ("iframe", "src"): True,
    ("frame", "src"): True,
    ("embed", "src"): True,
    ("object", "data"): True,
    ("img", "src"): False,
    ("audio", "src"): False,
    ("video", "src"): False,
    ("video", "poster"): False,
    ("source", "src"): False,
    ("track", "src"): False,
    ("input", "src"): False,
}
_ACTIVE_LINK_RELS = frozenset({"stylesheet", "preload", "modulepreload", "import"})
_NOT_FETCHED = ("#", "javascript:", "data:", "mailto:", "tel:")


@dataclass(frozen=True)
class Resource:
    tag: str
    url: str  # absolute
    active: bool
    integrity: str | None = None
    rel: str = ""


@dataclass
class Markup:
    """Shared by every reader of the page: read, never change."""

    metas: list[Mapping[str, str]] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)  # fetched on load
    forms: list[str] = field(default_factory=list)  # absolute action URLs
    inline_script_texts: list[str] = field(default_factory=list)

    def meta(self, *, http_equiv: str | None = None, name: str | None = None) -> list[str]:
        """``content`` of the meta elements with that http-equiv or name (case-insensitive)."""
        out = []
        for m in self.metas:
            by_equiv = http_equiv and m.get("http-equiv", "").strip().lower() == http_equiv.lower()
            by_name = name and m.get("name", "").strip().lower() == name.lower()
            if by_equiv or by_name:
                out.append(m.get("content", ""))
        return out


class _Renderer:
    def __init__(self, page: str) -> None:
        self.base = page
        self.out = Markup()
        self.inline = False  # inside a <script> without src

    def url(self, value: str) -> str | None:
        value = value.strip()
        if not value or value.startswith(_NOT_FETCHED):
            return None
        try:
            return urljoin(self.base, value)
        except ValueError:
            return None

    def start(self, tag: str, a: Mapping[str, str]) -> None:
        if tag == "base" and a.get("href"):
            with suppress(ValueError):  # not a URL: the base stays
                self.base = urljoin(self.base, a["href"])
        elif tag == "meta":
            self.out.metas.append(a)
        elif tag == "link":
            rels = set(a.get("rel", "").lower().split())
            url = self.url(a.get("href", ""))
            if url and rels & _ACTIVE_LINK_RELS:
                self.out.resources.append(Resource("link", url, True, a.get("integrity"),
                                                   " ".join(sorted(rels))))
            elif url and "icon" in " ".join(rels):
                self.out.resources.append(Resource("link", url, False, None, "icon"))
        elif tag == "form":
            self.out.forms.append(self.url(a.get("action", "")) or self.base)
        if tag == "script":
            self.inline = "src" not in a
        for (t, attr), active in FETCHED.items():
            if t == tag and a.get(attr):
                url = self.url(a[attr])
                if url:
                    self.out.resources.append(Resource(tag, url, active, a.get("integrity")))


def render(elements: Iterable[Element], page: str) -> Markup:
    """The browser's view of a page at ``page`` (its URL) with these elements."""
    reader = _Renderer(page)
    for element in elements:
        if not element.end:
            reader.start(element.tag, element.attrs)
        elif element.tag == "script" and reader.inline:
            reader.out.inline_script_texts.append(element.text)
            reader.inline = False
    return reader.out
