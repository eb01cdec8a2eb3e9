"""Term lists from data files, compiled into tolerant word matchers."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from egov_audit.datafiles import load_toml

_PACKAGE = __name__.rsplit(".", 1)[0]


def _term(term: str) -> str:
    # "slot gacor" also matches "slot-gacor", "slot_gacor" and "slotgacor".
    words = [re.escape(w) for w in term.lower().split()]
    return r"(?<![a-z0-9])" + r"[\s_-]*".join(words) + r"(?![a-z0-9])"


_WORD_START = re.compile(r"(?<![a-z0-9])[a-z0-9]")


@dataclass(frozen=True)
class Terms:
    """A term list matched as one alternation (longest first), tried at word starts only.

    One ``finditer`` of a hundred-term alternation costs about 5 µs per
    character and holds the interpreter lock for the whole call: a 4 MB page
    without a hit froze every other thread of the scan (the runner's deadline
    clock included) for 20 s. A term can only start where a word starts, and
    only with its own first letters, so each word start is tried against the
    few terms sharing its first two characters, in the same order; the result
    is that of the full alternation's ``finditer``.
    """

    terms: tuple[str, ...]
    pattern: re.Pattern[str]
    by_start: dict[str, re.Pattern[str]]  # first one or two characters -> those terms

    @classmethod
    def of(cls, terms: list[str]) -> Terms:
        ordered = sorted({t.lower() for t in terms}, key=len, reverse=True)  # longest first
        groups: dict[str, list[str]] = {}
        for index, term in enumerate(ordered):
            groups.setdefault(_key(term), []).append(
                f"(?P<t{index}>{_term(term)})")
        return cls(tuple(ordered),
                   re.compile("|".join(f"({_term(t)})" for t in ordered)),
                   {key: re.compile("|".join(parts)) for key, parts in groups.items()})

    def count(self, text: str) -> Counter[str]:
        """Hits per term (the canonical spelling from the list)."""
        hits: Counter[str] = Counter()
        lowered = text.lower()
        resume = 0  # matches never overlap, as with finditer
        for start in _WORD_START.finditer(lowered):
            at = start.start()
            if at < resume:
                continue
            best: tuple[int, int] | None = None  # (term index, end): the earliest term wins
            for key in {lowered[at:at + 2], lowered[at]}:
                candidates = self.by_start.get(key)
                m = candidates.match(lowered, at) if candidates is not None else None
                if m is not None and m.lastgroup is not None:
                    found = (int(m.lastgroup[1:]), m.end())
                    best = found if best is None else min(best, found)
            if best is not None:
                hits[self.terms[best[0]]] += 1
                resume = best[1]
        return hits


def _key(term: str) -> str:
    """The first two characters a match of ``term`` starts with (one for a
    one-letter first word, which a separator may follow)."""
    first = term.split()[0]
    return first[:2] if len(first) >= 2 else first


def _load(name: str) -> dict[str, list[str]]:
    data = load_toml(resources.files(_PACKAGE) / "data" / name, "integrity lexicon").data
    return {k: [str(x) for x in v] for k, v in data.items()}


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
