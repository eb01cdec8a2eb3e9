"""A column declared by its header (``NIK``, ``No KK``, ``No HP``) is validated in bulk.

Recipient lists put thousands of identifiers under one header. For such a
column the structural rules are compiled into one regular expression, so the
regex engine validates every value in C and Python only counts the results.
It is used only when it is provably equivalent to the general detector: when
every number-like candidate in the column matched (otherwise the column goes
through the general path, value by value). A test holds the two paths equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import islice

from .lexicon import lexicon

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
            for kind, body in (("nik", nik), ("kk", kk), ("phone", phone))}


# Runs is_placeholder rejects, tested as substrings of a phone column (conservative).
_RUNS = tuple(sorted({("0123456789" * 3)[i:i + 9] for i in range(10)}
                     | {("9876543210" * 3)[i:i + 9] for i in range(10)}))


def bulk(kind: str, text: str,
         head: int = 20) -> tuple[list[str], list[tuple[str, int, int]]] | None:
    """Every ``kind`` value in a column's text and the first ``head`` of them with
    positions, when the column is nothing but such values, one per line; else None.

    The proof is arithmetic (the values' lengths plus the line breaks add up to
    the text), so no other candidate, mask or address can hide in the column and
    the answer equals the value-by-value detector's."""
    pattern = patterns().get(kind)
    if pattern is None or not text:
        return None
    values = [t[0] for t in pattern.findall(text)]
    if not values or sum(map(len, values)) + len(values) - 1 != len(text):
        return None  # anything else in the column: judge value by value
    if not lexicon().placeholders.isdisjoint(values) or (
            kind == "phone" and any(r in text for r in _RUNS)):
        return None  # rare: let the exact path apply is_placeholder
    first = [(m.group(1), m.start(1), m.end(1))
             for m in islice(pattern.finditer(text), head)]
    return values, first
