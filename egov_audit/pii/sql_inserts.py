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

# The column list is optional: mysqldump writes ``INSERT INTO `t` VALUES (…)`` and the
# ``CREATE TABLE `t` (…)`` above gives the order. The name stops at a blank or "(".
_HEADER = re.compile(
    r"INSERT\s+INTO\s+([^\s(]++)\s*(?:\(([^();]*)\)\s*)?VALUES\s*", re.I)
_CREATE = re.compile(
    r"CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([^\s(]++)\s*\(", re.I)
MAX_CREATE = 64 * 1024  # a table definition longer than this is not read
_NOT_COLUMNS = frozenset({"primary", "key", "unique", "index", "constraint", "foreign",
                          "check", "fulltext", "spatial", "exclude", "period"})
# ";" then blanks up to the end of a line: what ";\s*$" meant in MULTILINE mode.
_END = re.compile(r";[^\S\n]*+(?:\n|\Z)")
_TUPLE_SPLIT = re.compile(r"\)\s*,\s*\(")
# pg_dump: COPY t (a, b) FROM stdin; then one tab-separated row per line up to "\.".
_COPY = re.compile(r"COPY\s+[^\s(]++\s*\(([^();]*+)\)\s*FROM\s+stdin;[^\n]*+\n", re.I)
_COPY_END = re.compile(r"^\\\.[^\S\n]*+$", re.M)


@dataclass(frozen=True)
class Insert:
    names: list[str]
    rows: list[list[str]]
    start: int  # span of the statement in the dump, terminator included
    end: int


def _table_name(name: str) -> str:
    """```db`.`penerima``` → ``penerima``: how an INSERT and a CREATE TABLE are matched."""
    return name.rsplit(".", 1)[-1].strip("`\"[]").lower()


def _definition_columns(text: str, start: int) -> tuple[list[str], int]:
    """Column names of the definition whose "(" ends at ``start``, in order: one pass
    over at most MAX_CREATE characters, splitting at commas outside parentheses
    (``DECIMAL(10,2)``) and quotes, skipping constraints (PRIMARY KEY, INDEX…).
    Also returns where the reading stopped: the next definition is looked for after
    it, so no character is read twice."""
    names: list[str] = []
    depth, quote, item = 0, "", start
    for i in range(start, min(len(text), start + MAX_CREATE)):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif ch in ",)":
            words = text[item:i].split(None, 1)
            if words and words[0].strip("`\"[]").lower() not in _NOT_COLUMNS:
                names.append(words[0].strip("`\"[]"))
            item = i + 1
            if ch == ")":
                return names, i + 1
    return [], min(len(text), start + MAX_CREATE)


def _definitions(text: str) -> dict[str, list[str]]:
    """Column order of every CREATE TABLE in the dump, by table name."""
    tables: dict[str, list[str]] = {}
    if "CREATE" not in text and "create" not in text:
        return tables
    pos = 0
    while (m := _CREATE.search(text, pos)) is not None:
        names, pos = _definition_columns(text, m.end())
        if names:
            tables[_table_name(m.group(1))] = names
    return tables


def inserts(text: str) -> Iterator[Insert]:
    """Every well-formed multi-row INSERT, in order, with its column names (from its own
    column list, else from the CREATE TABLE of its table, else none)."""
    tables: dict[str, list[str]] | None = None
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
        if head.group(2) is not None:
            names = [n.strip(" `\"[]\n") for n in head.group(2).split(",")]
        else:
            if tables is None:
                tables = _definitions(text)
            names = tables.get(_table_name(head.group(1)), [])
        yield Insert(names, rows, head.start(), end.end())
        pos = end.end()


def copies(text: str) -> Iterator[Insert]:
    """Every ``COPY … FROM stdin`` block of a PostgreSQL dump, with its column names;
    rows are the lines up to ``\\.`` split at tabs (``\\N`` is an empty cell)."""
    if "COPY" not in text and "copy" not in text:
        return
    pos = 0
    while (head := _COPY.search(text, pos)) is not None:
        end = _COPY_END.search(text, head.end())
        if end is None:
            return  # no terminator remains: no later block can end either
        names = [n.strip(" `\"[]\n") for n in head.group(1).split(",")]
        body = text[head.end():end.start()]
        rows = [["" if c == "\\N" else c for c in line.split("\t")]
                for line in body.split("\n") if line]
        yield Insert(names, rows, head.start(), end.end())
        pos = end.end()
