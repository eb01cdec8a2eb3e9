"""The elements of a page the model keeps, in document order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Start tags someone reads: links and frames, scripts and style sheets, forms
# and their fields, <base>, <meta>, and everything a browser fetches on load.
KEPT_TAGS = frozenset({
    "a", "area", "iframe", "frame", "script", "link", "form", "input", "select", "textarea",
    "base", "meta", "embed", "object", "img", "audio", "video", "source", "track",
})
# Attributes someone reads; the rest (style, class, data-*, on*) is dropped
# once the element's visibility is known, so an element costs little memory.
KEPT_ATTRIBUTES = frozenset({
    "href", "src", "rel", "integrity", "action", "method", "type", "name", "content",
    "http-equiv", "property", "data", "poster",
})
# End tags that close what a reader keeps open: a form (its fields end there)
# and a script (its text ends there). Others only matter to visibility.
KEPT_END_TAGS = frozenset({"form", "script"})


@dataclass(frozen=True)
class Element:
    """A start tag (``end`` False) or a kept end tag.

    ``attrs`` has lower-case names and ``""`` for a bare attribute; a repeated
    attribute keeps its last value (as the readers always did). ``text`` is a
    script's content, on its end tag.
    """

    tag: str
    attrs: Mapping[str, str] = field(default_factory=dict)
    end: bool = False
    text: str = ""
