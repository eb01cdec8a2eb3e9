"""Whether a JSON document nests too deep to parse at all, told before it is parsed.

``json.loads`` recurses once per level, so a document nested deeper than the limit is
read as plain text instead (:mod:`.extract`). :func:`too_deep` runs on every JSON body,
so it reads the nesting with C-level passes over bytes, never a Python step per
character (a 1 MB list of records has 80,000 quotes and 20,000 brackets).
"""

from __future__ import annotations

import re
from itertools import accumulate

__all__ = ["too_deep"]


# Each pass keeps what lies outside strings as a quote-by-quote reading finds it:
# - a backslash matters only where it is followed by a quote. Then a pair of them is one
#   escaped backslash inside a string and nothing outside (a run of them starts an
#   escape: the character before it is no backslash), and a backslash left before a
#   quote escapes it inside a string, while outside it is ignored and the quote opens
#   one: that pair becomes a byte UTF-8 never holds (0xFF). Then every byte but
#   brackets, quotes and 0xFF goes;
# - two quotes side by side are an empty string, or one string ending where the next
#   begins: dropping them changes nothing around them. A list of records has no other
#   quotes, so strings holding brackets or escaped quotes are all the pattern below ever
#   reads. It reads each once: an unterminated one runs to the end of the text.
_ESCAPED_QUOTE = b"\xff"
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"\xff')
_STRING = re.compile(b'[\xff"][^"]*+(?:"|\\Z)')
_ROUND = bytes.maketrans(b"[]{}", b"()()")
_DEPTH_STEP = tuple(1 if b in b"(" else -1 if b in b")" else 0 for b in range(256))
_PAIR_PASSES = 8


def too_deep(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` at any point."""
    data = text.encode("utf-8", "surrogatepass")
    if b"\\" in data and b'\\"' in data:  # memchr first: a two-byte search is slower
        data = data.replace(b"\\\\", b"").replace(b'\\"', _ESCAPED_QUOTE)
    structure = data.translate(None, _NOT_STRUCTURE)
    if _ESCAPED_QUOTE in structure or structure.count(b'""') * 2 != structure.count(b'"'):
        structure = _STRING.sub(b"", structure.replace(b'""', b""))
    # No quote is left, or only quotes of empty strings: they go with the translation.
    return _deeper(structure.translate(_ROUND, b'"'), limit)


def _deeper(brackets: bytes, limit: int) -> bool:
    """Whether a run of ``(`` and ``)`` reaches depth ``limit + 1``. Summing the steps
    is a Python call per bracket, so innermost pairs go first, a level per pass: a
    list of records is gone after two. Dropping every ``()`` takes each peak down by
    one level, nothing else, so after k passes the deepest point is between the one
    left and k more; only when that leaves the answer open are the steps summed."""
    rest, passes = brackets, 0
    while passes < _PAIR_PASSES and b"()" in rest:
        rest, passes = rest.replace(b"()", b""), passes + 1
    deepest = max(accumulate(map(_DEPTH_STEP.__getitem__, rest), initial=0))
    if deepest > limit or deepest + passes <= limit:
        return deepest > limit
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets), initial=0)) > limit
