"""What the header-family checks need from a page's markup, parsed once.

The stdlib HTML parser is tolerant of broken markup (government CMS themes
rarely validate) and fast enough for one entry page; a full DOM would add a
dependency for nothing. Results are cached per page text, so the CSP, SRI,
mixed-content and generator checks parse a page once between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from egov_audit.probes.html_links import defuse
from egov_audit.probes.http import HttpResponse

# Elements whose URL is fetched automatically when the page loads, and whether
# a browser treats the content as active (can run code / restyle the page).
_FETCHED: dict[tuple[str, str], bool] = {
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


@dataclass(frozen=True)
class Resource:
    tag: str
    url: str  # absolute
    active: bool
    integrity: str | None = None
    rel: str = ""


@dataclass
class Markup:
    metas: list[dict[str, str]] = field(default_factory=list)
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


class _Parser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.out = Markup()
        self._in_script = False
        self._script_text: list[str] = []

    def _url(self, value: str) -> str | None:
        value = value.strip()
        if not value or value.startswith(("#", "javascript:", "data:", "mailto:", "tel:")):
            return None
        try:
            return urljoin(self.base, value)
        except ValueError:
            return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and a.get("href"):
            self.base = urljoin(self.base, a["href"])
        elif tag == "meta":
            self.out.metas.append(a)
        elif tag == "link":
            rels = set(a.get("rel", "").lower().split())
            url = self._url(a.get("href", ""))
            if url and rels & _ACTIVE_LINK_RELS:
                self.out.resources.append(Resource("link", url, True, a.get("integrity"),
                                                   " ".join(sorted(rels))))
            elif url and "icon" in " ".join(rels):
                self.out.resources.append(Resource("link", url, False, None, "icon"))
        elif tag == "form":
            url = self._url(a.get("action", "")) or self.base
            self.out.forms.append(url)
        if tag == "script":
            self._in_script = "src" not in a
            self._script_text = []
        for (t, attr), active in _FETCHED.items():
            if t == tag and a.get(attr):
                url = self._url(a[attr])
                if url:
                    self.out.resources.append(Resource(tag, url, active, a.get("integrity")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script:
            self.out.inline_script_texts.append("".join(self._script_text))
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self._script_text.append(data)


@lru_cache(maxsize=64)
def _parse(text: str, base: str) -> Markup:
    parser = _Parser(base)
    try:
        # defuse: HTMLParser is quadratic on unclosed tags; hostile pages have them.
        parser.feed(defuse(text))
        parser.close()
    except Exception:
        pass
    return parser.out


def markup(resp: HttpResponse) -> Markup:
    """The page's markup (empty for non-HTML responses)."""
    if resp.content_type not in ("text/html", "application/xhtml+xml", ""):
        return Markup()
    return _parse(resp.text[:2_000_000], resp.final_url)


def origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    try:
        port = parts.port or default
    except ValueError:
        port = default
    return parts.scheme, (parts.hostname or "").lower(), port


def is_third_party(url: str, page: str) -> bool:
    """A different origin than the page (scheme, host or port)."""
    return origin(url) != origin(page)
