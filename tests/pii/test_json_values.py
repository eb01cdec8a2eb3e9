"""collect() reads lists of records a column at a time and still gives exactly what the
reference walk (leaves) gives: the same labels first met in the same order, the same
values under each in the same order, on generated JSON and on the field corpus's JSON
documents; and its run finding stays linear on lists of records of many shapes."""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov_audit.pii.json_columns import MIN_LIST, ColumnRun, table_run, with_column_runs
from egov_audit.pii.json_labels import LONG_DIGITS, any_long_digits
from egov_audit.pii.json_values import collect, leaves
from tests.cpu_clock import cpu_seconds

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import pii_field_corpus as corpus

NIK = "3171015506900001"
SCALARS = (NIK, 3171015506900001, "KK", "NIK", "paspor", "Budi", "", "nomor 123456",
           "081234567890", "12345", True, False, None, 1.5, 123456.0, 0, -1234567)
# "rekening.nomor" names a kind; under a parent "rekening" so does "nomor" read as
# "rekening.nomor": two keys of one record with one label.
KEYS = ("nik", "nomor", "jenis", "data", "fields", "rows", "hp", "rekening",
        "rekening.nomor", "x", "")


def walked(data: Any) -> list[tuple[str, list[str]]]:
    by_key: dict[str, list[str]] = {}
    for key, value in leaves(data):
        by_key.setdefault(key, []).append(value)
    return list(by_key.items())


def collected(data: Any) -> list[tuple[str, list[str]]]:
    by_key: defaultdict[str, list[str]] = defaultdict(list)
    collect(data, by_key)
    return list(by_key.items())


def column_runs(items: list[Any], key: str = "") -> int:
    assert len(items) >= MIN_LIST  # collect looks for runs in lists this long
    return sum(type(item) is ColumnRun for item in with_column_runs(items, key, {}, set()))


def records_read_one_by_one(items: list[Any]) -> int:
    return sum(type(item) is dict for item in with_column_runs(items, "", {}, set()))


scalars = st.sampled_from(SCALARS)


@st.composite
def record_lists(draw: st.DrawFn, inner: st.SearchStrategy[Any]) -> list[Any]:
    """Runs of records sharing a shape, with now and then another shape, a key order
    changed, a nested value or an item that is no record."""
    shapes = draw(st.lists(st.lists(st.sampled_from(KEYS), min_size=0, max_size=6,
                                    unique=True), min_size=1, max_size=3))
    # Each key draws from its own few values, so that whole columns are null, numbers, …
    palette = {k: draw(st.lists(scalars, min_size=1, max_size=3)) for k in KEYS}
    items: list[Any] = []
    for _ in range(draw(st.integers(0, 4))):
        shape = draw(st.sampled_from(shapes))
        for _ in range(draw(st.sampled_from((1, 3, 8, 9, 20, 40)))):
            roll = draw(st.integers(0, 39))
            keys = list(reversed(shape)) if roll == 0 else shape
            record = {k: draw(st.sampled_from(palette[k])) for k in keys}
            if roll == 1 and shape:
                record[shape[0]] = draw(inner)
            items.append(record if roll != 2 else draw(inner))
    return items


@st.composite
def records_with_objects(draw: st.DrawFn) -> list[Any]:
    """Records holding an object or two of scalars ({"nik": …, "alamat": {"kel": …}}):
    now and then an object of another shape, a sibling-named one ({"jenis": "KK",
    "nomor": …}), a list, a scalar or null where the object was, or an object in one."""
    shape = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True))
    objects = {k: draw(st.lists(st.sampled_from(KEYS), min_size=0, max_size=4, unique=True))
               for k in draw(st.lists(st.sampled_from(shape), max_size=2, unique=True))}
    palette = {k: draw(st.lists(scalars, min_size=1, max_size=3)) for k in KEYS}
    items: list[Any] = []
    for _ in range(draw(st.sampled_from((8, 9, 33, 40, 70)))):
        record: dict[str, Any] = {}
        for k in shape:
            if k in objects:
                record[k] = {j: draw(st.sampled_from(palette[j])) for j in objects[k]}
            else:
                record[k] = draw(st.sampled_from(palette[k]))
        roll = draw(st.integers(0, 59))
        if roll < 8 and objects:
            k = draw(st.sampled_from(sorted(objects)))
            record[k] = ({"jenis": "KK", "nomor": NIK}, [NIK], NIK, {"x": {"nik": NIK}},
                         None, None, None, {})[roll]
        items.append(record)
    return items


@st.composite
def named_by_sibling(draw: st.DrawFn) -> list[dict[str, Any]]:
    """{"jenis": "KK", "nomor": "3218…"}: a text value that names a kind labels the rest."""
    kinds = draw(st.lists(st.sampled_from(("KK", "NIK", "paspor", "Budi", "rumah", None)),
                          min_size=1, max_size=3))
    numbers = st.sampled_from((NIK, 3171015506900001, "12345", "", None, "0812-3456-7890"))
    return [{"jenis": draw(st.sampled_from(kinds)), "nomor": draw(numbers)}
            for _ in range(draw(st.sampled_from((8, 9, 33, 40))))]


@st.composite
def tables(draw: st.DrawFn, inner: st.SearchStrategy[Any]) -> dict[str, Any]:
    """Fields and rows: {"fields": ["nik", …], "rows": [["3218…", …], …]}, now and then
    with a name twice, a row shorter or longer than the names, a row that is no list."""
    names = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4,
                          unique=draw(st.integers(0, 3)) > 0))
    palette = draw(st.lists(st.one_of(scalars, inner), min_size=1, max_size=4))
    rows: list[Any] = []
    for n in range(draw(st.sampled_from((1, 2, 9)))):
        width = len(names) + (draw(st.sampled_from((-1, 1))) if n and draw(
            st.integers(0, 15)) == 0 else 0)
        rows.append([draw(st.sampled_from(palette)) for _ in range(width)])
    if draw(st.integers(0, 15)) == 0:
        rows.append(draw(scalars))
    return {"fields": names, "rows": rows}


documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        record_lists(inner),
        named_by_sibling(),
        tables(inner),
        st.lists(inner, max_size=5),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    ),
    max_leaves=60,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_collect_gives_what_the_walk_gives(data: Any) -> None:
    # Given any JSON document, When values are collected, Then as the reference walks them.
    assert collected(data) == walked(data)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), st.one_of(record_lists(scalars),
                                                        named_by_sibling()), max_size=3))
def test_nested_record_lists_keep_their_parent_labels(data: dict[str, Any]) -> None:
    # Lists under a key: labels such as "rekening.nomor" come from the parent.
    assert collected(data) == walked(data)


@settings(max_examples=300, deadline=None)
@given(st.one_of(records_with_objects(),
                 st.dictionaries(st.sampled_from(KEYS), records_with_objects(), max_size=2)))
def test_records_holding_objects_give_what_the_walk_gives(data: Any) -> None:
    assert collected(data) == walked(data)


def test_records_holding_an_object_of_scalars_are_read_as_columns() -> None:
    records = [{"nik": NIK, "alamat": {"kel": "Sei Sikambing", "rt": "003"}, "aktif": True}
               for _ in range(MIN_LIST)]
    assert column_runs(records, "data") == 1
    assert collected({"data": records}) == walked({"data": records})
    assert dict(collected({"data": records})) == {
        "nik": [NIK] * MIN_LIST, "alamat.kel": ["Sei Sikambing"] * MIN_LIST,
        "alamat.rt": ["003"] * MIN_LIST}
    # An optional object, null where absent: still columns.
    optional = [{**r, "alamat": None} if i % 3 else r for i, r in enumerate(records)]
    assert column_runs(optional, "data") == 1
    assert collected({"data": optional}) == walked({"data": optional})
    # An object named by a sibling, objects of two shapes, or deeper nesting: one by one.
    for odd in ({"jenis": "KK", "nomor": NIK}, {"kel": "x"}, {"kel": {"rt": "003"}},
                {"kel": "x", "rt": ["003"]}):
        mixed = [*records[:10], {**records[0], "alamat": odd}, *records[11:]]
        assert collected({"data": mixed}) == walked({"data": mixed})
        assert records_read_one_by_one(mixed[10:20]) >= 1


def test_a_list_of_records_is_read_as_columns() -> None:
    # Given the dense benchmark's list of 10,000 flat records (one shape, all text)
    items = json.loads(corpus.dense_tables()["json"].text)
    # Then it is read as column runs only, and gives what the walk gives.
    assert column_runs(items) >= 1
    assert records_read_one_by_one(items) == 0
    assert collected(items) == walked(items)


def test_a_label_first_comes_with_its_first_value() -> None:
    # Given records whose first values are null or false
    items = [{"a": None, "b": "1", "c": False}, {"a": "2", "b": None, "c": True}] + [
        {"a": str(i), "b": i, "c": None} for i in range(40)]
    # Then "b" is the first label (row 0), "a" the next (row 1), and "c" none at all
    assert column_runs(items) == 1
    assert collected(items) == walked(items)
    assert [label for label, _ in collected(items)] == ["b", "a"]


def test_records_named_by_a_sibling_are_read_one_by_one() -> None:
    # Given a run of {"jenis": "KK", "nomor": …}: "KK" names what "nomor" holds
    items = [{"jenis": "KK", "nomor": NIK}] * 20 + [{"jenis": "NIK", "nomor": NIK}] * 20
    # Then the run is not read as columns, and the numbers are labelled KK and NIK
    assert column_runs(items) == 0
    assert collected(items) == walked(items)
    assert collected(items) == [("KK", ["KK", NIK] * 20), ("NIK", ["NIK", NIK] * 20)]


def test_texts_that_name_nothing_keep_the_run_as_columns() -> None:
    # Given short texts under a key that names nothing, beside long numbers
    items = [{"jenis": "rumah", "nomor": NIK}, {"jenis": "kantor", "nomor": NIK}] * 20
    # Then no record is named by a sibling, and the run is read as columns
    assert column_runs(items) == 1
    assert collected(items) == walked(items)


def test_keys_sharing_a_label_are_read_one_by_one() -> None:
    # "nomor" under "rekening" reads as "rekening.nomor", a key of the same record.
    data = {"rekening": [{"nomor": str(i), "rekening.nomor": NIK} for i in range(40)]}
    assert column_runs(data["rekening"], "rekening") == 0
    assert collected(data) == walked(data)


def test_a_table_of_fields_and_rows_is_read_as_columns() -> None:
    rows = [[NIK, None, str(i)] for i in range(9)] + [[NIK, "0812", False]]
    data = {"fields": ["nik", "hp", "x"], "rows": rows}
    assert table_run(data["fields"], rows) is not None
    assert collected(data) == walked(data)
    assert [label for label, _ in collected(data)] == ["nik", "x", "hp"]
    assert table_run(["nik", "nik", "x"], rows) is None  # one label twice: walked
    assert table_run(["nik", "hp", "x"], [*rows, [NIK]]) is None  # a short row: walked


def test_runs_of_several_shapes_are_read_in_order() -> None:
    items: list[Any] = [{"nik": NIK, "hp": "081234567890"}] * 20 + [{"hp": "1", "nik": "2"}] * 3
    items += [{"kk": "3", "x": None}] * 12 + [[{"nik": "4"}], "5"] + [{"nik": "6"}] * 8
    assert column_runs(items) == 0  # not every item is a record: read one by one
    assert column_runs(items[:35]) == 2
    assert collected(items) == walked(items)
    assert collected(items[:35]) == walked(items[:35])


FIELD_LAYOUTS = ["json_api", "deep_json", "json_identity_pairs", "applicant_json", "geojson"]


@pytest.mark.parametrize("layout", FIELD_LAYOUTS)
def test_field_corpus_documents(layout: str) -> None:
    for doc in corpus.generate(seed=7, per_layout=6, layouts=[layout]):
        data = json.loads(doc.text)
        assert collected(data) == walked(data), doc.name


def _shapes(n: int) -> list[dict[str, int]]:
    """Tiny records of ever-changing shape, with runs of two: nothing to read as columns."""
    rng = random.Random(n)
    return [{f"k{i // 2 % 997}": 1, "n": rng.randint(0, 9)} if i % 3 else {"n": 1}
            for i in range(n)]


def test_run_finding_is_linear_on_many_shapes() -> None:
    small, large = _shapes(25_000), _shapes(100_000)
    t1 = min(cpu_seconds(with_column_runs, small, "", {}, set()) for _ in range(3))
    t4 = min(cpu_seconds(with_column_runs, large, "", {}, set()) for _ in range(3))
    assert t4 < max(10 * t1, 0.5), (t1, t4)


@pytest.mark.parametrize("make", [
    lambda n: [{"nik": NIK, "jenis": "rumah", "x": None}] * n,
    lambda n: {"fields": ["nik", "jenis", "x"], "rows": [[NIK, "rumah", None]] * n},
])
def test_column_reading_is_linear(make: Any) -> None:
    def run(data: Any) -> None:
        collect(data, defaultdict(list))
    small, large = make(25_000), make(100_000)
    t1 = min(cpu_seconds(run, small) for _ in range(3))
    t4 = min(cpu_seconds(run, large) for _ in range(3))
    assert t4 < max(10 * t1, 0.5), (t1, t4)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text(alphabet="0123456789a \n\u00e9\u0661\ud800", max_size=12), max_size=5))
def test_any_long_digits_is_the_pattern_over_the_joined_texts(texts: list[str]) -> None:
    # Arabic-Indic digits are no ASCII digits; a lone surrogate encodes as "?".
    assert any_long_digits(texts) is bool(LONG_DIGITS.search("\n".join(texts)))
