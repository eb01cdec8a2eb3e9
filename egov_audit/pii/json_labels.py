"""The label a JSON value is read under, shared by the walk (:mod:`.json_values`) and
the column reader (:mod:`.json_columns`), which must give exactly the same labels.

A key that names no kind of identifier (``nomor``) is read with its parent's name
(``rekening.nomor``); a small object whose text value names a kind (``{"jenis": "KK",
"nomor": …}``) labels its other values with that name. This sits apart from both
readers so that neither imports the other's module to label a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .lexicon import names_a_kind
from .prefilter import holds_digit_run

__all__ = ["LONG_DIGITS", "any_long_digits", "child_label", "long_digits", "named_by_sibling"]


def named_by_sibling(value: dict[Any, Any]) -> str | None:
    """``{"jenis": "KK", "nomor": "3218…"}``: a short text value naming a kind of number
    (under a key that names none) labels the object's other values. Looked for only
    in small objects (a label and a value, perhaps a note: four keys at most) holding a
    long number, so a list of full records costs one length test each."""
    if len(value) > 4 or not any(isinstance(v, int | str) and long_digits(str(v))
                                 for v in value.values()):
        return None
    for k, v in value.items():
        if (isinstance(v, str) and 1 < len(v) <= 30 and not long_digits(v)
                and not names_a_kind(str(k)) and names_a_kind(v)):
            return v
    return None


LONG_DIGITS = re.compile(r"[0-9]{6}")


def any_long_digits(texts: Iterable[str]) -> bool:
    """Whether any text holds six ASCII digits in a row: ``LONG_DIGITS`` searched in
    the texts joined by line breaks, by the pre-filter's byte translation instead
    (some four times faster over a column of addresses or names)."""
    return holds_digit_run("\n".join(texts), 6)


def long_digits(text: str) -> bool:
    """Six ASCII digits in a row; a value that is all digits says so without a search."""
    return (len(text) >= 6 and text.isdigit() and text.isascii()) or bool(
        LONG_DIGITS.search(text))


def child_label(parent: str, key: str) -> str:
    """``key`` as read under ``parent``: itself when it names a kind (or has no
    parent), else with the parent's last part, ``rekening.nomor``."""
    if not parent or names_a_kind(key):
        return key
    return f"{parent.rsplit('.', 1)[-1]}.{key}"
