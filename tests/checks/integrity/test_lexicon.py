"""The integrity lexicons: word-start matching gives what the full alternation gives."""

from __future__ import annotations

from collections import Counter

from egov_audit.checks.integrity._lexicon import Terms, defacement, gambling
from hypothesis import given, settings
from hypothesis import strategies as st

LEXICONS = [*(getattr(gambling(), part) for part in ("strong", "weak", "context")),
            defacement()]
PIECES = sorted({w for lex in LEXICONS for term in lex.terms for w in term.split()})


def full_alternation(terms: Terms, text: str) -> Counter[str]:
    """The reference: one finditer of the whole alternation."""
    hits: Counter[str] = Counter()
    for m in terms.pattern.finditer(text.lower()):
        hits[terms.terms[(m.lastindex or 1) - 1]] += 1
    return hits


# Text made of the lexicons' own words, glued or split by every separator the
# matcher tolerates and by letters that break a word boundary.
glue = st.sampled_from(["", " ", "  ", "-", "_", " - ", "\n", "a", "9", ".", ", ", "<b>"])
texts = st.lists(st.tuples(st.sampled_from(PIECES), glue), max_size=40).map(
    lambda parts: "".join(w.upper() if len(w) % 3 == 0 else w + g for w, g in parts))


@settings(max_examples=300, deadline=None)
@given(texts)
def test_word_start_matching_equals_the_full_alternation(text: str) -> None:
    for terms in LEXICONS:
        assert terms.count(text) == full_alternation(terms, text)


def test_known_spellings_are_counted() -> None:
    strong = gambling().strong
    hits = strong.count("Situs SLOT-GACOR hari ini, slotgacor maxwin; turboslot gacor")
    # The longest term wins where terms overlap ("situs slot" takes that "slot"),
    # separators may be absent ("slotgacor", "maxwin" = "max win"), and "turboslot"
    # has no word boundary before "slot", so only its "gacor" counts
    assert hits == {"situs slot": 1, "slot gacor": 1, "max win": 1, "gacor": 2}
