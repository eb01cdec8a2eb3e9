"""Decoded views of a text, with a map from every decoded span back to the raw text.

A server can write a NIK as ``%33%32%30%31…``, ``3201+0145+0190+0001``,
``&#51;&#50;…``, ``\\u0033\\u0032…`` or encode it twice (``%2533…``). Whoever
reads our report decodes it in their head or with one click, so the redactor
must see the identifier too: it searches these views and masks the raw span
each hit came from. Decoding repeats (up to :data:`MAX_LEVELS`) until nothing
changes, which undoes double and mixed encodings.

One pass per level, a regular expression of bounded alternatives: linear.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field

MAX_LEVELS = 4

# Percent escapes, "+" (form encoding) where it can join or hide a value (next to a
# digit, "=" or ":"; elsewhere it changes nothing the redactor looks for), numeric and
# named HTML references, JSON and JavaScript escapes. Each decodes to one character.
_ESCAPE = re.compile(
    r"%[0-9A-Fa-f]{2}|(?<=[0-9=:+])\+|\+(?=[0-9=:(])|&#[0-9]{1,7};?|&#[xX][0-9A-Fa-f]{1,6};?|&[A-Za-z][A-Za-z0-9]{1,31};?"
    r"|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\[\\/\"']"
)
_HINTS = ("%", "+", "&", "\\")
# Look-alike spaces and dashes print like separators: read them as separators.
_LOOKALIKES = str.maketrans({"\xa0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ",
                             "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                             "\u2212": "-", "\u200b": "", "\ufeff": ""})
_HAS_LOOKALIKE = frozenset("\xa0\u2007\u2009\u202f\u2010\u2011\u2012\u2013\u2212\u200b\ufeff")
_NOT_DECODED = "\ufffd"  # a non-ASCII byte or an unknown reference: never part of a value


def _decode_one(escape: str) -> str | None:
    """The character ``escape`` stands for; None when it is not an escape after all
    (``&q`` in a query string is a parameter, not a character reference)."""
    head = escape[0]
    if head == "%":
        code = int(escape[1:], 16)
        return chr(code) if code < 0x80 else _NOT_DECODED
    if escape == "+":
        return " "
    if head == "&":
        if escape[1] == "#":
            digits = escape[2:].rstrip(";")
            code = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
            return chr(code) if 0 < code < 0x110000 else _NOT_DECODED
        text = html.unescape(escape if escape.endswith(";") else escape + ";")
        return text if len(text) == 1 else None
    if escape[1] in "ux":
        return chr(int(escape[2:], 16))
    return escape[1]


@dataclass(frozen=True)
class View:
    """``text`` decoded one level from ``parent`` (None: from the raw text).

    ``starts[k]`` is the decoded position of the k-th escape, which came from
    ``raw_starts[k]:raw_ends[k]`` of the parent's text."""

    text: str
    parent: View | None
    starts: list[int] = field(default_factory=list)
    raw_starts: list[int] = field(default_factory=list)
    raw_ends: list[int] = field(default_factory=list)

    def _local(self, pos: int) -> tuple[int, int]:
        """The parent span that produced decoded character ``pos``."""
        k = bisect_right(self.starts, pos) - 1
        if k < 0:
            return pos, pos + 1
        if self.starts[k] == pos:
            return self.raw_starts[k], self.raw_ends[k]
        raw = self.raw_ends[k] + (pos - self.starts[k] - 1)
        return raw, raw + 1

    def regions(self, margin: int) -> list[tuple[int, int]]:
        """The parts of ``text`` within ``margin`` characters of an escape, merged.

        Elsewhere a first-level view reads like the raw text, which is searched
        anyway; a deeper view is searched whole (double encoding is rare)."""
        size = len(self.text)
        if self.parent is not None or not self.starts:
            return [(0, size)]
        merged: list[tuple[int, int]] = []
        for pos in self.starts:
            lo, hi = max(0, pos - margin), min(size, pos + margin + 1)
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
            else:
                merged.append((lo, hi))
        return merged

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the raw text that decodes to ``text[start:end]`` (end > start)."""
        lo, hi = self._local(start)[0], self._local(end - 1)[1]
        if self.parent is None:
            return lo, hi
        return self.parent.raw_span(lo, hi)


def _decode(text: str, parent: View | None) -> View | None:
    if not any(h in text for h in _HINTS):
        return None
    out: list[str] = []
    starts: list[int] = []
    raw_starts: list[int] = []
    raw_ends: list[int] = []
    pos = 0
    decoded_len = 0
    for m in _ESCAPE.finditer(text):
        s, e = m.span()
        char = _decode_one(m.group())
        if char is None:
            continue  # copied with the plain text around it
        if s > pos:
            out.append(text[pos:s])
            decoded_len += s - pos
        out.append(char)
        starts.append(decoded_len)
        raw_starts.append(s)
        raw_ends.append(e)
        decoded_len += 1
        pos = e
    if not starts:
        return None
    out.append(text[pos:])
    decoded = "".join(out)
    if decoded == text:
        return None  # only escapes that decode to themselves, such as "\\/" in "/"
    return View(decoded, parent, starts, raw_starts, raw_ends)


def views(text: str) -> list[View]:
    """Every distinct decoded view of ``text``, shallowest first (none for plain text).

    Look-alike spaces and dashes are read as separators in every view; when the
    text has no escapes but has look-alikes, that normalised text is the only view."""
    found: list[View] = []
    current = text
    parent: View | None = None
    for _ in range(MAX_LEVELS):
        view = _decode(current, parent)
        if view is None:
            break
        found.append(view)
        current, parent = view.text, view
    normalised = [_normalise(v) for v in found]
    if not found and not _HAS_LOOKALIKE.isdisjoint(text):
        plain = _normalise(View(text, None))
        if plain.text != text:
            normalised.append(plain)
    return normalised


def _normalise(view: View) -> View:
    """The view with look-alike spaces read as spaces (same length, same map), or
    with zero-width characters dropped (then re-mapped through a child view)."""
    if _HAS_LOOKALIKE.isdisjoint(view.text):
        return view
    if "\u200b" not in view.text and "\ufeff" not in view.text:
        return View(view.text.translate(_LOOKALIKES), view.parent, view.starts,
                    view.raw_starts, view.raw_ends)
    # Zero-width characters vanish: map each kept character back one by one.
    kept = [i for i, ch in enumerate(view.text) if ch not in "\u200b\ufeff"]
    text = "".join(view.text[i] for i in kept).translate(_LOOKALIKES)
    return View(text, view, list(range(len(kept))), kept, [i + 1 for i in kept])
