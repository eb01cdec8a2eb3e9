"""Every parser of untrusted text in the pii library does work linear in its input.

Each case feeds the same adversarial pattern at n and 4n bytes: the inputs that
made the old patterns quadratic (``<table`` or ``<style`` with no closing tag,
``INSERT ... VALUES (`` with no ``;``, unclosed links, ``'/api/api/...``). A
linear parser takes ~4x as long on 4n; a quadratic one ~16x, and the old ones
took minutes at these sizes. The checks are generous (under 10x, and an
absolute cap of seconds for what now takes milliseconds): best-of-three CPU
time of the measuring thread, so neither a busy machine nor threads other tests
left running count.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from egov_audit.pii.extract import extract
from egov_audit.pii.fastpath import bulk
from egov_audit.pii.html_tables import read_page
from egov_audit.pii.json_depth import too_deep
from egov_audit.pii.sql_inserts import inserts
from egov_audit.pii.web import anchors, links_privacy_notice
from egov_audit.pii.zipguard import prolog_problem
from tests.cpu_clock import cpu_seconds

N = 100_000  # bytes of the smaller input; the larger is 4N


def cpu(fn: Callable[[str], object], text: str) -> float:
    # This thread's CPU time: daemon threads left by earlier tests do not count.
    return min(cpu_seconds(fn, text) for _ in range(3))


def grow(unit: str, size: int, prefix: str = "", suffix: str = "") -> str:
    return prefix + unit * (size // len(unit)) + suffix


def _html(text: str) -> object:
    return extract(text.encode(), "html")


def _sql(text: str) -> object:
    return extract(text.encode(), "sql")


def _json(text: str) -> object:
    return extract(text.encode(), "json")


def _text(text: str) -> object:
    return extract(text.encode(), "text")


CASES: list[tuple[str, Callable[[str], object], str, str, str]] = [
    # name, parser, repeated unit, prefix, suffix
    ("html <table unclosed", _html, "<table", "", ""),
    ("html <style unclosed", _html, "<style", "", ""),
    ("html <table><style", _html, "<table><style>", "", ""),
    ("html rows without >", _html, "<tr", "<table>", "</table>"),
    ("html cells, no </table>", _html, "<td>1", "<table><tr>", ""),
    ("html cells of < runs", _html, "<td><<<<", "<table><tr>", "</table>"),
    ("html many small tables", _html, "<table><tr><td>1</td></tr></table>", "", ""),
    ("html tags without >", lambda t: read_page(t, 10**9), "<a <b ", "", ""),
    ("sql INSERT without ;", _sql, "INSERT INTO x (a) VALUES (1),", "", ""),
    ("sql INSERT header only", _sql, "INSERT INTO x (", "", ""),
    ("sql many statements", _sql, "INSERT INTO t (a) VALUES ('1');\n", "", ""),
    ("sql ; without line end", lambda t: list(inserts(t)), "; ", "INSERT INTO t (a) VALUES (", ""),
    ("json deep", _json, "[", "", ""),
    ("json escaped quotes, unterminated", lambda t: too_deep(t, 5), '\\"', '[[[[[[[[["', ""),
    ("json flat records", _json, '{"nik": "1", "a": [1, 2]},', "[", "{}]"),
    ("links unclosed", lambda t: list(anchors(t)), "<a href=x>", "", ""),
    ("links without >", links_privacy_notice, "<a ", "", ""),
    ("bulk column of 1s", lambda t: bulk("nik", t), "1", "", ""),
    ("bulk column of values", lambda t: bulk("phone", t), "081234567890\n", "", "x"),
    ("xml prolog of comments", lambda t: prolog_problem(t.encode()), "<!-- -->", "", ""),
    # Issue 14: labels found in real layouts
    ("text table: numbered rows", _text, "1 3171015506900001 0012345678 Budi\n",
     "No NIK NISN Nama\n", ""),
    ("text table: header lines only", _text, "No NIK No KK NISN Rekening\n", "", ""),
    ("text table: one cell per line, no next row", _text, "1\n3171015506900001\n",
     "No NIK\n", ""),
    ("text table: tabs", _text, "1\t3171015506900001\t\t\t\n", "No\tNIK\tNISN\n", ""),
    ("text table: pipes", _text, "| 1 | 3171015506900001 | | |\n", "| No | NIK | KK |\n", ""),
    ("text table: layout", _text, "1    3171015506900001     0012345678\n",
     "No   NIK                  NISN\n", ""),
    ("text table: phone groups", _text, "1 0812 3456 7890 12 34 56\n", "No HP\n", ""),
    ("sql CREATE TABLE unclosed", _sql, "CREATE TABLE t (a int, ", "", ""),
    ("sql INSERT without columns", _sql, "INSERT INTO `t` VALUES (1,'a'),",
     "CREATE TABLE `t` (`nik` char(16), `nama` text);\n", ""),
    ("sql COPY without terminator", _sql, "1\t3171015506900001\n",
     "COPY t (a, nik) FROM stdin;\n", ""),
    ("sql many COPY heads", _sql, "COPY t (a) FROM stdin;\n", "", ""),
    ("html rowspans", _html, "<tr><td rowspan=1000>1", "<table>", "</table>"),
    ("html colspans", _html, "<td colspan=64>1", "<table><tr>", "</table>"),
    ("html attributes in cells", _html, '<td><a href="?nik=1" data-x=1 title=\'a\'>x</a>',
     "<table><tr>", "</table>"),
    ("html list lines", _html, "<li>1. 0012345678 Budi</li>", "<p>No NISN Nama</p><ol>", ""),
    ("json fields and rows", _json, '["1", "3171015506900001"],',
     '{"fields": ["no", "nik"], "rows": [', '["1", "2"]]}'),
    # Issue 14, throughput: line-end tags cut by one split; text-table line views
    ("html line ends of both cases", _html, "a<br /></li></P><BR>", "", ""),
    ("html line-end tags unclosed", _html, "</li</p<br /", "", ""),
    ("text table: a menu header over long lines", _text,
     "<p>tgl 20-02-2023 telp 0411-392666, Rp 643.108.000 1713091449</p>\n",
     "<li><a href=\"/kontak\">Kontak</a></li>\n", ""),
    ("text table: words glued to digits", _text, "Nama1 NIK2 KK3 HP4\n", "", "1234567890 " * 3),
]


@pytest.mark.parametrize("name,parser,unit,prefix,suffix", CASES, ids=[c[0] for c in CASES])
def test_work_grows_linearly(name: str, parser: Callable[[str], object], unit: str,
                             prefix: str, suffix: str) -> None:
    small = grow(unit, N, prefix, suffix)
    large = grow(unit, 4 * N, prefix, suffix)
    t_small, t_large = cpu(parser, small), cpu(parser, large)
    # Then 4x the input costs well under the 16x of a quadratic parser
    assert t_large < 3.0, (name, t_small, t_large)
    assert t_large < 10 * max(t_small, 0.005), (name, t_small, t_large)


def test_linear_scanners_keep_the_old_meaning() -> None:
    # Given the shapes the old patterns handled
    page = ("<p>a</p><TABLE border=1><tr><th>Nama</th><th>NIK</th></tr>"
            "<tr><td><b>Budi</b></td><td>1</td></tr></TABLE>"
            "<style>.x{}</style>b<table><tr><td>unclosed")
    read = read_page(page, 100)
    # Then a closed table is rows of cell texts, an unclosed one stays text
    assert read.tables == [[["Nama", "NIK"], ["Budi", "1"]]]
    assert "unclosed" in read.text and ".x{}" not in read.text and "Nama" not in read.text
    sql = ("INSERT INTO `w` (`nik`, nama) VALUES ('1','A'),('2','B');\n"
           "INSERT INTO w (nik) VALUES ('3')\n-- no terminator\n")
    (first,) = inserts(sql)
    assert first.names == ["nik", "nama"] and first.rows == [["1", "A"], ["2", "B"]]
    assert not too_deep('{"a": "[[[[[[[[[[[[[[[[[[["}', 3)
    assert too_deep('{"a": [[[["x"]]]]}', 3)
    assert list(anchors('<a href="/privasi">Kebijakan <b>Privasi</b></a>')) == [
        (' href="/privasi"', "Kebijakan <b>Privasi</b>")]


def test_a_cell_cap_stops_collecting_but_not_reading() -> None:
    page = "<table><tr>" + "<td>1" * 1000 + "</table>after"
    read = read_page(page, 10)
    assert read.truncated and len(read.tables[0][0]) == 10 and "after" in read.text
