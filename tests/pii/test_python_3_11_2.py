"""Cases Python 3.11.2 (Debian 12's python3, which the quick start and CI use)
got wrong while the patterns repeated groups possessively: each step that failed
half-way kept the text it had consumed. Correct answers on every Python."""

from __future__ import annotations

import pytest

from egov_audit.pii.json_depth import too_deep
from egov_audit.pii.patterns import DIGIT_RUN
from egov_audit.pii.prefilter import digit_runs
from egov_audit.pii.text_tables import _CELL, _ORDINAL


@pytest.mark.parametrize(("text", "runs"), [
    ("1101010101000002 ", ["1101010101000002"]),
    ("WA 6281234567890 lalu", ["6281234567890"]),
    ("0812 - 3456 - 7890 -", ["0812 - 3456 - 7890"]),
    ("3171 0155 0690 0001  3171 0155 0690 0002", ["3171 0155 0690 0001", "3171 0155 0690 0002"]),
])
def test_a_digit_run_ends_at_its_last_digit(text: str, runs: list[str]) -> None:
    assert [m.group() for m in DIGIT_RUN.finditer(text)] == runs


def test_a_cell_never_takes_the_space_after_it() -> None:
    assert [m.span() for m in _CELL.finditer("ab a\tb  a b")] == [(0, 4), (5, 6), (8, 11)]


@pytest.mark.parametrize(("line", "end"), [
    ("  <li>12. Budi", 10), ("<b 3. x", None), ("\t7) x", 4), ("<i><i>1 x", 8),
])
def test_a_row_number_is_read_after_blanks_and_tags(line: str, end: int | None) -> None:
    found = _ORDINAL.match(line)
    assert (found.end() if found else None) == end


@pytest.mark.parametrize(("text", "deep"), [
    ('[[["a"]]]', True),
    ('["[[[["]', False),  # brackets inside a string do not nest
    ('["\\"[[[["]', False),  # nor after an escaped quote
    ('["\\\\", [[[1]]]]', True),  # an escaped backslash ends before the quote
    ('["never ends [[[[', False),
])
def test_nesting_is_counted_outside_strings(text: str, deep: bool) -> None:
    assert too_deep(text, 2) is deep


@pytest.mark.parametrize(("tail", "runs"), [
    (" 1101010101000002 ", ["1101010101000002"]),
    (" 0812 - 3456 - 7890 -", ["0812 - 3456 - 7890"]),
    (" 3171 0155 0690 0001  3171 0155 0690 0002 ", ["3171 0155 0690 0001",
                                                    "3171 0155 0690 0002"]),
])
def test_a_digit_run_read_by_stretches_ends_at_its_last_digit(tail: str, runs: list[str]) -> None:
    """prefilter.digit_runs reads a long Latin-1 text stretch by stretch (pos, endpos)."""
    text = "x 20-02-2023 y" * 400 + tail
    assert [m.group() for m in digit_runs(text)] == runs
