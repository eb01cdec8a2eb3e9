"""The ground-truth side of the field corpus: documents, planted identifiers, negatives.

A layout writes a document through a :class:`Builder`; every identifier it prints goes
through :meth:`Builder.pos` (kind, value as printed, normalised value) and every
look-alike through :meth:`Builder.neg`, so the truth is recorded where the text is made.
The scoring harness (benchmarks/pii_field_bench.py) reads only this truth.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

# Our kinds (the harness maps the detector's names onto these in one table).
KINDS = (
    "nik",
    "kk",
    "npwp",
    "nip",
    "nisn",
    "bpjs",
    "phone",
    "email",
    "passport",
    "account",
    "card",
)

_EMAIL_AT = re.compile(r"\s*(?:\[at\]|\(at\)|&#64;|\[et\])\s*", re.IGNORECASE)
_EMAIL_DOT = re.compile(r"\s*(?:\[dot\]|\(dot\))\s*", re.IGNORECASE)


def normalise(kind: str, value: str) -> str:
    """The comparable form of a value: digits, an upper-case passport, a plain address."""
    if kind == "email":
        value = _EMAIL_DOT.sub(".", _EMAIL_AT.sub("@", value.strip()))
        return value.replace(" ", "").lower()
    if kind == "passport":
        return re.sub(r"[^0-9A-Za-z]", "", value).upper()
    number = re.sub(r"\D", "", value)
    if kind == "phone" and number.startswith("62"):
        number = "0" + number[2:]
    return number


@dataclass(frozen=True)
class Planted:
    kind: str
    value: str  # exactly as it appears in the document
    norm: str


@dataclass(frozen=True)
class Negative:
    cls: str  # e.g. "virtual_account", "masked", "placeholder_email"
    value: str


@dataclass
class Doc:
    name: str
    layout: str
    fmt: str  # the format the probe hands to extract(): csv, html, json, text
    text: str
    truth: tuple[Planted, ...]
    negatives: tuple[Negative, ...]
    data: bytes = b""  # a binary document (xlsx); ``text`` is then its readable rendering

    def body(self) -> bytes:
        """What a server would send: the binary file, or the text as UTF-8."""
        return self.data or self.text.encode()

    def truth_set(self) -> set[tuple[str, str]]:
        return {(p.kind, p.norm) for p in self.truth}


@dataclass
class Builder:
    rng: random.Random
    truth: list[Planted] = field(default_factory=list)
    negatives: list[Negative] = field(default_factory=list)

    def pos(self, kind: str, shown: str) -> str:
        """Record an identifier printed as ``shown``; return ``shown`` for the text."""
        assert kind in KINDS, kind
        self.truth.append(Planted(kind, shown, normalise(kind, shown)))
        return shown

    def neg(self, cls: str, shown: str) -> str:
        self.negatives.append(Negative(cls, shown))
        return shown

    def doc(self, name: str, layout: str, fmt: str, text: str, data: bytes = b"") -> Doc:
        return Doc(name, layout, fmt, text, tuple(self.truth), tuple(self.negatives), data)
