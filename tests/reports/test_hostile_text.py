"""Markdown and CSV given text a hostile server chose: it stays text.

Markdown is rendered with markdown-it-py (CommonMark, with GitHub's tables), the
way a merge-request comment is; CSV is read back both as RFC 4180 and the way a
spreadsheet in an Indonesian locale splits it (list separator ``;``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
from egov_audit.reports.csv_report import CsvRenderer, cell
from egov_audit.reports.markdown_report import MarkdownRenderer, code
from markdown_it import MarkdownIt
from markdown_it.token import Token

from egov_audit.model import Evidence, RunReport

HOSTILE_LOCATIONS = [
    "https://127.0.0.1/a``<img src=x onerror=alert(1)>``b",
    "https://127.0.0.1/```<script>alert(1)</script>",
    "`<b>bold</b>`",
    "https://127.0.0.1/x`",
    "<!-- comment --> <div>block</div>",
    "&lt;img&gt; &#60;svg onload=alert(1)&#62;",
]


def tokens(text: str) -> Iterator[Token]:
    parser = MarkdownIt("commonmark").enable("table")
    for token in parser.parse(text):
        yield token
        yield from token.children or ()


def with_location(report: RunReport, location: str, **service: str) -> RunReport:
    f = replace(report.outcomes[0].findings[0], location=location)
    target = report.outcomes[0].target
    if service:
        target = replace(target, service=replace(target.service, **service))
    o = replace(report.outcomes[0], target=target, findings=(f,))
    return replace(report, outcomes=(o,))


@pytest.mark.parametrize("location", HOSTILE_LOCATIONS)
def test_markdown_never_turns_server_text_into_html(report: RunReport, location: str) -> None:
    # Given a finding whose location and service name carry backticks and HTML
    hostile = with_location(report, location, name=f"Portal {location}")
    # When it is rendered to Markdown and parsed as a merge-request comment would be
    parsed = list(tokens(MarkdownRenderer().render(hostile).decode("utf-8")))
    # Then nothing is HTML, and the location is one code span holding exactly the value
    assert [t.content for t in parsed if t.type in ("html_inline", "html_block")] == []
    assert location in [t.content for t in parsed if t.type == "code_inline"]


@pytest.mark.parametrize("value", ["a", "a`b", "a``b", "```", "`x`", "x ` y"])
def test_code_span_fence_is_longer_than_any_backtick_run(value: str) -> None:
    parsed = [t for t in tokens(code(value)) if t.type == "code_inline"]
    assert [t.content for t in parsed] == [value]


# ---- CSV -----------------------------------------------------------------------------------

FORMULAS = [
    'x;=HYPERLINK("http://evil.invalid/","click")',
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "+1",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\uff1d1+1",
]


def render_csv(report: RunReport, evidence: str) -> str:
    f = replace(report.outcomes[0].findings[0], evidence=Evidence(evidence),
                location=evidence)
    o = replace(report.outcomes[0], findings=(f,))
    return CsvRenderer().render(replace(report, outcomes=(o,))).decode("utf-8-sig")


def split_outside_quotes(record: str, separator: str) -> list[str]:
    """How Excel splits a line: a separator counts only outside double quotes."""
    cells, current, quoted = [], [], False
    for char in record:
        if char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            cells.append("".join(current))
            current = []
            continue
        current.append(char)
    return [*cells, "".join(current)]


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_quotes_every_field_and_defuses_formulas(report: RunReport, value: str) -> None:
    text = render_csv(report, value)
    # Every field is quoted ...
    assert re.fullmatch(r'(?:"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*\r\n)+', text)
    # ... so a reader splitting on ";" (Indonesian Excel) sees one cell per record
    for record in text.split("\r\n")[:-1]:
        if record:
            assert len(split_outside_quotes(record, ";")) == 1, record
    # ... and read back, a cell that starts like a formula gets a leading ', while a
    # formula after a ";" needs nothing more: inside quotes it is not a cell's start
    row = next(csv.DictReader(io.StringIO(text)))
    expected = value if value.startswith("x;") else "'" + value
    assert row["evidence"] == expected and row["location"] == expected


def test_csv_keeps_ordinary_text_and_a_semicolon_inside_a_value(report: RunReport) -> None:
    row = next(csv.DictReader(io.StringIO(render_csv(report, "x;y, z = 1"))))
    assert row["evidence"] == "x;y, z = 1"
    assert cell("GET /a?b=-1") == "GET /a?b=-1"  # only a leading formula character counts


def test_csv_numbers_we_compute_stay_numbers(report: RunReport) -> None:
    # Given a negative risk score (as a hypothetical adjusted score could be)
    first = report.outcomes[0].findings[0]
    risk = {**report.extensions["risk"],
            first.id: {"score": -2.5, "rank": 1, "factors": {}, "why": "adjusted"}}
    text = CsvRenderer().render(replace(report, extensions={**report.extensions,
                                                            "risk": risk})).decode("utf-8-sig")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    # Then it is written as a number, not defused into text
    assert rows[first.id]["risk_score"] == "-2.5"
    assert rows[first.id]["risk_rank"] == "1"
