"""JSON values with the labels they are read under: every scalar of a parsed document
under its key, and whether a document nests too deep to parse at all.

A key that names no kind of identifier (``nomor``) is read with its parent's name
(``rekening.nomor``); a small object whose text value names a kind (``{"jenis": "KK",
"nomor": …}``) labels its other values with that name; a table sent as field names
and rows of values is read as columns. Nothing here recurses: nesting is walked with
an explicit stack, so the work is one step per value however deep the document; and
:func:`collect` reads a run of records of one shape, or such a table, a column at a
time, in C-level passes, giving exactly what the walk (:func:`leaves`) gives.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import ge, ne, sub
from typing import Any

from .lexicon import names_a_kind

__all__ = ["collect", "leaves", "too_deep"]


# Nesting is read with C-level passes over bytes, never a Python step per character (a
# 1 MB list of records has 80,000 quotes and 20,000 brackets). Each keeps what lies
# outside strings as a quote-by-quote reading finds it:
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


def leaves(data: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(key, value) for every scalar, in document order; an explicit stack, so the
    work is one step per value however deep the nesting. A key that names no kind of
    identifier (``nomor``) is given with its parent's: ``rekening.nomor``."""
    stack: list[tuple[Any, str]] = [(data, key)]
    while stack:
        value, key = stack.pop()
        if isinstance(value, dict):
            stack.extend(_children(value, key))
        elif isinstance(value, list):
            stack.extend((v, key) for v in reversed(value))
        elif not (isinstance(value, bool) or value is None):
            yield key, str(value)


def _children(value: dict[Any, Any], key: str) -> list[tuple[Any, str]]:
    """An object's values with their labels, last first (to be pushed on a stack)."""
    table = _names_and_rows(value)
    if table is not None:  # {"fields": ["nik", …], "rows": [["3218…", …], …]}
        return _cells(*table)
    return _fields(value, key)


def _cells(names: list[str], rows: list[list[Any]]) -> list[tuple[Any, str]]:
    return [(cell, names[i]) for row in reversed(rows)
            for i, cell in reversed(list(enumerate(row[:len(names)])))]


def _fields(value: dict[Any, Any], key: str) -> list[tuple[Any, str]]:
    named = _named_by_sibling(value)
    return [(v, named if named is not None and not isinstance(v, dict | list)
             and not names_a_kind(str(k)) else _label(key, str(k)))
            for k, v in reversed(value.items())]


def collect(data: Any, by_key: defaultdict[str, list[str]]) -> None:
    """``by_key[key].append(value)`` for every (key, value) :func:`leaves` gives, in
    its order, with less work per value: a list is walked by one iterator, a run of
    records of one shape in it is read a column at a time (:func:`_column_run`), as is
    a fields-and-rows table (:func:`_table_run`), and any other flat record (no list
    or object inside) is read in place, its labels cached per (parent, keys)."""
    labels: dict[tuple[Any, ...], list[str]] = {}  # (parent, *keys) -> labels
    failed: set[tuple[Any, ...]] = set()  # (parent, *keys) not to read as columns
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, key = stack.pop()
        if isinstance(value, list):
            value = (_runs(value, key, labels, failed) if len(value) >= _MIN_LIST
                     else iter(value))
        if isinstance(value, _LIST_WALKS):
            for item in value:
                if isinstance(item, dict):
                    if not any(isinstance(v, dict | list) for v in item.values()):
                        _flat_record(item, key, by_key, labels)
                        continue
                elif type(item) is _ColumnRun:
                    for label, values in item.columns:
                        by_key[label].extend(values)
                    continue
                elif not isinstance(item, list):
                    if not (isinstance(item, bool) or item is None):
                        by_key[key].append(str(item))
                    continue
                stack.append((value, key))  # the rest of this list, after the item
                stack.append((item, key))
                break
        elif isinstance(value, dict):
            table = _names_and_rows(value)
            if table is None:
                stack.extend(_fields(value, key))
            elif (run := _table_run(*table)) is not None:
                for label, values in run.columns:
                    by_key[label].extend(values)
            else:
                stack.extend(_cells(*table))
        elif not (isinstance(value, bool) or value is None):
            by_key[key].append(str(value))


# A run of records with the same keys in the same order (an export, an API page) is
# flattened, sliced into columns and appended by extend: C-level passes, not Python steps per
# value. Shorter runs are read record by record, as are lists holding anything else.
_MIN_RUN = 8
_MIN_LIST = 32  # shorter lists gain little, and a search that finds nothing costs
_FIRST_CHUNK = 64
# What collect walks a list with (not the Iterator ABC: checking it costs more)
_LIST_WALKS: tuple[type[Iterator[Any]], ...] = (type(iter([])), chain)
_SCALARS = frozenset({str, int, float, bool, type(None)})
_TEXT = frozenset({str})
_NO_VALUE = frozenset({bool, type(None)})  # true, false, null: leaves gives nothing
_NUMBERS = frozenset({str, int})  # what _named_by_sibling reads long numbers in


class _ColumnRun:
    """Records read as columns: (label, values) in the order leaves first gives each label."""

    __slots__ = ("columns",)

    def __init__(self, columns: list[tuple[str, Iterable[str]]]) -> None:
        self.columns = columns


def _runs(items: list[Any], key: str, labels: dict[tuple[Any, ...], list[str]],
          failed: set[tuple[Any, ...]]) -> Iterator[Any]:
    """A list's items (32 or more) to walk, each run of records that reads as columns
    given as one :class:`_ColumnRun`. Runs are looked for in chunks, 64 items first and
    four times more each time; once a chunk is mostly not read as columns, the rest of
    the list is read item by item, so a list without runs costs little more than it did."""
    if type(items[0]) is not dict:
        return iter(items)
    if len(items) > _FIRST_CHUNK:
        return chain.from_iterable(_chunks(items, key, labels, failed))
    parts, read = _chunk_runs(items, key, labels, failed)  # a short list: one chunk
    return chain.from_iterable(parts) if read else iter(items)


def _chunks(items: list[Any], key: str, labels: dict[tuple[Any, ...], list[str]],
            failed: set[tuple[Any, ...]]) -> Iterator[Iterable[Any]]:
    at, size = 0, _FIRST_CHUNK
    while at < len(items):
        chunk = items[at:at + size]
        at += len(chunk)
        parts, read = _chunk_runs(chunk, key, labels, failed)
        yield from parts
        if 2 * read < len(chunk):
            yield items[at:]
            return
        size = min(4 * size, 4096)


def _chunk_runs(items: list[Any], key: str, labels: dict[tuple[Any, ...], list[str]],
                failed: set[tuple[Any, ...]]) -> tuple[list[Iterable[Any]], int]:
    """Parts of a chunk to walk in turn, with how many records are read as columns.
    Runs are found by C-level passes: one comparison of all keys when every record has
    the first one's (a record cannot hold a key twice, so keys in a row equal to its
    keys n times over are its keys in each), else each record's keys with the next's.
    A shape that could not be read as columns (``failed``) is not tried again."""
    n = len(items)
    if n < _MIN_RUN or set(map(type, items)) != {dict}:
        return [items], 0
    first = tuple(items[0])
    if tuple(items[-1]) == first and tuple(chain.from_iterable(items)) == first * n:
        if (key, *first) in failed:
            return [items], 0
        shapes, starts = [first], [0]
    else:
        shapes = list(map(tuple, items))
        starts = [0, *compress(count(1), map(ne, shapes, islice(shapes, 1, None)))]
    ends = [*islice(starts, 1, None), n]
    parts: list[Iterable[Any]] = []
    done = read = 0
    for start, end in compress(zip(starts, ends, strict=True),
                               map(ge, map(sub, ends, starts), repeat(_MIN_RUN))):
        tried = (key, *shapes[start])
        run = None if tried in failed else _column_run(items[start:end], shapes[start], key,
                                                          labels)
        if run is None:
            failed.add(tried)
            continue
        parts += (items[done:start], (run,))
        done, read = end, read + end - start
    parts.append(items[done:])
    return parts, read


def _column_run(records: list[dict[Any, Any]], shape: tuple[Any, ...], key: str,
                labels: dict[tuple[Any, ...], list[str]]) -> _ColumnRun | None:
    """Records of one shape as columns, or None when they must be read one by one:
    a value nests, two keys share a label, or a record may be named by a sibling."""
    if len(shape) <= 4 and _named_by_sibling(records[0]) is not None:
        return None  # and the rest, most likely: a list of {"jenis": "KK", "nomor": …}
    values = list(chain.from_iterable(map(dict.values, records)))  # row after row
    columns, kinds = _columns(values, len(shape))
    if columns is None:
        return None
    names = labels.get((key, *shape))
    if names is None:
        names = labels[(key, *shape)] = [_label(key, str(k)) for k in shape]
    if len(set(names)) < len(names):
        return None
    if len(shape) <= 4 and _may_be_named(shape, columns, kinds):
        return None
    return _as_columns(names, columns, kinds)


def _table_run(names: list[str], rows: list[list[Any]]) -> _ColumnRun | None:
    """Fields and rows as columns, when every row is as long as the names, every cell
    a scalar and no two names the same (else the cells are walked one by one)."""
    width = len(names)
    if len(set(names)) < width or set(map(len, rows)) != {width}:
        return None
    columns, kinds = _columns(list(chain.from_iterable(rows)), width)
    return None if columns is None else _as_columns(names, columns, kinds)


def _columns(values: list[Any], width: int) -> tuple[list[list[Any]] | None, list[set[type]]]:
    """Values given row after row as columns with the types in each; no columns when
    a value is an object or a list (walked, not read as a column)."""
    kinds = set(map(type, values))
    if not kinds <= _SCALARS:
        return None, []
    columns = [values[i::width] for i in range(width)]
    if len(kinds) == 1:  # one type in all (text, most often): no need to look at each
        return columns, [kinds] * width
    return columns, [set(map(type, column)) for column in columns]


def _as_columns(names: list[str], columns: list[list[Any]], kinds: list[set[type]]
                ) -> _ColumnRun:
    read: list[tuple[int, str, Iterable[str]]] = []  # (first row with a value, ...)
    for label, column, kind in zip(names, columns, kinds, strict=True):
        if kind == _TEXT:
            read.append((0, label, column))
        elif kind.isdisjoint(_NO_VALUE):
            read.append((0, label, map(str, column)))
        else:
            first = next((i for i, v in enumerate(column)
                          if v is not None and v is not True and v is not False), None)
            if first is not None:  # a label is first given with its first value
                read.append((first, label, [str(v) for v in column[first:] if
                                            v is not None and v is not True and v is not False]))
    read.sort(key=lambda r: r[0])  # stable: by column within a row, as records are read
    return _ColumnRun([(label, values) for _, label, values in read])


def _may_be_named(shape: tuple[Any, ...], columns: list[list[Any]],
                  kinds: list[set[type]]) -> bool:
    """Whether :func:`_named_by_sibling` may name some record of a run: one holding a
    long number and, under a key that names no kind, a short text that names one.
    Each distinct text is judged once. A record without a long number is never named;
    unless a column shows that every record has one, a run whose texts are too many
    to judge (more than its records / 8) is read record by record, as it was."""
    texts = [c for k, c, t in zip(shape, columns, kinds, strict=True)
             if str in t and not names_a_kind(str(k)) and not _long_numbers(c, t)]
    if not texts:
        return False
    every_row = any(_long_numbers(c, t) for c, t in zip(columns, kinds, strict=True))
    if not every_row and not any(_LONG_DIGITS.search("\n".join(map(str, c)))
                                 for c, t in zip(columns, kinds, strict=True) if t & _NUMBERS):
        return False
    seen: set[Any] = set()
    for column in texts:
        seen.update(column)
        if not every_row and len(seen) > len(column) // 8:
            return True
    short = [v for v in seen if type(v) is str and 1 < len(v) <= 30]
    if not _LONG_DIGITS.search("\n".join(short)):  # names, words: one search for them all
        return any(map(names_a_kind, short))
    return any(not _long_digits(v) and names_a_kind(v) for v in short)


def _long_numbers(column: list[Any], kind: set[type]) -> bool:
    """Every value a text of six or more ASCII digits (one join, not a step per value)."""
    if kind != _TEXT:
        return False
    joined = "".join(column)
    return joined.isascii() and joined.isdigit() and min(map(len, column)) >= 6


def _flat_record(record: dict[Any, Any], key: str, by_key: defaultdict[str, list[str]],
                 labels: dict[tuple[Any, ...], list[str]]) -> None:
    """A record without nested values, as :func:`leaves` reads it (its sibling-named
    label included; a record of scalars is never a fields-and-rows table)."""
    named = _named_by_sibling(record)
    if named is None:  # the common case: labels by the record's keys, cached per shape
        shape = (key, *record)
        names = labels.get(shape)
        if names is None:
            names = labels[shape] = [_label(key, str(k)) for k in record]
        for label, v in zip(names, record.values(), strict=True):
            if not (isinstance(v, bool) or v is None):
                by_key[label].append(str(v))
        return
    for k, v in record.items():
        if not (isinstance(v, bool) or v is None):
            name = str(k)
            by_key[named if not names_a_kind(name) else _label(key, name)].append(str(v))


def _names_and_rows(value: dict[Any, Any]) -> tuple[list[str], list[list[Any]]] | None:
    """A table sent as column names and rows of values (DataTables, pandas "split",
    report APIs): a list of names and a list of lists as long as it, in one object."""
    names = rows = None
    for v in value.values():
        if isinstance(v, list) and v:
            if names is None and all(isinstance(x, str) for x in v[:64]):
                names = v
            elif rows is None and isinstance(v[0], list):
                rows = v
    if names is None or rows is None or len(rows[0]) != len(names):
        return None
    if not all(isinstance(x, str) for x in names):
        return None
    return names, [r for r in rows if isinstance(r, list)]


def _named_by_sibling(value: dict[Any, Any]) -> str | None:
    """``{"jenis": "KK", "nomor": "3218…"}``: a short text value naming a kind of number
    (under a key that names none) labels the object's other values. Looked for only
    in small objects (a label and a value, perhaps a note: four keys at most) holding a
    long number, so a list of full records costs one length test each."""
    if len(value) > 4 or not any(isinstance(v, int | str) and _long_digits(str(v))
                                 for v in value.values()):
        return None
    for k, v in value.items():
        if (isinstance(v, str) and 1 < len(v) <= 30 and not _long_digits(v)
                and not names_a_kind(str(k)) and names_a_kind(v)):
            return v
    return None


_LONG_DIGITS = re.compile(r"[0-9]{6}")


def _long_digits(text: str) -> bool:
    """Six ASCII digits in a row; a value that is all digits says so without a search."""
    return (len(text) >= 6 and text.isdigit() and text.isascii()) or bool(
        _LONG_DIGITS.search(text))


def _label(parent: str, key: str) -> str:
    if not parent or names_a_kind(key):
        return key
    return f"{parent.rsplit('.', 1)[-1]}.{key}"


