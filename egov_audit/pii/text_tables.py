"""Tables written as plain text: a PDF's rows, a fixed-width listing, a PPDB announcement.

Text has no cells, so a row's values lose the header that names them once the
header is more than a few words above (the detector's context window). KK read
without its header is a NIK; an account number or a NISN without it is nothing.
Here a *header line* (a short line without data naming at least one identifier
column, e.g. ``No  Nama  NIK  No. KK  NISN``) is remembered, and the numbers of
the rows below it are given back their column labels:

- **layout text** (cells apart by two spaces or more, as pypdf's layout mode and
  fixed-width listings print them): each number goes to the header cell whose
  stretch of the line holds its middle, so an empty cell does not shift the rest;
- **single-spaced text** (pypdf's plain mode): a row that starts with its row
  number and holds exactly as many numbers as the header names number columns
  gets them in order; any other row is left to the detector's own context.

The numbers given a label are cut out of the text that remains, so no value is
read twice under two names. Everything is one pass over the lines with bounded
work per line: at most ``MAX_LINE`` characters of a line are considered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from . import prefilter
from .lexicon import keyword_index

MAX_LINE = 2000  # a longer line is not a table row
# Words apart by one space: one cell. The look-ahead checks a step before it
# consumes (Python 3.11.2 kept a failed step's space; see pii/patterns.py).
_CELL = re.compile(r"[^ \t\n]++(?:(?= [^ \t\n]) [^ \t\n]++)*+")
_TOKEN = re.compile(r"[^ \t\n]++")
_ORDINAL_ONLY = re.compile(r"[ \t]{0,40}+([0-9]{1,5})[.)]?[ \t]{0,40}+")
MAX_RECORD = 40  # lines of one row written one cell per line
MIN_ROWS = 3  # a table worth labelling has at least this many long numbers
# Ten digits in a row: the shortest identifier a row can hold (NISN), counted by
# prefilter.ten_digit_runs (prefilter.line_views).
_WORD = re.compile(r"[a-z]+")
_DATAISH = re.compile(r"[0-9](?:[ .\-/]?[0-9]){4}|@")
_KEY_VALUE = re.compile(r":[ \t]*+[^ \t]")
# "1 ", "12. ", "7) ", "<li>3. ": a numbered row (after blanks and tags at the line start).
# Bounded prefix: the pattern is used with match() per line, and stays linear anywhere.
# The look-ahead and back-reference make the prefix atomic without a possessive group
# repeat, which Python 3.11.2 mishandles (see pii/patterns.py).
_ORDINAL = re.compile(r"(?=((?:[ \t]{1,40}|<[^<>\n]{0,200}>){0,8}))\1[0-9]{1,5}[.)]?[ \t]")
_NUMBERISH = re.compile(r"\+?[0-9][0-9.\-/]*+[,;]?")
_PASSPORT = re.compile(r"[A-Z]{1,2}[0-9]{6,7}[,;]?")
_NUMBER_KINDS = frozenset({"nik", "kk", "npwp", "nisn", "bpjs", "passport", "account", "card",
                           "phone", "nip", "not_personal", "payment_ref", "other_number"})


@dataclass(frozen=True)
class _Header:
    labels: list[str]  # one per column that takes numbers (single-spaced), or per cell
    kinds: list[str]
    bounds: list[int] | None  # layout: where each cell's stretch of the line ends
    sep: str = ""  # cells apart by tabs or "|": the n-th cell of a row is the n-th column

    def column(self, middle: float) -> int:
        assert self.bounds is not None
        for i, end in enumerate(self.bounds):
            if middle < end:
                return i
        return len(self.bounds) - 1


def _phrases(words: list[str]) -> list[tuple[str, str]]:
    """The context phrases of a header, left to right, longest first at each word."""
    index, longest = keyword_index()
    starts = _starts()
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        if words[i] not in starts:  # no phrase begins with this word: none to join
            i += 1
            continue
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n])
            kind = index.get(phrase)
            if kind is not None:
                found.append((phrase, kind))
                i += n
                break
        else:
            i += 1
    return found


@cache
def _starts() -> frozenset[str]:
    """The first word of every context phrase."""
    return frozenset(k.split(" ", 1)[0] for k in keyword_index()[0])


@cache
def _ends() -> frozenset[str]:
    """The last word of every context phrase: a line without one names no column."""
    return frozenset(k.rsplit(" ", 1)[-1] for k in keyword_index()[0])


def _header(line: str) -> _Header | None:
    # Cheapest tests first (every line of a page is tested): a key-value colon, then five
    # digits or an "@", then the words; the same verdict in any order.
    if len(line) > 300 or _KEY_VALUE.search(line) or _DATAISH.search(line) or _ends(
            ).isdisjoint(_WORD.findall(line.lower())) or sum(map(str.isdigit, line)) >= 6:
        return None  # "No. HP : 0822 - 0149 - 1475" is a field of a letter, not a header
    sep = _separator(line)
    cells = ([(c, 0, 0) for c in _cells(line, sep)] if sep  # empty cells count too
             else [(m.group(), m.start(), m.end()) for m in _CELL.finditer(line)])
    if len(cells) >= 2 and (sep or "  " in line):
        kinds = []
        for text, _, _ in cells:
            found = _phrases(_WORD.findall(text.lower()))
            kinds.append(found[0][1] if found else "")  # NPWP/NIK: the first word's kind
        if not any(k in _NUMBER_KINDS for k in kinds):
            return None
        labels = [text.strip() for text, _, _ in cells]
        if sep:  # cells are counted, not measured: a tab is one character wide here
            return _Header(labels, kinds, None, sep=sep)
        # A cell's stretch ends halfway through the gap before the next cell.
        bounds = [(a[2] + b[1]) // 2 for a, b in pairwise(cells)] + [MAX_LINE]
        return _Header(labels, kinds, bounds)
    words = _WORD.findall(line.lower())
    if len(words) > 40 or line.rstrip().endswith((".", ",")):
        return None  # a sentence, not a header (a voter list's header has 18 words)
    found = [(p, k) for p, k in _phrases(words) if k in _NUMBER_KINDS]
    if not found:
        return None
    return _Header([p for p, _ in found], [k for _, k in found], None)


def _separator(line: str) -> str:
    if "\t" in line:
        return "\t"
    return "|" if line.count("|") >= 2 else ""


def _cells(line: str, sep: str) -> list[str]:
    cells = line.split(sep)
    if sep == "|" and line.strip().startswith("|"):  # Markdown: "| a | b |"
        cells = line.strip()[1:].removesuffix("|").split("|")
    return cells


def _items(line: str, header: _Header, start: int) -> list[tuple[int, int]]:
    """Spans of the numbers in a row: tokens of ten digits or more, digit groups a
    space apart joined first (``0812 3456 7890``), passport numbers if a column
    names them."""
    passports = "passport" in header.kinds
    spans: list[tuple[int, int]] = []
    group: list[tuple[int, int]] = []  # short digit groups waiting to be joined

    def close() -> None:
        if group:
            a, b = group[0][0], group[-1][1]
            if sum(ch.isdigit() for ch in line[a:b]) >= 10:
                spans.append((a, b))
            group.clear()

    for m in _TOKEN.finditer(line, start):
        token = m.group()
        if _NUMBERISH.fullmatch(token):
            digits = sum(ch.isdigit() for ch in token)
            joinable = digits <= 5 and (not group or line[group[-1][1]:m.start()] == " ")
            if joinable:
                if group and len(group) >= 4:
                    close()
                group.append(m.span())
                continue
            close()
            if digits >= 10:
                spans.append(m.span())
            continue
        close()
        if passports and _PASSPORT.fullmatch(token):
            spans.append(m.span())
    close()
    return spans


def split(text: str, *, line_views: bool = True) -> tuple[dict[str, list[str]], str]:
    """``(values by column label, the text left)``. The text left keeps every line
    (a labelled number is blanked, so positions of the rest do not move).
    ``line_views=False`` tests every line in full (to test the shortcut against)."""
    columns: dict[str, list[str]] = {}
    if "\n" not in text:
        return columns, text
    views = prefilter.line_views(text, MIN_ROWS) if line_views else None
    if views is None:
        if line_views or prefilter.ten_digit_runs(text) < MIN_ROWS:
            return columns, text  # a page of prose, menus and scripts: no rows to label
        lines = text.split("\n")
        digits, words = [0] * len(lines), list[bytes]()
    else:
        lines = text.split("\n")
        digits, words = views
    ends = _end_bytes()
    header: _Header | None = None
    changed = False
    i = 0
    while i < len(lines):
        line = lines[i]
        first, i = i, i + 1
        if len(line) > MAX_LINE or not line.strip():
            continue
        # Shortcuts from the line views, each giving the full tests' verdict: a header
        # has fewer than six digits and a context word; a row's numbers (ten digits, or
        # a passport's six) and a bare row number are digits of that line.
        count = digits[first]
        if not words or (count < 6 and (not line.isascii() or not ends.isdisjoint(
                (words[first].replace(b"0", b" ") if count else words[first]).split()))):
            new = _header(line)
            if new is not None:
                header = new
                continue
        if header is None:
            continue
        if header.bounds is None and not header.sep and (not words or 0 < count <= 5) and (
                number := _ORDINAL_ONLY.fullmatch(line)) is not None:
            # One cell per line (a PDF read plainly): the row is every line up to the
            # next row number.
            expect = str(int(number.group(1)) + 1)
            while i < len(lines) and i - first <= MAX_RECORD and not (
                    (nxt := _ORDINAL_ONLY.fullmatch(lines[i])) and nxt.group(1) == expect):
                i += 1
            first += 1
            line = "\n".join(lines[first:i])
            mapped = _by_order(line, header, 0) if len(line) <= MAX_LINE else []
        elif words and count < (6 if "passport" in header.kinds else 10):
            continue  # no number a row could give a column
        else:
            mapped = _map(line, header)
        if not mapped:
            continue
        changed = True
        chars = list(line)
        for label, (a, b) in mapped:
            columns.setdefault(label, []).append(line[a:b].rstrip(",;"))
            chars[a:b] = " " * (b - a)
        lines[first:i] = "".join(chars).split("\n")
    return columns, ("\n".join(lines) if changed else text)


@cache
def _end_bytes() -> frozenset[bytes]:
    return frozenset(w.encode() for w in _ends())


def _map(line: str, header: _Header) -> list[tuple[str, tuple[int, int]]]:
    if header.sep:
        sep = header.sep
        if sep not in line:
            return []
        lead = line.lstrip().startswith(sep)  # "| 1 | …": the first "|" opens no cell
        return [(header.labels[n], span) for span in _items(line, header, 0)
                if 0 <= (n := line.count(sep, 0, span[0]) - lead) < len(header.labels)]
    if header.bounds is None:
        ordinal = _ORDINAL.match(line)
        if ordinal is None:
            return []
        # The row number is not a digit group of a phone.
        return _by_order(line, header, ordinal.end())
    if "  " not in line and "\t" not in line:
        return []  # not a layout row
    return [(header.labels[header.column((a + b) / 2)], (a, b))
            for a, b in _items(line, header, 0)]


def _by_order(text: str, header: _Header, start: int) -> list[tuple[str, tuple[int, int]]]:
    items = _items(text, header, start)
    if not items or len(items) != len(header.kinds):
        return []
    return list(zip(header.labels, items, strict=True))
