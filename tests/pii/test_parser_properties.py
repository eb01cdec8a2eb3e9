"""Property tests for every parser of untrusted input in the pii library.

Whatever bytes a server sends, each parser returns (no exception but its own
declared one) and its output is bounded by its input. Time linear in the input
is held by tests/pii/test_extract_linear.py.
"""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov_audit.pii.extract import MAX_CHARS, decode, extract, sniff_format
from egov_audit.pii.html_tables import read_page
from egov_audit.pii.json_depth import too_deep
from egov_audit.pii.sql_inserts import inserts
from egov_audit.pii.web import anchors, is_privacy_page, links_privacy_notice
from egov_audit.pii.zipguard import Refused, inspect, prolog_problem

from . import hostile_documents as build

# The characters the parsers care about, so examples hit their states often.
MARKUP = st.text(alphabet=st.sampled_from(
    [*"<>/!-?\"'`=tablerdhsyINSERTOVALUa (),;{}[]:\\\n\t1208*#@.", "é", "\x00", "😀"]),
    max_size=400)
ANY_TEXT = st.one_of(MARKUP, st.text(max_size=200))
BODIES = st.one_of(MARKUP.map(str.encode), st.binary(max_size=400))
TEXT_FORMATS = st.sampled_from(["html", "json", "csv", "sql", "text", "binary"])
FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(body=BODIES, fmt=TEXT_FORMATS,
       charset=st.sampled_from(["utf-8", "latin-1", "utf-16", "bogus", "utf\x00", "rot13"]))
def test_text_extraction_never_raises_and_stays_bounded(body: bytes, fmt: str,
                                                        charset: str) -> None:
    out = extract(body, fmt, charset)
    size = sum(len(u.text) + len(u.label) for u in out.units)
    # JSON numbers print a little longer than written (1e5 → 100000.0)
    assert size <= 4 * len(body) + 64 and size <= MAX_CHARS
    assert out.error is None or fmt == "binary" or out.error.startswith("could not read")


@FAST
@given(text=ANY_TEXT)
def test_markup_scanners_never_raise(text: str) -> None:
    page = read_page(text, 50)
    assert sum(len(r) for t in page.tables for r in t) <= 50
    assert len(page.text) <= len(text) + len(page.tables) + 1
    for attrs, inner in anchors(text):
        assert len(attrs) + len(inner) <= len(text)
    links_privacy_notice(text)
    is_privacy_page("/x", text)


@FAST
@given(text=ANY_TEXT, limit=st.integers(0, 5))
def test_sql_and_json_scanners_never_raise(text: str, limit: int) -> None:
    for statement in inserts(text):
        assert 0 <= statement.start < statement.end <= len(text)
    depth = too_deep(text, limit)
    assert isinstance(depth, bool)


@FAST
@given(head=st.binary(max_size=300))
def test_xml_prolog_check_never_raises(head: bytes) -> None:
    problem = prolog_problem(head)
    assert problem is None or isinstance(problem, str)


@FAST
@given(body=st.one_of(st.binary(max_size=300),
                      st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
                      st.binary(max_size=200).map(lambda b: b + b"PK\x05\x06" + b[:18])))
def test_zip_inspection_raises_only_refused(body: bytes) -> None:
    try:
        archive = inspect(body)
    except Refused as exc:
        assert str(exc)
    else:
        assert isinstance(archive, zipfile.ZipFile)


@FAST
@given(path=st.text(max_size=60), ctype=st.text(max_size=40), body=st.binary(max_size=80))
def test_sniffing_and_decoding_never_raise(path: str, ctype: str, body: bytes) -> None:
    assert sniff_format(path, ctype, body) in {
        "pdf", "xlsx", "docx", "binary", "csv", "json", "sql", "text", "html"}
    assert isinstance(decode(body, ctype or "utf-8"), str)


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noise=st.binary(max_size=300), cut=st.floats(0.0, 1.0))
def test_documents_from_noise_are_errors_not_exceptions(fmt: str, noise: bytes,
                                                        cut: float) -> None:
    # Given a real document cut anywhere and followed by noise
    whole = {"xlsx": lambda: build.xlsx(build.sheet([["NIK"], ["1"]])),
             "docx": lambda: build.docx(build.paragraphs(["x"])),
             "pdf": lambda: build.pdf_pages([build.text_ops(["x"])])}[fmt]()
    body = whole[:int(len(whole) * cut)] + noise
    # When the child process reads it, Then it answers with text or a reason
    out = extract(body, fmt)
    assert out.error is not None or out.units
    assert sum(len(u.text) for u in out.units) <= MAX_CHARS
