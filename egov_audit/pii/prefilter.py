"""Skipping the text that cannot hold what a pass looks for, before a pattern reads it.

The detector's candidate pattern (:data:`.patterns.DIGIT_RUN`) starts a match attempt at
every digit, and a page's style sheets and scripts are full of short numbers (``12px``,
``0.379``, ``#333``): on typical pages that pattern read about 40 MB/s, most of the
detector's time. A candidate holds ten digits, each apart from the next by at most
three separator characters (``" .-"``). So once the separators are deleted and the
digits are mapped to one letter, a stretch of text holding a candidate holds ten of
that letter in a row: ``bytes.translate`` and a substring test say so for a 1 KB chunk
at memory speed, and the pattern reads only the chunks that say yes (on typical pages,
about one in ten), and of those only the 128-character pieces that say yes again.

A text within Latin-1 (one byte per character, most pages) is read more directly: one
translation maps the characters a candidate is made of (digits, " ", ".", "-") to one
letter, so a candidate lies in a stretch of ten such letters or more, found by
``bytes.find``; the stretch's separators deleted leave its digits, and the pattern
reads only the stretches holding ten (dates and amounts do not). Other texts are read
by chunks.

The matches are exactly :data:`.patterns.DIGIT_RUN`'s over the whole text: the pattern
is run over each stretch of flagged chunks, widened on both sides to a character that
no candidate contains (so no match is cut and the engine's leftmost-first order is the
same as over the whole text). A test holds the two equal on hostile and random text.

The same translation counts ten-digit numbers for the text-table reader
(:func:`ten_digit_runs`), and a case-folded copy lets the detector test the hints of
its rarer passes (obfuscated e-mail, passport, MRZ, masks) in a few searches
(:func:`folded`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .patterns import DIGIT_RUN

CHUNK = 1024  # the flag's resolution; the translate and test cost ~2 us per chunk
SUB = 128  # a flagged chunk's pieces, flagged again before the pattern reads them
# A candidate's first ten digits span at most 10 + 9 x 3 = 37 characters: a window of
# CHUNK + REACH characters holds them whole when the candidate starts in the chunk.
REACH = 40
_RUN_CHARS = frozenset("0123456789 .-")
# UTF-8 of the window: digits -> "d", everything else -> "x" (multi-byte characters'
# bytes are >= 0x80, never a digit), separators deleted by translate's second argument.
_FLAG = bytes(0x64 if 0x30 <= b <= 0x39 else 0x78 for b in range(256))
_SEPARATORS = b" .-"
_TEN = b"d" * 10
_RUN_END = re.compile(r"[0-9 .\-]*+")  # one character class, possessive: linear
# Latin-1 of a text (one byte per character): the characters a candidate is made of
# (digits, " ", ".", "-") -> "d", every other -> "x".
_RUN_FLAG = bytes(0x64 if 0x30 <= b <= 0x39 or b in b" .-" else 0x78 for b in range(256))



def holds_digit_run(text: str, length: int) -> bool:
    """Whether ``re.search(f"[0-9]{{{length}}}", text)`` finds anything, at memory speed
    (one translation of the UTF-8, one substring test)."""
    return b"d" * length in text.encode("utf-8", "surrogatepass").translate(_FLAG)


def ten_digit_runs(text: str) -> int:
    """``len(re.findall("[0-9]{10}", text))`` at memory speed: both count, left to right,
    non-overlapping stretches of ten ASCII digits."""
    return text.encode("utf-8", "surrogatepass").translate(_FLAG).count(_TEN)


# Line view for the text-table reader: ASCII letters folded to lower case, ASCII digits
# to "0" (UTF-8 of a line: its ASCII digits are its only bytes 0x30-0x39), line breaks
# kept, every other byte a space.
_LINE_VIEW = bytes(b + 32 if 0x41 <= b <= 0x5A else b if 0x61 <= b <= 0x7A
                   else 0x30 if 0x30 <= b <= 0x39 else 0x0A if b == 0x0A else 0x20
                   for b in range(256))
_NOT_DIGIT_OR_BREAK = bytes(b for b in range(256) if b not in b"0\n")
_TEN_ZEROS = b"0" * 10


def line_views(text: str, min_runs: int) -> tuple[list[int], list[bytes]] | None:
    r"""None when ``ten_digit_runs(text) < min_runs``; else, for ``lines =
    text.split("\n")``, ``(ASCII digits per line, each line's view)``, from one
    translation: a view holds the line's ASCII letters in lower case, its ASCII digits
    as "0" and a space for any other byte. For an ASCII line, its view with "0" made a
    space too, split, is ``re.findall("[a-z]+", lines[i].lower())`` (as bytes); a
    non-ASCII line needs the exact test (the Kelvin sign's ``lower()`` is "k")."""
    view = text.encode("utf-8", "surrogatepass").translate(_LINE_VIEW)
    if view.count(_TEN_ZEROS) < min_runs:  # digits are its only "0": the same count
        return None
    digits = list(map(len, view.translate(None, _NOT_DIGIT_OR_BREAK).split(b"\n")))
    return digits, view.split(b"\n")


# Letters folded to lower case, brackets to "[" and "]", digits to "0", and the mask
# characters "*", "x" and "X" to "#", every other byte kept. A hint is then one
# substring test shared with its variants, and as long as the pass's pattern allows:
# "[at]" for "(at)", "{AT}"… (the obfuscated "at" stands in brackets), "0idn0" for an
# MRZ line's "<digit>IDN<digit>", "spor" for "PASPOR" and "passport", "##" for "**",
# "##" and "xxx" (one page scan fewer, for a few more exact tests where "x" meets "#",
# "*" or "x"). A longer needle is a faster scan: bytes.find steps up to its length.
_FOLD = bytes(0x23 if b in (0x2A, 0x58, 0x78) else b + 32 if 0x41 <= b <= 0x5A
              else 0x5B if b in (0x28, 0x7B) else 0x5D if b in (0x29, 0x7D)
              else 0x30 if 0x30 <= b <= 0x39 else b for b in range(256))


def folded(text: str) -> bytes:
    """``text`` as UTF-8 with case and closing brackets folded, for hint tests: a text
    holding a hint holds the hint folded, so a folded miss proves the hint absent and
    only a folded hit needs the exact test."""
    return text.encode("utf-8", "surrogatepass").translate(_FOLD)


def _flagged(text: str, at: int, size: int) -> bool:
    window = text[at:at + size + REACH].encode("utf-8", "surrogatepass")
    return _TEN in window.translate(_FLAG, _SEPARATORS)


def digit_runs(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``DIGIT_RUN.finditer(text)``, in order, reading with the pattern
    only the stretches of ``text`` that can hold one. A flagged chunk is looked at again
    in pieces of SUB characters, so the pattern reads a few hundred characters around
    each candidate rather than the whole kilobyte."""
    size = len(text)
    if size <= 4 * CHUNK:
        yield from DIGIT_RUN.finditer(text)
        return
    try:
        raw = text.encode("latin-1")  # one byte per character
    except UnicodeEncodeError:
        yield from _by_chunks(text, size)
        return
    # A candidate is made of [0-9 .-] only, so it lies inside one stretch of those
    # characters holding ten digits at least; the pattern reads each such stretch alone
    # (its ends are characters no candidate holds, so its matches are the whole text's
    # there). Dates and amounts (" 20-02-2023 ", "Rp 643.108.000") are such stretches
    # with fewer digits: counted, not read (the pattern takes ~5 us to fail on one).
    find = raw.translate(_RUN_FLAG).find
    start = find(_TEN)
    while start >= 0:
        stop = find(b"x", start)
        if stop < 0:
            stop = size
        if len(raw[start:stop].translate(None, _SEPARATORS)) >= 10:  # its digits
            yield from DIGIT_RUN.finditer(text, start, stop)
        start = find(_TEN, stop)


def _by_chunks(text: str, size: int) -> Iterator[re.Match[str]]:
    """:func:`digit_runs` for a text with characters past U+00FF (whose UTF-8 is longer
    than the text: positions are found by chunks, each encoded alone)."""
    done = 0  # everything before this is read (or proven to hold no candidate)
    for chunk in range(0, size, CHUNK):
        if chunk + CHUNK <= done or not _flagged(text, chunk, CHUNK):
            continue
        for at in range(chunk, min(chunk + CHUNK, size), SUB):
            if at + SUB <= done or not _flagged(text, at, SUB):
                continue
            # Start on a character no candidate contains (or where the last stretch
            # ended), so no candidate begins before the start and runs into the stretch.
            start = max(at, done)
            while start > done and text[start] in _RUN_CHARS:
                start -= 1
            # End on such a character too: the candidates that start here run out whole.
            stop = _RUN_END.match(text, min(at + SUB, size)).end()  # type: ignore[union-attr]
            yield from DIGIT_RUN.finditer(text, start, stop)
            done = stop
