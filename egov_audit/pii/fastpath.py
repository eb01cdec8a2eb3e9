"""A column declared by its header (``NIK``, ``No KK``, ``No HP``, ``No BPJS``,
``NISN``) is validated in bulk.

Recipient lists put thousands of identifiers under one header. For such a
column the structural rules are compiled into one regular expression that must
match the whole column, value after value, one per line: the regex engine
validates every value in C, and no Python object is made per value apart from
the strings ``str.split`` returns. It is used only when it is provably
equivalent to the general detector: when the whole column matched (otherwise
the column goes through the general path, value by value). A test holds the two
paths equal.

Where the C accelerator ``_column_rules`` was built (setup.py), it answers the
same question as the compiled pattern in one pass, some thirty times faster;
the pattern stays the reference, and tests hold the two equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from functools import cache
from itertools import islice

from . import accelerators
from .lexicon import lexicon

_native_whole_column: Callable[[str, str, bytes, bytes], bool] | None
_native_distinct_count: Callable[[Sequence[str], AbstractSet[str]], int] | None
try:
    from ._column_rules import distinct_count as _native_distinct_count
    from ._column_rules import whole_column as _native_whole_column
except ImportError:  # installed without a C compiler: the compiled pattern decides
    _native_whole_column = _native_distinct_count = None
if not accelerators.ENABLED:
    _native_whole_column = _native_distinct_count = None

_EDGE_BEFORE = r"(?<![0-9A-Za-z*•#_+])"
_EDGE_AFTER = r"(?![0-9A-Za-z*•#_])"


def _codes(values: Iterable[str]) -> str:
    """Two-digit codes as a compact pattern: {11, 12, 13, 21} → ``1[123]|21``."""
    by_first: dict[str, list[str]] = {}
    for v in sorted(values):
        by_first.setdefault(v[0], []).append(v[1])
    return "(?:" + "|".join(f"{a}[{''.join(b)}]" for a, b in by_first.items()) + ")"


# Day (women: +40) and month of a date that exists in every year; 29 Feb apart.
_DDMM_RE = ("(?:(?:0[1-9]|[12][0-9]|3[01]|4[1-9]|[56][0-9]|7[01])(?:0[13578]|1[02])"
            "|(?:0[1-9]|[12][0-9]|30|4[1-9]|[56][0-9]|70)(?:0[469]|11)"
            "|(?:0[1-9]|1[0-9]|2[0-8]|4[1-9]|5[0-9]|6[0-8])02)")
_DDMM_KK_RE = ("(?:(?:0[1-9]|[12][0-9]|3[01])(?:0[13578]|1[02])"
               "|(?:0[1-9]|[12][0-9]|30)(?:0[469]|11)|(?:0[1-9]|1[0-9]|2[0-8])02)")


# A token of one or two distinct digits (1111..., 1212...): what is_placeholder rejects
# and the structure alone may let through. Possessive quantifiers keep it linear.
_FEW = r"(?!([0-9])\2*+(?:([0-9])(?:\2|\3)*+)?+(?![0-9]))"


@cache
def patterns() -> dict[str, re.Pattern[str]]:
    """Group 1 is the value; groups 2-3 belong to the few-digits guard."""
    lex = lexicon()
    region = (_codes(lex.provinces) + _codes(f"{r:02d}" for r in lex.regencies)
              + "(?:0[1-9]|[1-9][0-9])")
    leap_yy = "(?:[02468][048]|[13579][26])"
    tail = "(?!0000)[0-9]{4}"
    nik = f"{_FEW}{region}(?:{_DDMM_RE}[0-9]{{2}}|(?:29|69)02{leap_yy}){tail}"
    kk = f"{_FEW}{region}(?:{_DDMM_KK_RE}[0-9]{{2}}|2902{leap_yy}){tail}"
    phone = rf"(?:\+62|62|0){_FEW}8[1-9][0-9]{{7,10}}"
    return {kind: re.compile(_EDGE_BEFORE + "(" + body + ")" + _EDGE_AFTER)
            for kind, body in _bodies(nik, kk, phone)}


def _bodies(nik: str, kk: str, phone: str) -> tuple[tuple[str, str], ...]:
    # Under a BPJS or NISN header every 13- or 10-digit number is one (detect.classify
    # decides them by length before any other rule).
    return (("nik", nik), ("kk", kk), ("phone", phone), ("bpjs", "[0-9]{13}"),
            ("nisn", "[0-9]{10}"))


@cache
def _whole_columns() -> dict[str, re.Pattern[str]]:
    """Per kind, a pattern whose ``fullmatch`` says a column is nothing but such values,
    one per line, no empty or trailing line. Each step is an atomic group,
    ``(?>(value + line end))``: it matches whole or not at all, so the possessive
    repeat never sees a step fail half-way and the work is one pass over the column,
    with no backtracking stack. Python 3.11.2 (Debian 12's) lets a possessive repeat of
    steps written as a look-ahead and a back-reference, or as a plain group, end on a
    half-matched value ("…\n08" read as a phone column). Group 1 is the step, as the
    value is in :func:`patterns`, so the few-digits guard's \2 and \3 hold."""
    out = {}
    for kind, pattern in patterns().items():
        body = pattern.pattern[len(_EDGE_BEFORE) + 1:-len(_EDGE_AFTER) - 1]
        out[kind] = re.compile(r"(?>(" + body + r"(?:\n(?!\Z)|\Z)))++")
    return out


def whole_column(kind: str, text: str) -> bool:
    """Whether ``text`` is nothing but ``kind`` values, one per line (no empty line)."""
    if _native_whole_column is not None:
        return _native_whole_column(kind, text, *region_masks())
    return whole_column_by_pattern(kind, text)


def whole_column_by_pattern(kind: str, text: str) -> bool:
    """:func:`whole_column` by the compiled pattern: the reference, and the fallback."""
    return _whole_columns()[kind].fullmatch(text) is not None


@cache
def region_masks() -> tuple[bytes, bytes]:
    """Province and regency codes for the accelerator: byte 10a+b is 1 when code "ab"
    is known. Built from the same two characters :func:`_codes` reads."""
    lex = lexicon()
    masks = []
    for codes in (lex.provinces, [f"{r:02d}" for r in lex.regencies]):
        mask = bytearray(100)
        for code in codes:
            mask[int(code[0]) * 10 + int(code[1])] = 1
        masks.append(bytes(mask))
    return masks[0], masks[1]


# Runs is_placeholder rejects, tested as substrings of a phone column (conservative).
# phone_normal tests the digits after the leading 0 (08…: they start with 8), so the only
# ascending or descending runs it can reject start 890123456… or 876543210…: two
# substring tests of the column instead of twenty.
_RUNS = ("890123456", "876543210")


def bulk(kind: str, text: str, head: int = 20) -> tuple[str, list[tuple[str, int, int]]] | None:
    """``(values, first)`` when a column's text is nothing but ``kind`` values, one per
    line: ``values`` is the text with a phone's ``+`` dropped (count its distinct
    lines with :func:`distinct_count`), ``first`` the first ``head`` values with their
    positions in ``text``; None otherwise.

    The whole column matched value by value, so no other candidate, mask or address
    can hide in it and the answer equals the value-by-value detector's."""
    if kind not in _whole_columns() or not text or not whole_column(kind, text):
        return None  # anything else in the column: judge value by value
    # Only a placeholder that passes the kind's rules can be a line of this column: a
    # substring test for each of those says whether the exact line test is needed.
    placeholders = _valid_placeholders(kind)
    if any(p in text for p in placeholders) and not placeholders.isdisjoint(text.split("\n")):
        return None  # rare: let the exact path apply is_placeholder
    if kind == "phone" and any(r in text for r in _RUNS):
        return None
    first = [(m.group(1), m.start(1), m.end(1))
             for m in islice(patterns()[kind].finditer(text), head)]
    return (text.replace("+", "") if kind == "phone" and "+" in text else text), first


@cache
def _valid_placeholders(kind: str) -> frozenset[str]:
    return frozenset(p for p in lexicon().placeholders if whole_column_by_pattern(kind, p))


def distinct_count(texts: Sequence[str], also: AbstractSet[str]) -> int:
    """``len(set(every line of every text) | also)``; texts from :func:`bulk` (ASCII).
    No Python object per line where the accelerator is built."""
    if _native_distinct_count is not None:
        return _native_distinct_count(texts, also)
    return distinct_count_by_python(texts, also)


def distinct_count_by_python(texts: Sequence[str], also: AbstractSet[str]) -> int:
    """:func:`distinct_count` with a set: the reference, and the fallback."""
    seen = set(also)
    for text in texts:
        seen.update(text.split("\n"))
    return len(seen)
