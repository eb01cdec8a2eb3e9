"""Personal-data signals in web pages: what a form collects, trackers, privacy notices."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from urllib.parse import urlsplit

from ..page import Form, parse_page
from .lexicon import WordSet, compact, tokens, web

# Linear by construction: an opening tag cannot run past the next "<", and links are
# read left to right, each closing tag searched once from where its link opened (a
# lazy "<a ...>(.*?)</a>" rescanned the rest of the page for every unclosed link).
_A_OPEN = re.compile(r"<a\b([^<>]*+)>", re.I)
_A_CLOSE = re.compile(r"</a\s*+>", re.I)
_HREF = re.compile(r"""href\s*+=\s*+["']?([^"'\s>]*+)""", re.I)
_TAG = re.compile(r"<[^<>]*+>")


@cache
def _field_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = web()["form_fields"]
    return (frozenset(data["identifier"]), frozenset(data["personal"]),
            frozenset(data["personal_types"]))


def _named(name: str, words: frozenset[str]) -> bool:
    return compact(name) in words or bool(tokens(name) & words)


def identifier_fields(form: Form) -> list[str]:
    """Fields that collect an identifier or a phone number (NIK, KK, NPWP, HP...)."""
    ident, _, _ = _field_sets()
    return [f.name for f in form.fields
            if f.type not in ("hidden", "submit", "button")
            and (_named(f.name, ident) or f.type == "tel")]


def personal_fields(form: Form) -> list[str]:
    """Fields that collect any personal data (identifiers, name, address, e-mail...)."""
    ident, personal, types = _field_sets()
    return [f.name or f.type for f in form.fields
            if f.type not in ("hidden", "submit", "button", "password")
            and (f.type in types or _named(f.name, ident | personal))]


def trackers_in(body: bytes, page_url: str) -> list[str]:
    """Third-party trackers the page loads: known tracker hosts anywhere in the page
    (script tags or inline loaders), and scripts on other hosts whose file name is a
    known tracker loader."""
    data = web()["trackers"]
    lowered = body.lower()
    found = [h for h in data["hosts"] if h.encode() in lowered]
    page_host = urlsplit(page_url).hostname
    for src in parse_page(body.decode("utf-8", "replace"), page_url).crawl.scripts:
        host, lowered_src = urlsplit(src).hostname, src.lower()
        if (host and host != page_host
                and any(n in lowered_src for n in data["script_names"])
                and not any(h in lowered_src for h in found)):
            found.append(host)
    return found


@cache
def _privacy_words() -> WordSet:
    return WordSet(web()["privacy_notice"]["words"])


def links_privacy_notice(html: str) -> bool:
    """Whether the page links to a privacy notice (by link text or address)."""
    words = _privacy_words()
    for attrs, text in anchors(html):
        href = _HREF.search(attrs)
        target = (href.group(1) if href else "").lower()
        label = _TAG.sub(" ", text).lower()
        if words.in_text(label) or words.in_text(target.replace("/", " ").replace(".", " ")):
            return True
    return False


def anchors(html: str) -> Iterator[tuple[str, str]]:
    """(attributes, inner HTML) of every ``<a ...>...</a>``, in one pass."""
    pos = 0
    while (opening := _A_OPEN.search(html, pos)) is not None:
        closing = _A_CLOSE.search(html, opening.end())
        if closing is None:
            return  # no "</a>" is left for this link or any after it
        yield opening.group(1), html[opening.end():closing.start()]
        pos = closing.end()


def is_privacy_page(url: str, html: str) -> bool:
    path = url.lower().split("?", 1)[0]
    title = html[:4096].lower()
    return any(w in path for w in ("privas", "privacy")) or (
        "<title" in title and _privacy_words().in_text(title.split("</title", 1)[0]))
