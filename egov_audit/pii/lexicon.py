"""The detector's data (province codes, context words, cues), loaded once from TOML.

Everything a reviewer may want to tune lives in ``data/*.toml`` inside this
package; this module only turns it into sets and compiled patterns.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

_SEPARATORS = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def load(name: str) -> dict[str, Any]:
    with files("egov_audit.pii").joinpath("data").joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


def compact(label: str) -> str:
    """``No. KK`` → ``nokk``: how labels and field names are compared."""
    return _SEPARATORS.sub("", label.lower())


def tokens(label: str) -> frozenset[str]:
    """``NIK_Ibu`` → {nik, ibu}; ``noKartu`` → {no, kartu}."""
    return frozenset(t for t in _SEPARATORS.split(_CAMEL.sub(" ", label).lower()) if t)


class WordSet:
    """Keywords matched two ways: on word boundaries in free text, and against labels."""

    def __init__(self, words: list[str]) -> None:
        self.words = tuple(words)
        self.compacts = frozenset(compact(w) for w in words)
        normal = [" ".join(_WORDS.findall(w.lower())) for w in words]
        self.single = frozenset(w for w in normal if " " not in w)
        # Phrases are found as " phrase " in text whose words are joined by single spaces.
        self.phrases = tuple(f" {w} " for w in normal if " " in w)

    def in_text(self, text: str) -> bool:
        """Whether ``text`` (any case) contains one of the words as whole words.

        A set intersection of the text's words and a few substring tests: both
        run in C, unlike a regular expression with many alternatives."""
        words, joined = _words(text)
        if not self.single.isdisjoint(words):
            return True
        return any(p in joined for p in self.phrases)

    def matches_label(self, label: str) -> bool:
        return _matches_label(self.compacts, label)


_WORDS = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=64)
def _words(text: str) -> tuple[frozenset[str], str]:
    """Words of a text, as a set and joined by single spaces; cached, because
    several word sets are usually tested on one text."""
    words = _WORDS.findall(text.lower())
    return frozenset(words), " " + " ".join(words) + " "


@lru_cache(maxsize=8192)
def _matches_label(compacts: frozenset[str], label: str) -> bool:
    """A label names a kind when a keyword is one of its tokens, the whole
    compact label, or (for keywords of five letters or more) inside it."""
    if not label:
        return False
    c = compact(label)
    if c in compacts or tokens(label) & compacts:
        return True
    return any(len(k) >= 5 and k in c for k in compacts)


@dataclass(frozen=True)
class Lexicon:
    provinces: frozenset[str]
    regencies: frozenset[int]
    placeholders: frozenset[str]
    nip_min_birth_year: int
    nip_min_age: int
    window: int
    context: dict[str, WordSet]
    institutional_email: tuple[str, ...]
    non_tlds: frozenset[str]
    email_placeholder_domains: frozenset[str]
    email_placeholder_locals: frozenset[str]
    cues: dict[str, WordSet]


@cache
def lexicon() -> Lexicon:
    data = load("identifiers.toml")
    nik = data["nik"]
    regencies = frozenset(
        code for lo, hi in nik["regency_ranges"] for code in range(int(lo), int(hi) + 1)
    )
    ctx = data["context"]
    return Lexicon(
        provinces=frozenset(nik["provinces"]),
        regencies=regencies,
        placeholders=frozenset(nik["placeholders"]),
        nip_min_birth_year=int(data["nip"]["min_birth_year"]),
        nip_min_age=int(data["nip"]["min_age_at_appointment"]),
        window=int(ctx["window"]),
        context={k: WordSet(v) for k, v in ctx.items() if isinstance(v, list)},
        institutional_email=tuple(data["email"]["institutional_suffixes"]),
        non_tlds=frozenset(data["email"]["non_tlds"]),
        email_placeholder_domains=frozenset(data["email"]["placeholder_domains"]),
        email_placeholder_locals=frozenset(data["email"]["placeholder_locals"]),
        cues={k: WordSet(v) for k, v in data["cues"].items()},
    )


@cache
def keyword_index() -> tuple[dict[str, str], int]:
    """Every context phrase (words joined by one space, letters only) and its kind, and
    the most words a phrase has. The first kind listed wins a phrase two kinds share."""
    index: dict[str, str] = {}
    for kind, words in lexicon().context.items():
        if kind == "institutional":
            continue
        for word in words.words:
            index.setdefault(" ".join(_LETTERS.findall(word.lower())), kind)
    return index, max(len(k.split()) for k in index)


_LETTERS = re.compile(r"[a-z]+")  # context words have no digits


@lru_cache(maxsize=8192)
def names_a_kind(label: str) -> bool:
    """Whether a label (column header, JSON key) names any kind of number."""
    return kind_named(label) is not None


@lru_cache(maxsize=8192)
def kind_named(label: str) -> str | None:
    """The first kind of number (in the data file's order) a label names, if any."""
    for kind, words in lexicon().context.items():
        if kind != "institutional" and words.matches_label(label):
            return kind
    return None


@cache
def web() -> dict[str, Any]:
    return load("web.toml")
