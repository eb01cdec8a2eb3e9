"""The C grid readers (``_grids``) must answer exactly what the Python readers beside them
answer: csv_grid.plain_grid_by_python for CSV, html_grids.grid_cells_by_python for HTML
tables, on the field corpus, the generated tables of the pre-filter tests, text of the
characters the grammars turn on, and hand-picked edges. Where the accelerator was not
built the tests skip (CI builds it: tests/pii/test_native_columns.py)."""

from __future__ import annotations

import csv
import random
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov_audit.pii import csv_grid, html_grids
from egov_audit.pii.csv_grid import plain_grid_by_python
from egov_audit.pii.extract import extract
from egov_audit.pii.html_grids import MAX_SIMPLE_WIDTH, Grid, grid_cells_by_python
from egov_audit.pii.html_tables import read_page
from egov_audit.pii.tables import MAX_CELLS, Extracted, columns, grid_columns
from tests.cpu_clock import cpu_seconds
from tests.pii.test_prefilter import _random_csv, _random_table

try:
    from egov_audit.pii import _grids
except ImportError:  # pragma: no cover - CI requires the build
    _grids = None  # type: ignore[assignment]

needs_native = pytest.mark.skipif(_grids is None, reason="_grids was not built")
pytestmark = needs_native

_TABLE_OPEN = re.compile(r"<table\b[^<>]*>?", re.I)


def _same_csv(text: str, delimiter: str, max_cells: int = MAX_CELLS) -> object:
    expected = plain_grid_by_python(text, delimiter, max_cells)
    got = _grids.plain_grid(text, delimiter, csv.field_size_limit(), max_cells)
    # Equal strs are of the same width: a cell made wider than its characters need
    # (not canonical) would compare unequal here.
    assert got == expected, (text, delimiter, max_cells)
    quoted = '"' in text  # read by csv_grid.quoted_grid, tests/pii/test_quoted_csv.py
    assert csv_grid.plain_grid(text, delimiter, max_cells) == (
        csv_grid.quoted_grid(text, delimiter, max_cells) if quoted else expected)
    return expected


def _same_table(text: str, start: int, end: int, max_width: int = MAX_SIMPLE_WIDTH,
                max_cells: int = MAX_CELLS) -> object:
    expected = grid_cells_by_python(text, start, end, max_width, max_cells)
    got = _grids.simple_table(text, start, end, max_width, max_cells)
    assert got == expected, (text[start:end], max_width, max_cells)
    return expected


def _table_bodies(page: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each table's body: after ``<table…>``, up to ``</table``."""
    lowered = page.lower()
    for m in _TABLE_OPEN.finditer(page):
        end = lowered.find("</table", m.end())
        yield m.end(), (len(page) if end < 0 else end)


@contextmanager
def _python_readers() -> Iterator[None]:
    """Both readers in pure Python, as on an install without a C compiler."""
    saved = (csv_grid._native_plain_grid, html_grids._native_grid_cells,
             html_grids._native_holds_span)
    csv_grid._native_plain_grid = html_grids._native_grid_cells = None
    html_grids._native_holds_span = None
    try:
        yield
    finally:
        (csv_grid._native_plain_grid, html_grids._native_grid_cells,
         html_grids._native_holds_span) = saved


def _corpus() -> list[tuple[str, str]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from pii_field_corpus import dense_tables, generate
    docs = [*generate(per_layout=2), *dense_tables(size=200_000).values()]
    return [(d.fmt, d.text) for d in docs if d.fmt in ("csv", "html") and not d.data]


# (a) The corpora and generators -------------------------------------------------------

def test_the_field_corpus_reads_the_same() -> None:
    seen: set[tuple[str, bool]] = set()
    for fmt, text in _corpus():
        if fmt == "csv":
            for delimiter in ",;\t|":
                seen.add((fmt, _same_csv(text, delimiter) is None))
                seen.add((fmt, _same_csv(text.replace("\n", "\r\n"), delimiter) is None))
        else:
            for start, end in _table_bodies(text):
                seen.add((fmt, _same_table(text, start, end) is None))
                seen.add((fmt, _same_table(text, start, end, max_cells=7) is None))
    assert len(seen) == 4, seen  # grids and not grids of both formats were compared


def test_extraction_is_the_same_with_the_python_readers() -> None:
    for fmt, text in _corpus():
        body = text.encode()
        fast = extract(body, fmt)
        with _python_readers():
            slow = extract(body, fmt)
        assert fast == slow, text[:200]


@pytest.mark.parametrize("seed", range(300))
def test_generated_csv_reads_the_same(seed: int) -> None:
    text = _random_csv(random.Random(seed))
    for delimiter in ",;\t|":
        _same_csv(text, delimiter)
        _same_csv(text.replace("é", "e"), delimiter)
        _same_csv("\ufeff" + text, delimiter)  # a byte-order mark: a two-byte str
    _same_csv(text.replace("é", "e"), ",", max_cells=random.Random(seed).choice((0, 5, 999)))


@pytest.mark.parametrize("seed", range(300))
def test_generated_tables_read_the_same(seed: int) -> None:
    rng = random.Random(seed)
    page = "".join(_random_table(rng) for _ in range(rng.randint(1, 3)))
    if seed % 2:
        page = page.replace("é", "e")
    elif seed % 4:
        page = page.replace("é", "\u3000\U0001f600\xa0")  # four-byte text, Unicode spaces
    for start, end in _table_bodies(page):
        _same_table(page, start, end, max_cells=rng.choice((3, 10, 1000)))
        _same_table(page, start, end, max_width=rng.choice((1, 2, 3)))
    budget = rng.choice((3, 10, 1000))
    fast = read_page(page, budget)
    with _python_readers():
        slow = read_page(page, budget)
    assert (fast.tables, fast.text, fast.attributes, fast.truncated) == (
        slow.tables, slow.text, slow.attributes, slow.truncated)


def _csv_as_html(seed: int) -> str:
    """A generated CSV (title rows, type columns, combined labels) as an HTML table."""
    text = _random_csv(random.Random(seed)).replace("é", "e")
    found = plain_grid_by_python(text, max(",;\t|", key=text.split("\n", 1)[0].count))
    if found is None:
        return ""
    cells, width = found
    return "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in cells[i:i + width])
                               + "</tr>\n" for i in range(0, len(cells), width)) + "</table>"


def test_a_row_cut_half_way_is_no_grid_by_either_reader() -> None:
    """Python 3.11.2 (Debian 12's) once let the rows' pattern end on a half-read row;
    these ask the Python reader directly, so they catch it where C was not built."""
    for tail in ("<tr", "<tr>", "<tr><td>1</td>", "<tr><td>1</td></tr><tr", "<td>1</td></tr>"):
        body = "\n  <tr><td>x=1</td>\n    </tr>\n  " + tail
        assert grid_cells_by_python(body, 0, len(body), 1000, 3) is None, tail
        if html_grids._native_grid_cells is not None:
            assert html_grids._native_grid_cells(body, 0, len(body), 1000, 3) is None, tail
    whole = "<tr><td>1</td></tr>\n<tr><td>2</td></tr>\n"
    assert grid_cells_by_python(whole, 0, len(whole), 1000, 3) == (["1", "2"], 1)


def test_a_grids_columns_are_what_columns_makes_of_its_rows() -> None:
    """extract reads a Grid with grid_columns: the same units as columns() of its rows."""
    pages = [text for fmt, text in _corpus() if fmt == "html"]
    pages += [_csv_as_html(seed) for seed in range(300)]
    sliced = 0
    for page in pages:
        for table in read_page(page, MAX_CELLS).tables:
            if isinstance(table, Grid):
                by_rows, by_grid = Extracted("html"), Extracted("html")
                columns(list(table), by_rows)
                if grid_columns(table.cells, table.width, by_grid):
                    sliced += 1
                    assert by_grid == by_rows
    assert sliced >= 20, sliced


def test_a_grid_is_the_sequence_of_its_rows() -> None:
    grid, rows = Grid(["a", "b", "c", "d", "e", "f"], 2), [["a", "b"], ["c", "d"], ["e", "f"]]
    assert grid == rows and rows == grid and grid == Grid(list("abcdef"), 2)
    assert grid != Grid(list("abcdef"), 3) and grid != rows[:2] and grid != tuple(rows)
    assert (len(grid), list(grid), grid[1], grid[-1], grid[1:], grid[::-2]) == (
        3, rows, rows[1], rows[-1], rows[1:], rows[::-2])
    assert list(reversed(grid)) == rows[::-1] and ["c", "d"] in grid
    with pytest.raises(IndexError):
        grid[3]
    for cells, width in ((["a"], 0), (["a", "b", "c"], 2)):
        with pytest.raises(ValueError):
            Grid(cells, width)


# (b) Any text of the characters the grammars turn on -----------------------------------

_CSV_PIECES = st.sampled_from([",", ";", "\t", "|", '"', "\r", "\n", "\r\n", "\x00", " ", "a",
                               "12", "é", "\x1c", "\ufeff", "\U0001f600", "ā"])
_HTML_PIECES = st.sampled_from(["<tr>", "<TR class=a>", "<td>", "<TH\tx='1'>", "</td>",
                                "</tH>", "</tr>", "</TR>", "<", ">", "/", "t", "d", "h", "r",
                                " ", "\n", "\x0b", "\x1c", "\x1f", "x", "é", "<td", "</t",
                                "\xa0", "\x85", "\u3000", "\u2028", "\ufeff", "\U0001f600",
                                "<tr\x1c>", "</td", "</tr", "<table>", "</table>"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_CSV_PIECES, max_size=30), st.sampled_from(",;\t|\n\r\"aé\ufeff\U0001f600"),
       st.integers(0, 12))
def test_any_csv_text_reads_the_same(pieces: list[str], delimiter: str, cells: int) -> None:
    text = "".join(pieces)
    _same_csv(text, delimiter)
    _same_csv(text, delimiter, cells)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_HTML_PIECES, max_size=40), st.integers(0, 5), st.integers(0, 10),
       st.integers(0, 5), st.integers(0, 400))
def test_any_table_text_reads_the_same(pieces: list[str], cut_start: int, cut_end: int,
                                       width: int, cells: int) -> None:
    text = "".join(pieces)
    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    _same_table(text, start, end)
    _same_table(text, start, end, width, cells)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.sampled_from(["<td>", "<th a>", "<TD\n>"]),
                          st.sampled_from(["", " 1 ", "\x1c3171\t", "a>b", "é", "\xa0ā\u3000",
                                           "\U0001f600 \x85"]),
                          st.sampled_from(["</td>", "</TH>", "</td >", "</tr>"])),
                min_size=1, max_size=6))
def test_near_grids_read_the_same(rows: list[tuple[int, str, str, str]]) -> None:
    """Rows that are mostly well formed, so that the grammar's later steps are reached."""
    text = " \n".join(f"<tr>{(cell + value + close) * n}</tr>"
                      for n, cell, value, close in rows)
    _same_table(text, 0, len(text))
    ascii_text = text.replace("é", "e").replace("\U0001f600", "x")
    _same_table(ascii_text, 0, len(ascii_text))


# (c) Edges ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "", "\n", "\r\n", "\n\n", "a", "a\n", "a\n\n", "\na", "a\r\nb", "a\r\nb\r\n", "a\rb",
    "a\r\nb\n", "a\nb\r\n", "a\r", "a\r\r\n", "a,b\nc,d", "a,b\nc", "a,b\nc,d\n", ",\n,",
    ",,,\n,,,", "a,b\n\nc,d", 'a,"b"', "a\x00b", "a,b\r\n\r\nc,d", "x" * 50, "\t\t\n\t\t",
])
@pytest.mark.parametrize("delimiter", [",", "\t", "\n", "\r", '"', "x"])
def test_csv_edges(text: str, delimiter: str) -> None:
    _same_csv(text, delimiter)


def test_csv_cells_and_width() -> None:
    assert _same_csv("NIK;Nama\r\n3171;Budi\r\n", ";") == (["NIK", "Nama", "3171", "Budi"], 2)
    # A byte-order mark makes the text two-byte; the cells after it are ASCII strs.
    assert _same_csv("\ufeffNIK;Nama\n3171;Jos\xe9\n", ";") == (
        ["\ufeffNIK", "Nama", "3171", "Jos\xe9"], 2)
    assert _same_csv("a,b\nc,d", ",", max_cells=4) == (["a", "b", "c", "d"], 2)
    assert _same_csv("a,b\nc,d", ",", max_cells=3) is None


def test_csv_field_size_limit_is_the_csv_modules() -> None:
    old = csv.field_size_limit(10)
    try:
        # The rule reads lines: past the limit in a longer body, a field may be.
        assert _same_csv("a,b\n" + "x" * 8 + ",y", ",") is not None
        assert _same_csv("a,b\n" + "x" * 9 + ",y", ",") is None
        assert _same_csv("abcdefghij", ",") is not None
        assert _same_csv("abcdefghijk", ",") is None
    finally:
        csv.field_size_limit(old)


@pytest.mark.parametrize("body", [
    "", " ", "<tr></tr>", "<tr><td>1</td></tr>", " \x1c<tr ><td>1</td></tr>\x1f",
    "<tr><td>1</td></tr>x", "<tr><td>1</td></tr><tr></tr>", "<tr><td>1</td><td>2</td></tr>",
    "<tr><td>1</td></tr><tr><td>2</td><td>3</td></tr>", "<tr><td> \x0b1\x1c </TH></tr>",
    "<tr\t><td\x0cclass=x>1</td></tr>", "<tr><td>1</td ></tr>", "<tr><td>1</td></tr >",
    "<tr><td>1<b>2</b></td></tr>", "<tra><td>1</td></tr>", "<tr><tda>1</td></tr>",
    "<tr x<><td>1</td></tr>", "<tr><td x<>1</td></tr>", "<tr><td>1</td>", "<tr><td>1",
    "<tr><td>a>b</td></tr>", "<tr><td></td></tr>\n<tr><td>  </td></tr>", "<TR><TD>1</TD></TR>",
    "<tr><td>1</td></tr></tr>", "<tr><td>1</td><tr>", "<tr>", "<t", "</tr>", "<tr><td/>",
    "<tr><td>1</tdx<td>2</td></tr>", "<tr><td>1</td></trx<tr><td>2</td></tr>",
    "<tr\xa0><td\u3000a=1>\x85x\u2029</td></tr>\u3000", "<tr><td>\U0001f600</td></tr>",
    "<tr><td>\xa0é\xa0</td></tr>", "<tr\ufeff><td>1</td></tr>", "<tr><td>ā</td><td>a</td></tr>",
    "<\u0130r><td>1</td></tr>", "<tr><td>1</td></\u212ar>",
])
def test_table_edges(body: str) -> None:
    for budget in (0, 1, 2, 100):
        _same_table(body, 0, len(body), max_cells=budget)
    _same_table("<table>" + body + "</table>", 7, 7 + len(body))


def test_table_rows_and_limits() -> None:
    body = "\n<tr><td> 1 </td><th>2</th></tr>\n<tr><td>\t3</td><td></td></tr>\n"
    assert _same_table(body, 0, len(body)) == (["1", "2", "3", ""], 2)
    assert _same_table(body, 0, len(body), max_width=2, max_cells=4) == (["1", "2", "3", ""], 2)
    assert _same_table(body, 0, len(body), max_width=1) is None
    assert _same_table(body, 0, len(body), max_cells=3) is None
    assert _same_table(body, 1, len(body) - 1) is not None  # inside the whitespace
    assert _same_table(body, 2, len(body)) is None  # inside the first <tr>


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="sSpPaAnN\u017f\u212a<x é\U0001f600", max_size=12), st.integers(0, 3),
       st.integers(0, 3))
def test_span_is_found_as_the_pattern_finds_it(text: str, cut_start: int, cut_end: int) -> None:
    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    assert _grids.holds_span(text, start, end) is (
        re.compile("span", re.I).search(text, start, end) is not None), (text, start, end)


@pytest.mark.parametrize("text", ["span", "SpAn", "\u017fPAN", "colspan=2", "spa", "pan", "s pan",
                                  "\u017fpa\u00f1", "x" * 40 + "SPAN" + "\U0001f600"])
def test_span_edges(text: str) -> None:
    for start, end in ((0, len(text)), (1, len(text)), (0, len(text) - 1)):
        assert _grids.holds_span(text, start, end) is (
            re.compile("span", re.I).search(text, start, end) is not None)


def test_pages_that_are_not_ascii_read_the_same() -> None:
    """A page with one character past ASCII: its tables go through the C readers too."""
    grids = 0
    for seed in range(300):
        rng = random.Random(seed)
        page = "".join(_random_table(rng) for _ in range(rng.randint(1, 3)))
        page = page.replace("SPAN", rng.choice(("SPAN", "\u017fPAN", "sPan"))) + "\u00a9"
        fast = read_page(page, 1000)
        with _python_readers():
            slow = read_page(page, 1000)
        assert (fast.tables, fast.text, fast.truncated) == (slow.tables, slow.text, slow.truncated)
        grids += sum(isinstance(table, Grid) for table in fast.tables)
    assert grids >= 30, grids


def test_bad_arguments_are_errors_not_crashes() -> None:
    limit = csv.field_size_limit()
    for delimiter in ("", ",,"):
        with pytest.raises(ValueError):
            _grids.plain_grid("a,b", delimiter, limit, 10)
    with pytest.raises(TypeError):
        _grids.plain_grid(b"a,b", ",", limit, 10)  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        _grids.plain_grid("a,b", ",", 2**80, 10)
    for start, end in ((-1, 3), (2, 1), (0, 99)):
        with pytest.raises(ValueError):
            _grids.simple_table("<tr>", start, end, 10, 10)
    with pytest.raises(ValueError):
        _grids.simple_table("<tr>\U0001f600", 0, 6, 10, 10)
    with pytest.raises(TypeError):
        _grids.simple_table("<tr>", "0", 4, 10, 10)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        _grids.holds_span("span", 0, 5)
    with pytest.raises(TypeError):
        _grids.holds_span(None, 0, 0)  # type: ignore[arg-type]


# Hostile input: linear time -----------------------------------------------------------

@pytest.mark.parametrize("unit", ["1,2\n", "1,2,3\n", ",\n", "1,2\r\n", "1\r,\n"])
def test_csv_reading_is_linear(unit: str) -> None:
    limit = csv.field_size_limit()
    small, large = unit * (100_000 // len(unit)), unit * (400_000 // len(unit))
    t1 = min(cpu_seconds(_grids.plain_grid, small, ",", limit, 10**9) for _ in range(3))
    t4 = min(cpu_seconds(_grids.plain_grid, large, ",", limit, 10**9) for _ in range(3))
    assert t4 < max(10 * t1, 0.5), (t1, t4)


@pytest.mark.parametrize("unit", ["<tr><td>1</td><td>2</td></tr>\n", "<tr><td>1</td><td>2",
                                  "<td>", "<tr " + "x" * 50, "<tr><td " + "y" * 50])
def test_table_reading_is_linear(unit: str) -> None:
    head = "<tr><td>a</td><td>b</td></tr>"
    small, large = head + unit * (100_000 // len(unit)), head + unit * (400_000 // len(unit))
    t1 = min(cpu_seconds(_grids.simple_table, small, 0, len(small), 1000, 10**9)
             for _ in range(3))
    t4 = min(cpu_seconds(_grids.simple_table, large, 0, len(large), 1000, 10**9)
             for _ in range(3))
    assert t4 < max(10 * t1, 0.5), (t1, t4)
