"""Reading JSON a column at a time: a run of records of one shape in a list, or a table
sent as field names and rows, becomes one list of values per label.

:func:`.json_values.collect` hands each long list to :func:`with_column_runs` and each
fields-and-rows table to :func:`table_run`. A run is flattened, sliced into columns and
appended by ``extend``: C-level passes, not a Python step per value, giving exactly what
the walk (:func:`.json_values.leaves`) gives, labels first met in the same order and
values under each in the same order. Whatever could be labelled otherwise (a value that
nests, two keys sharing a label, a record that may be named by a sibling) is left to the
walk, record by record, and a list where runs are not found costs little more than before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, compress, count, islice, repeat
from operator import ge, ne, sub
from typing import Any

from .json_labels import any_long_digits, child_label, long_digits, named_by_sibling
from .lexicon import names_a_kind

__all__ = ["MIN_LIST", "ColumnRun", "table_run", "with_column_runs"]


# A run is records with the same keys in the same order (an export, an API page). Shorter
# runs are read record by record, as are lists holding anything else.
_MIN_RUN = 8
MIN_LIST = 32  # shorter lists gain little, and a search that finds nothing costs
_FIRST_CHUNK = 64
_SCALARS = frozenset({str, int, float, bool, type(None)})
_TEXT = frozenset({str})
_NO_VALUE = frozenset({bool, type(None)})  # true, false, null: leaves gives nothing
_NUMBERS = frozenset({str, int})  # what named_by_sibling reads long numbers in
_OBJECT = frozenset({dict})  # a column of objects, opened into their columns
_OBJECT_OR_NULL = frozenset({dict, type(None)})  # an optional object: null where absent
_SCALARS_OR_OBJECT = _SCALARS | _OBJECT


class ColumnRun:
    """Records read as columns: (label, values) in the order leaves first gives each label."""

    __slots__ = ("columns",)

    def __init__(self, columns: list[tuple[str, Iterable[str]]]) -> None:
        self.columns = columns


def with_column_runs(items: list[Any], key: str, labels: dict[tuple[Any, ...], list[str]],
                     failed: set[tuple[Any, ...]]) -> Iterator[Any]:
    """A list's items (32 or more) to walk, each run of records that reads as columns
    given as one :class:`ColumnRun`. Runs are looked for in chunks, 64 items first and
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
                labels: dict[tuple[Any, ...], list[str]]) -> ColumnRun | None:
    """Records of one shape as columns, or None when they must be read one by one:
    a value nests deeper than one object of scalars, two keys share a label, or a
    record (or an object in it) may be named by a sibling."""
    if len(shape) <= 4 and named_by_sibling(records[0]) is not None:
        return None  # and the rest, most likely: a list of {"jenis": "KK", "nomor": …}
    values = list(chain.from_iterable(map(dict.values, records)))  # row after row
    columns, kinds = _columns(values, len(shape), objects=True)
    if columns is None:
        return None
    names = labels.get((key, *shape))
    if names is None:
        names = labels[(key, *shape)] = [child_label(key, str(k)) for k in shape]
    if len(shape) <= 4 and _may_be_named(shape, columns, kinds):
        return None
    if any(dict in kind for kind in kinds):  # {"alamat": {"kel": …, "rt": …}}: in place
        opened = _open_objects(names, columns, kinds)
        if opened is None:
            return None
        names, columns, kinds = opened
    if len(set(names)) < len(names):
        return None
    return _as_columns(names, columns, kinds)


def _open_objects(names: list[str], columns: list[list[Any]], kinds: list[set[type]]
                  ) -> tuple[list[str], list[list[Any]], list[set[type]]] | None:
    """A run's columns with each column of objects replaced by the objects' own columns,
    labelled as the walk labels them (``alamat.kel``): every object in the column has
    the same keys, holds only scalars and is named by no sibling; else None. A null in
    such a column gives nothing, as in the walk: its row gets nulls in the objects'
    columns."""
    out_names: list[str] = []
    out_columns: list[list[Any]] = []
    out_kinds: list[set[type]] = []
    for name, column, kind in zip(names, columns, kinds, strict=True):
        if dict not in kind:
            out_names.append(name)
            out_columns.append(column)
            out_kinds.append(kind)
            continue
        if kind != _OBJECT:  # objects and nulls
            shape = tuple(next(v for v in column if v is not None))
            absent = dict.fromkeys(shape)
            column = [absent if v is None else v for v in column]
        shape = tuple(column[0])
        if tuple(column[-1]) != shape or tuple(chain.from_iterable(column)) != shape * len(
                column):
            return None  # objects of several shapes: the walk reads them
        inner, inner_kinds = _columns(list(chain.from_iterable(map(dict.values, column))),
                                      len(shape))
        if inner is None or (len(shape) <= 4 and _may_be_named(shape, inner, inner_kinds)):
            return None
        out_names += [child_label(name, str(k)) for k in shape]
        out_columns += inner
        out_kinds += inner_kinds
    return out_names, out_columns, out_kinds


def table_run(names: list[str], rows: list[list[Any]]) -> ColumnRun | None:
    """Fields and rows as columns, when every row is as long as the names, every cell
    a scalar and no two names the same (else the cells are walked one by one)."""
    width = len(names)
    if len(set(names)) < width or set(map(len, rows)) != {width}:
        return None
    columns, kinds = _columns(list(chain.from_iterable(rows)), width)
    return None if columns is None else _as_columns(names, columns, kinds)


def _columns(values: list[Any], width: int, objects: bool = False
             ) -> tuple[list[list[Any]] | None, list[set[type]]]:
    """Values given row after row as columns with the types in each; no columns when
    a value is a list, or an object (with ``objects``: an object in a column that holds
    anything else), which the walk reads."""
    kinds = set(map(type, values))
    if not kinds <= (_SCALARS_OR_OBJECT if objects else _SCALARS):
        return None, []
    columns = [values[i::width] for i in range(width)]
    if len(kinds) == 1:  # one type in all (text, most often): no need to look at each
        return columns, [kinds] * width
    column_kinds = [set(map(type, column)) for column in columns]
    if dict in kinds and any(dict in k and not k <= _OBJECT_OR_NULL for k in column_kinds):
        return None, []
    return columns, column_kinds


def _as_columns(names: list[str], columns: list[list[Any]], kinds: list[set[type]]
                ) -> ColumnRun:
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
    return ColumnRun([(label, values) for _, label, values in read])


def _may_be_named(shape: tuple[Any, ...], columns: list[list[Any]],
                  kinds: list[set[type]]) -> bool:
    """Whether :func:`named_by_sibling` may name some record of a run: one holding a
    long number and, under a key that names no kind, a short text that names one.
    Each distinct text is judged once. A record without a long number is never named;
    unless a column shows that every record has one, a run whose texts are too many
    to judge (more than its records / 8) is read record by record, as it was."""
    texts = [c for k, c, t in zip(shape, columns, kinds, strict=True)
             if str in t and not names_a_kind(str(k)) and not _long_numbers(c, t)]
    if not texts:
        return False
    every_row = any(_long_numbers(c, t) for c, t in zip(columns, kinds, strict=True))
    if not every_row and not any(any_long_digits(c if t == _TEXT else map(str, c))
                                 for c, t in zip(columns, kinds, strict=True) if t & _NUMBERS):
        return False
    seen: set[Any] = set()
    for column in texts:
        seen.update(column)
        if not every_row and len(seen) > len(column) // 8:
            return True
    short = [v for v in seen if type(v) is str and 1 < len(v) <= 30]
    if not any_long_digits(short):  # names, words: one search for them all
        return any(map(names_a_kind, short))
    return any(not long_digits(v) and names_a_kind(v) for v in short)


def _long_numbers(column: list[Any], kind: set[type]) -> bool:
    """Every value a text of six or more ASCII digits (one join, not a step per value)."""
    if kind != _TEXT:
        return False
    joined = "".join(column)
    return joined.isascii() and joined.isdigit() and min(map(len, column)) >= 6
