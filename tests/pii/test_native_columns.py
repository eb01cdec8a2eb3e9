"""The C column rules (``_column_rules``) must answer exactly what the compiled patterns
answer: on every date, every region code, every phone shape, and random columns
built around valid values; its distinct count what a set counts; and a location
must be summed up the same with bulk columns as value by value. Where the accelerator
was not built the tests that need it skip (tests/pii/test_accelerators.py fails then
where CI requires the build)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov_audit.pii import accelerators, fastpath
from egov_audit.pii.analyse import LocationScan, analyse
from egov_audit.pii.detect import Scanner
from egov_audit.pii.extract import extract
from egov_audit.pii.fastpath import distinct_count_by_python, region_masks, whole_column_by_pattern
from egov_audit.pii.synthetic import Synthetic
from egov_audit.pii.tables import Extracted, Unit

try:
    from egov_audit.pii._column_rules import whole_column as native
except ImportError:  # pragma: no cover - CI requires the build
    native = None  # type: ignore[assignment]

KINDS = ("nik", "kk", "phone", "bpjs", "nisn")


def test_the_accelerator_is_used_where_it_was_built() -> None:
    if native is not None and accelerators.ENABLED:
        assert fastpath._native_whole_column is not None
        assert fastpath._native_distinct_count is not None


needs_native = pytest.mark.skipif(native is None, reason="_column_rules was not built")


def _same(kind: str, text: str) -> None:
    assert native is not None
    expected = whole_column_by_pattern(kind, text)
    assert native(kind, text, *region_masks()) is expected, (kind, text)


@needs_native
@pytest.mark.parametrize("kind", ["nik", "kk"])
def test_every_date_of_every_year_class(kind: str) -> None:
    for yy in (0, 1, 2, 4, 26, 96, 99):
        for ddmm in range(10000):
            _same(kind, f"127101{ddmm:04d}{yy:02d}0001")


@needs_native
@pytest.mark.parametrize("kind", ["nik", "kk"])
def test_every_region_district_and_serial(kind: str) -> None:
    for region in range(10000):
        _same(kind, f"{region:04d}014508900001")
    for district in range(100):
        _same(kind, f"1271{district:02d}0145089" + "00001")
    for serial in ("0000", "0001", "1000", "9999", "0100"):
        _same(kind, f"127101014508{serial}")


@needs_native
def test_every_phone_shape() -> None:
    for prefix in ("", "0", "62", "+62", "+6", "6", "+", "00", "620", "+620", "8"):
        for body in ("8", "81", "80", "88", "79", "812", "8123456", "81234567",
                     "812345678", "8123456789", "81234567890", "812345678901",
                     "8123456789012", "88888888888", "81818181818", "8181818181"):
            _same("phone", prefix + body)


@needs_native
@pytest.mark.parametrize("kind", ["bpjs", "nisn"])
def test_every_length_of_plain_digits(kind: str) -> None:
    for n in range(0, 20):
        _same(kind, "1234567890123456789"[:n])
        _same(kind, "0" * n)
        _same(kind, "+" + "1" * n)


@needs_native
@pytest.mark.parametrize("kind", KINDS)
def test_column_shapes(kind: str) -> None:
    """Line breaks: none, between, doubled, leading, trailing; and non-ASCII text."""
    good = {"nik": "3171015708450001", "kk": "3171011708450001", "phone": "081234567890",
            "bpjs": "0001234567890", "nisn": "0012345678"}[kind]
    for text in ("", "\n", good, f"{good}\n{good}", f"{good}\n\n{good}", f"\n{good}",
                 f"{good}\n", f"{good}\r\n{good}", f"{good} ", f"{good}\u0663",
                 f"{good}\n{good}\u00e9", "\uff11" * len(good), f"{good}\x00"):
        _same(kind, text)


@pytest.mark.parametrize("kind", KINDS)
def test_a_column_whose_last_value_is_cut_is_no_column(kind: str) -> None:
    """Every proper prefix of the last value makes the column no column, by the pattern
    itself (Python 3.11.2 once read "…\n08" as a phone column), and by C where built."""
    # The shortest phone, so that no prefix of it is one.
    good = {"nik": "3171015708450001", "kk": "3171011708450001", "phone": "+62812345678",
            "bpjs": "0001234567890", "nisn": "0012345678"}[kind]
    assert whole_column_by_pattern(kind, f"{good}\n{good}")
    for cut in range(len(good)):
        text = f"{good}\n{good}\n{good[:cut]}"
        assert not whole_column_by_pattern(kind, text), text
        if native is not None:
            assert not native(kind, text, *region_masks()), text


def _mutations(rng: random.Random, value: str) -> str:
    chars = list(value)
    for _ in range(rng.randint(0, 3)):
        op = rng.randrange(4)
        i = rng.randrange(len(chars) + 1)
        if op == 0 and chars:
            del chars[min(i, len(chars) - 1)]
        elif op == 1:
            chars.insert(i, rng.choice("0123456789+\n -x\u0661"))
        elif chars:
            chars[min(i, len(chars) - 1)] = rng.choice("0123456789")
    return "".join(chars)


@needs_native
@pytest.mark.parametrize("kind", KINDS)
def test_random_columns_around_valid_values(kind: str) -> None:
    rng, gen = random.Random(f"native:{kind}"), Synthetic(14)
    make = {"nik": gen.nik, "kk": gen.kk, "phone": gen.phone,
            "bpjs": lambda: "".join(rng.choice("0123456789") for _ in range(13)),
            "nisn": lambda: "".join(rng.choice("0123456789") for _ in range(10))}[kind]
    accepted = 0
    for _ in range(3000):
        values = [make() for _ in range(rng.randint(1, 6))]
        if rng.random() < 0.6:
            k = rng.randrange(len(values))
            values[k] = _mutations(rng, values[k])
        text = "\n".join(values)
        _same(kind, text)
        accepted += whole_column_by_pattern(kind, text)
    assert 300 < accepted < 2700  # both answers were tested often


@needs_native
@settings(max_examples=400, deadline=None)
@given(st.sampled_from(KINDS), st.text(alphabet="0123456789+\n 8 62", max_size=60))
def test_any_text_of_the_characters_the_rules_read(kind: str, text: str) -> None:
    _same(kind, text)


@needs_native
def test_bad_arguments_are_errors_not_crashes() -> None:
    with pytest.raises(ValueError):
        native("ktp", "1", *region_masks())
    with pytest.raises(ValueError):
        native("nik", "1", b"\x01" * 99, b"\x01" * 100)
    with pytest.raises(TypeError):
        native("nik", b"1", *region_masks())  # type: ignore[arg-type]


@needs_native
@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123\n", max_size=12), max_size=4),
       st.sets(st.text(alphabet="0123\u00e9", max_size=3), max_size=5))
def test_distinct_count_equals_the_set(texts: list[str], also: set[str]) -> None:
    from egov_audit.pii._column_rules import distinct_count
    assert distinct_count(texts, also) == distinct_count_by_python(texts, also)


@needs_native
def test_distinct_count_of_large_columns_and_bad_arguments() -> None:
    from egov_audit.pii._column_rules import distinct_count
    rng = random.Random(7)
    texts = ["\n".join(str(rng.randrange(5000)) for _ in range(20000)) for _ in range(3)]
    also = {str(n) for n in range(4990, 5100)}
    assert distinct_count(texts, also) == distinct_count_by_python(texts, also) == 5100
    with pytest.raises(ValueError):
        distinct_count(["\u00e9"], set())
    with pytest.raises(TypeError):
        distinct_count(["1"], {1})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        distinct_count(None, set())  # type: ignore[arg-type]


def _scans(extracted: Extracted) -> tuple[LocationScan, LocationScan]:
    return (analyse("u", "page", extracted, Scanner()),
            analyse("u", "page", extracted, Scanner(bulk_columns=False)))


def test_a_location_counts_the_same_with_and_without_bulk_columns() -> None:
    """Bulk columns are counted from their text at the end; a later hit of the same kind
    turns them into set members first. Counts, samples and fields must not move."""
    gen = Synthetic(3)
    niks = [gen.nik() for _ in range(40)]
    phones = [gen.phone() for _ in range(30)]
    # A value past the first 20 (the hits a bulk column gives) under another label: the
    # label is a field of the location only when the value is new there.
    layouts = [
        [Unit("NIK", "\n".join(niks)), Unit("Keterangan", f"lihat {niks[33]}")],
        [Unit("NIK", "\n".join(niks)), Unit("", f"warga {niks[3]} dan {gen.nik()}")],
        [Unit("", f"kepala {niks[0]}"), Unit("NIK", "\n".join(niks))],
        [Unit("NIK", "\n".join(niks[:20])), Unit("NIK IBU", "\n".join(niks[10:] * 2))],
        [Unit("No HP", "\n".join("+62" + p[1:] for p in phones)),
         Unit("No HP", "\n".join(phones)), Unit("Kontak", f"hubungi {phones[25]}")],
        [Unit("NIK", "\n".join(niks)), Unit("No. KK", "\n".join(niks[:5]))],
    ]
    for units in layouts:
        fast, slow = _scans(Extracted("csv", units=units))
        assert fast == slow, units
        assert fast.total > 0


def test_field_corpus_locations_count_the_same_with_and_without_bulk_columns() -> None:
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from pii_field_corpus import dense_tables, generate

    docs = [*generate(per_layout=2), *dense_tables(size=60_000).values()]
    bulk_seen = 0
    for doc in docs:
        extracted = extract(doc.data or doc.text.encode(), doc.fmt)
        fast, slow = _scans(extracted)
        assert fast == slow, doc.name
        bulk_seen += sum(Scanner().bulk_column(u.text, u.label) is not None
                         for u in extracted.units if u.label)
    assert bulk_seen > 20
