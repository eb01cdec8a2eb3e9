"""``INSERT INTO t (a, b) VALUES (...), (...);`` statements of a SQL dump, found in linear time.

The old single pattern ended in ``VALUES (.*?);\\s*$``: with no terminating
``;`` every ``INSERT`` scanned to the end of the dump, so a dump of unterminated
statements cost the square of its size, and removing each statement with
``str.replace`` rescanned the whole text once per statement. Here statements
are read left to right: the header pattern cannot run past the next
parenthesis, the terminator is searched from where the header ended, and once
no terminator is left none can be found for any later statement either.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass

_HEADER = re.compile(
    r"INSERT\s+INTO\s+[^\s(]+\s*\(([^();]*)\)\s*VALUES\s*", re.I)
# ";" then blanks up to the end of a line: what ";\s*$" meant in MULTILINE mode.
_END = re.compile(r";[^\S\n]*+(?:\n|\Z)")
_TUPLE_SPLIT = re.compile(r"\)\s*,\s*\(")


@dataclass(frozen=True)
class Insert:
    names: list[str]
    rows: list[list[str]]
    start: int  # span of the statement in the dump, terminator included
    end: int


def inserts(text: str) -> Iterator[Insert]:
    """Every well-formed multi-row INSERT with a column list, in order."""
    pos = 0
    while (head := _HEADER.search(text, pos)) is not None:
        end = _END.search(text, head.end())
        if end is None:
            return  # no ";" at a line end remains: no later statement can end either
        body = text[head.end():end.start()].strip().removeprefix("(").removesuffix(")")
        try:
            rows = list(csv.reader(_TUPLE_SPLIT.split(body), quotechar="'",
                                   skipinitialspace=True))
        except csv.Error:  # a field past csv's size limit: leave the statement as text
            pos = end.end()
            continue
        names = [n.strip(" `\"[]\n") for n in head.group(1).split(",")]
        yield Insert(names, rows, head.start(), end.end())
        pos = end.end()
