"""A CSV whose every field is quoted (database exports, QUOTE_ALL writers) is cut by
csv_grid.quoted_grid into exactly the cells the csv module reads, or left to the csv
module: on any text of the characters quoting turns on, on files written with fields
holding delimiters, quotes and line breaks, and through extract on dense exports."""

from __future__ import annotations

import csv
import io
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov_audit.pii.csv_grid import plain_grid, quoted_grid
from egov_audit.pii.extract import _csv
from egov_audit.pii.tables import Extracted


def _module_cells(text: str, delimiter: str) -> tuple[list[str], int] | None:
    """The cells as extract's csv.reader reads them, when every row is as wide."""
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    widths = {len(row) for row in rows}
    if len(widths) != 1:
        return None
    return [cell for row in rows for cell in row], widths.pop()


def _agrees(text: str, delimiter: str, max_cells: int = 10**6) -> bool:
    got = quoted_grid(text, delimiter, max_cells)
    if got is not None:
        assert got == _module_cells(text, delimiter), (text, delimiter)
        assert len(got[0]) <= max_cells
    return got is not None


_PIECES = st.sampled_from(['"', '""', '";"', '","', ";", ",", "\t", "\n", "\r\n", "\r", "a",
                           "12", " ", "é", "\x00", '"\n"', '"\r\n"', "\ufeff"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.sampled_from(",;\t|\"a"), st.integers(0, 12))
def test_any_quoted_text_reads_as_the_csv_module_reads_it(pieces: list[str], delimiter: str,
                                                          cells: int) -> None:
    text = "".join(pieces)
    _agrees(text, delimiter)
    _agrees(text, delimiter, cells)


def _field(rng: random.Random, delimiter: str) -> str:
    return rng.choice(("3171015506900001", "081234567890", "Budi", "", "Siti" + delimiter +
                       " Aminah", 'kata "kutip"', "baris\nbaru", "é", " x ", "12"))


@pytest.mark.parametrize("seed", range(300))
def test_written_files_read_as_the_csv_module_reads_them(seed: int) -> None:
    rng = random.Random(seed)
    delimiter = rng.choice(",;\t|")
    width = rng.randint(1, 5)
    rows = [[_field(rng, delimiter) for _ in range(width)] for _ in range(rng.randint(1, 40))]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL,
               lineterminator=rng.choice(("\n", "\r\n"))).writerows(rows)
    text = out.getvalue()
    read = _agrees(text, delimiter)
    plain_rows = not any('"' in c or "\n" in c for row in rows for c in row)
    assert read == plain_rows  # read whenever no field holds a quote or a line break


def test_dense_quoted_export_is_read_as_a_grid_and_labelled() -> None:
    rows = [["NIK", "NO_HP"]] + [[f"31710155069{n:05d}", f"0812345{n:05d}"]
                                 for n in range(2000)]
    out = io.StringIO()
    csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)
    text = out.getvalue()
    assert plain_grid(text, ";") is not None
    fast, slow = Extracted("csv"), Extracted("csv")
    _csv(text, fast)
    _csv(text, slow, grids=False)
    assert fast == slow
    assert [u.label for u in fast.units] == ["NIK", "NO_HP"]


def test_not_every_field_quoted_is_left_to_the_csv_module() -> None:
    for text in ('3171015506900001;"Siti; Aminah"\n', '"a";b\n', '"a" ;"b"\n', '"a"b"\n',
                 '"a";"b"\n"c"\n', '\ufeff"a";"b"\n', '"a";"b"\n\n"c";"d"\n'):
        assert quoted_grid(text, ";") is None, text
