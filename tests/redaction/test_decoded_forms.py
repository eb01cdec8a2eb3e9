"""The redactor masks identifiers however they are written or encoded.

Values are generated from their specifications (identifiers.py), written with
random separators, wrapped in random encodings (percent, plus, double
percent, HTML references, JSON escapes, a mix) and embedded in random text;
the redacted text, decoded every way a reader could, must not contain them.
Fast: the redactor alone, hundreds of examples.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov_audit.pii.detect import scan_text
from egov_audit.redaction import Redactor

from .forms import ENCODINGS, encode, leaks, readings, written
from .identifiers import DIGIT_KINDS, TEXT_KINDS, Planted, plant_all

R = Redactor(b"redaction-property-salt")
_FILLER = st.text(alphabet="abcdefghij klmnop<>/:;,!?\"'=\n", max_size=30)


@settings(max_examples=400, deadline=None)
@given(seed=st.integers(0, 2**32), encoding=st.sampled_from(ENCODINGS),
       kind=st.sampled_from(sorted({**DIGIT_KINDS, **TEXT_KINDS})),
       before=_FILLER, after=_FILLER)
def test_no_written_or_encoded_identifier_survives(seed: int, encoding: str, kind: str,
                                                   before: str, after: str) -> None:
    # Given one identifier, written and encoded one way, inside arbitrary text
    rng = random.Random(seed)
    item = next(p for p in plant_all(rng) if p.kind == kind)
    text = f"{before} {encode(written(item, rng), encoding, rng)} {after}"
    # When it is redacted
    out = R.redact_text(text)
    # Then no reading of the output shows it
    assert leaks(out, [item]) == [], (text, out)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), encoding=st.sampled_from(ENCODINGS))
def test_many_identifiers_in_one_text(seed: int, encoding: str) -> None:
    rng = random.Random(seed)
    planted = plant_all(rng) + plant_all(rng)
    parts = [encode(written(p, rng), rng.choice((encoding, "raw")), rng) for p in planted]
    text = " | ".join(parts)
    assert leaks(R.redact_text(text), planted) == []


@pytest.mark.parametrize("text", [
    "/cek?nik=%33%32%30%31%30%31%35%35%30%36%39%30%30%30%30%31",
    "/cek?nik=3201+0155+0690+0001",
    "/cek?nik=%2533%2532%2530%2531%2530%2531%2535%2535%2530%2536%2539%2530%2530%2530%2530%2531",
    "&#51;&#50;&#48;&#49;&#48;&#49;&#53;&#53;&#48;&#54;&#57;&#48;&#48;&#48;&#48;&#49;",
    '{"\\u0033\\u0032\\u0030\\u0031\\u0030\\u0031\\u0035\\u0035\\u0030\\u0036\\u0039'
    '\\u0030\\u0030\\u0030\\u0030\\u0031": 1}',
    "3201%200155%2e0690-0001",
])
def test_issue_examples_are_masked_in_the_printed_form(text: str) -> None:
    # Given the encodings from the security review
    out = R.redact(text)
    # Then the printed form is masked, and the hash is that of the decoded value
    assert not any("3201015506900001" in r for r in readings(out.text)), out.text
    assert "3201**********01" in out.text
    assert R.hash("identifier", "3201015506900001") in {r.hash for r in out.redactions}


def test_plain_urls_keep_their_printed_form() -> None:
    # Given URLs whose escapes hide nothing
    text = "https://kota.example.go.id/berita?q=pajak%20daerah+2026&page=2&x=%E2%9C%93"
    # Then redaction leaves them byte for byte
    assert R.redact_text(text) == text


@pytest.mark.parametrize("text", [
    "Server: nginx 0812.3456.7890", "hubungi (0812) 3456-7890", "+62 (812) 3456 7890",
    "62-812-3456-7890", "wa +62.812.3456.7890", "0812 - 3456 - 7890",
])
def test_phones_with_dots_dashes_and_parentheses(text: str) -> None:
    out = R.redact_text(text)
    assert "34567890" not in "".join(ch for ch in out if ch.isdigit()), out


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 2**32), sep=st.sampled_from(["", " ", ".", "-"]),
       kind=st.sampled_from(sorted(DIGIT_KINDS)), label=st.sampled_from(
           ["NIK", "No. KK", "NPWP", "NIP", "HP", "kartu kredit", "no rek", "NISN", "BPJS", ""]))
def test_whatever_the_detector_finds_the_redactor_masks(seed: int, sep: str, kind: str,
                                                         label: str) -> None:
    # Given text in which the detector (with its context rules) finds identifiers
    rng = random.Random(seed)
    value = DIGIT_KINDS[kind](rng)
    text = f"{label} {sep.join(value[i:i + 4] for i in range(0, len(value), 4))} selesai"
    hits = [h for h in scan_text(text) if h.kind not in ("masked", "nik_partial")]
    # Then none of the values it found is left in the redacted text
    out = R.redact_text(text)
    for hit in hits:
        assert hit.value not in out, (hit, out)


def test_context_identifiers_the_detector_reports_are_masked() -> None:
    text = "NISN 0098765432, no. rekening 7012345678, BPJS 0001987654321"
    found = {h.value for h in scan_text(text)}
    assert found >= {"0098765432", "7012345678", "0001987654321"}
    out = R.redact_text(text)
    assert not any(v in out for v in found), out


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
       | st.text(alphabet="0123456789 .-+()%&#;x\\u@=:*aAe", max_size=300))
def test_redaction_never_raises(text: str) -> None:
    evidence = R.redact(text)
    assert isinstance(evidence.text, str)
    # and redacting twice changes nothing more: masks are stable
    assert R.redact_text(evidence.text) == R.redact_text(R.redact_text(evidence.text))


def test_planted_digit_kinds_cover_every_identifier() -> None:
    # The generator itself: one of every kind, each unformatted.
    rng = random.Random(1)
    kinds = {p.kind for p in plant_all(rng)}
    assert kinds == set(DIGIT_KINDS) | set(TEXT_KINDS)
    assert all(p.value.isdigit() for p in plant_all(rng) if p.kind in DIGIT_KINDS)
    assert Planted("nik", "x", True).kind == "nik"


@pytest.mark.parametrize(("text", "gone"), [
    ('<a href="/p/joko.zrjfx35@ma…', "joko.zrjfx35"),  # a quote cut inside the domain
    ("NIK …5506900001 dan", "5506900001"),  # cut at the start of a NIK
    ("NIK 3171014508… dan", "3171014508"),  # cut at its end
    ('"agus.hpcwj20…', "hpcwj20"),  # an address cut before its "@"
    ("/srv/app/joko.wusya28@surel\\u00…", "wusya28"),  # cut inside an escape after it
])
def test_what_a_truncated_quote_leaves_of_a_value_is_masked(text: str, gone: str) -> None:
    # Checks quote a window of a page; a cut through a value leaves a part that identifies
    assert gone not in R.redact_text(text)
