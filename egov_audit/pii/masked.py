"""Masked identifiers: ``1271**********01``, ``127101******0001``, ``0812****5678``.

A value is *fully masked* when the birth-date part of a NIK/KK (digits 7-12)
is hidden: nothing identifying is left and it is not a finding. It is
*partially masked* when the birth date is still visible (only the serial or
region is hidden): DOB, sex and district remain, so it still identifies.
"""

from __future__ import annotations

import re

from .validators import birth_date

MASK_CHARS = "*xX•#"
_MASKED = re.compile(r"[\d*xX•#](?:[ \-]?[\d*xX•#]){9,18}")
_HINTS = ("**", "••", "##", "xxx", "XXX")  # substring tests: memory speed
_JOIN = str.maketrans("", "", " -")


def find_masked(text: str) -> list[tuple[str, int, int, bool]]:
    """``(value, start, end, still_identifying)`` for every masked identifier.

    Only runs when the text contains mask characters at all, so clean
    documents pay one quick search.
    """
    if not any(h in text for h in _HINTS):
        return []
    found: list[tuple[str, int, int, bool]] = []
    for m in _MASKED.finditer(text):
        value = m.group()
        flat = value.translate(_JOIN)
        hidden = sum(flat.count(c) for c in MASK_CHARS)
        visible = len(flat) - hidden
        if hidden < 3 or visible < 2:
            continue
        start, end = m.start(), m.end()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isalnum() or after.isalnum():
            continue  # part of a word or a longer code
        if len(flat) == 16:
            dob = flat[6:12]
            found.append((value, start, end, dob.isdigit() and birth_date(dob) is not None))
        elif flat.startswith(("08", "+62", "62")) and 10 <= len(flat) <= 14:
            found.append((value, start, end, False))
    return found
