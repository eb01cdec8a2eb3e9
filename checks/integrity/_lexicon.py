"""Term lists from data files, compiled into tolerant word matchers."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

_PACKAGE = __name__.rsplit(".", 1)[0]


def _term(term: str) -> str:
    # "slot gacor" also matches "slot-gacor", "slot_gacor" and "slotgacor".
    words = [re.escape(w) for w in term.lower().split()]
    return r"(?<![a-z0-9])" + r"[\s_-]*".join(words) + r"(?![a-z0-9])"


@dataclass(frozen=True)
class Terms:
    terms: tuple[str, ...]
    pattern: re.Pattern[str]

    @classmethod
    def of(cls, terms: list[str]) -> Terms:
        ordered = sorted({t.lower() for t in terms}, key=len, reverse=True)  # longest first
        return cls(tuple(ordered), re.compile("|".join(f"({_term(t)})" for t in ordered)))

    def count(self, text: str) -> Counter[str]:
        """Hits per term (the canonical spelling from the list)."""
        hits: Counter[str] = Counter()
        for m in self.pattern.finditer(text.lower()):
            hits[self.terms[(m.lastindex or 1) - 1]] += 1
        return hits


def _load(name: str) -> dict[str, list[str]]:
    raw = (resources.files(_PACKAGE) / "data" / name).read_text("utf-8")
    return {k: [str(x) for x in v] for k, v in tomllib.loads(raw).items()}


@dataclass(frozen=True)
class Lexicon:
    strong: Terms
    weak: Terms
    context: Terms


@cache
def gambling() -> Lexicon:
    data = _load("gambling_lexicon.toml")
    return Lexicon(Terms.of(data["strong"]), Terms.of(data["weak"]), Terms.of(data["context"]))


@cache
def defacement() -> Terms:
    return Terms.of(_load("defacement.toml")["markers"])
