"""JSON values with the labels they are read under: every scalar of a parsed document
under its key, in document order.

A key that names no kind of identifier (``nomor``) is read with its parent's name
(``rekening.nomor``); a small object whose text value names a kind (``{"jenis": "KK",
"nomor": …}``) labels its other values with that name (:mod:`.json_labels`); a table
sent as field names and rows of values is read as columns. Nothing here recurses:
nesting is walked with an explicit stack, so the work is one step per value however
deep the document. :func:`leaves` is the walk, the reference; :func:`collect` gives
exactly what it gives with less work, reading a run of records of one shape, or such a
table, a column at a time (:mod:`.json_columns`). Whether a document is too deep to
parse at all is :mod:`.json_depth`'s job.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import chain
from typing import Any

from .json_columns import MIN_LIST, ColumnRun, table_run, with_column_runs
from .json_labels import child_label, named_by_sibling
from .lexicon import names_a_kind

__all__ = ["collect", "leaves"]


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
    named = named_by_sibling(value)
    return [(v, named if named is not None and not isinstance(v, dict | list)
             and not names_a_kind(str(k)) else child_label(key, str(k)))
            for k, v in reversed(value.items())]


# What collect walks a list with (not the Iterator ABC: checking it costs more)
_LIST_WALKS: tuple[type[Iterator[Any]], ...] = (type(iter([])), chain)


def collect(data: Any, by_key: defaultdict[str, list[str]]) -> None:
    """``by_key[key].append(value)`` for every (key, value) :func:`leaves` gives, in
    its order, with less work per value: a list is walked by one iterator, a run of
    records of one shape in it is read a column at a time (:func:`with_column_runs`),
    as is a fields-and-rows table (:func:`table_run`), and any other flat record (no
    list or object inside) is read in place, its labels cached per (parent, keys)."""
    labels: dict[tuple[Any, ...], list[str]] = {}  # (parent, *keys) -> labels
    failed: set[tuple[Any, ...]] = set()  # (parent, *keys) not to read as columns
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, key = stack.pop()
        if isinstance(value, list):
            value = (with_column_runs(value, key, labels, failed) if len(value) >= MIN_LIST
                     else iter(value))
        if isinstance(value, _LIST_WALKS):
            for item in value:
                if isinstance(item, dict):
                    if not any(isinstance(v, dict | list) for v in item.values()):
                        _flat_record(item, key, by_key, labels)
                        continue
                elif type(item) is ColumnRun:
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
            elif (run := table_run(*table)) is not None:
                for label, values in run.columns:
                    by_key[label].extend(values)
            else:
                stack.extend(_cells(*table))
        elif not (isinstance(value, bool) or value is None):
            by_key[key].append(str(value))


def _flat_record(record: dict[Any, Any], key: str, by_key: defaultdict[str, list[str]],
                 labels: dict[tuple[Any, ...], list[str]]) -> None:
    """A record without nested values, as :func:`leaves` reads it (its sibling-named
    label included; a record of scalars is never a fields-and-rows table)."""
    named = named_by_sibling(record)
    if named is None:  # the common case: labels by the record's keys, cached per shape
        shape = (key, *record)
        names = labels.get(shape)
        if names is None:
            names = labels[shape] = [child_label(key, str(k)) for k in record]
        for label, v in zip(names, record.values(), strict=True):
            if not (isinstance(v, bool) or v is None):
                by_key[label].append(str(v))
        return
    for k, v in record.items():
        if not (isinstance(v, bool) or v is None):
            name = str(k)
            by_key[named if not names_a_kind(name) else child_label(key, name)].append(str(v))


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
