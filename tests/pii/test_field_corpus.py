"""The independent field corpus (benchmarks/pii_field_corpus.py) plants identifiers
that obey their published structure, never leaks a full identifier through a masked
value, and is a pure function of its seed."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import pii_field_corpus as corpus
import pii_field_ids as ids
from pii_field_doc import Doc, normalise


@pytest.fixture(scope="module")
def docs() -> list[Doc]:
    return corpus.generate(seed=7, per_layout=3)


def _planted(docs: list[Doc], kind: str) -> list[str]:
    return [p.norm for d in docs for p in d.truth if p.kind == kind]


def _date(day: int, month: int, yy: int) -> dt.date:
    for century in (2000, 1900):
        try:
            when = dt.date(century + yy, month, day)
        except ValueError:
            continue
        if when <= dt.date(2025, 12, 31):
            return when
    raise AssertionError(f"no valid date {day}-{month}-{yy}")


def test_generation_is_deterministic_per_seed() -> None:
    # Given the same seed twice, and another seed
    first, again = corpus.generate(3, 2), corpus.generate(3, 2)
    other = corpus.generate(4, 2)
    # Then the documents and their truth are identical, and another seed differs
    assert [(d.name, d.text, d.truth, d.negatives) for d in first] == [
        (d.name, d.text, d.truth, d.negatives) for d in again
    ]
    assert [d.text for d in first] != [d.text for d in other]
    # And a document does not depend on which other layouts were generated
    alone = corpus.generate(3, 2, ["ppdb_text"])
    assert [d.text for d in alone] == [d.text for d in first if d.layout == "ppdb_text"]


def test_every_layout_is_present_and_plants_what_it_prints(docs: list[Doc]) -> None:
    assert {d.layout for d in docs} == set(corpus.LAYOUTS)
    for d in docs:
        for p in d.truth:
            assert p.value in d.text, (d.name, p)
            assert p.norm == normalise(p.kind, p.value)


def test_nik_obeys_the_dukcapil_layout(docs: list[Doc]) -> None:
    niks = _planted(docs, "nik")
    assert len(niks) > 500
    for v in niks:
        assert re.fullmatch(r"\d{16}", v), v
        assert int(v[:2]) in ids.PROVINCES and v[2:4] != "00" and v[4:6] != "00", v
        day = int(v[6:8])
        assert 1 <= day <= 31 or 41 <= day <= 71, v
        _date(day - 40 if day > 40 else day, int(v[8:10]), int(v[10:12]))
        assert v[12:] != "0000", v


def test_kk_carries_an_issue_date_without_the_plus_40(docs: list[Doc]) -> None:
    for v in _planted(docs, "kk"):
        assert re.fullmatch(r"\d{16}", v) and int(v[:2]) in ids.PROVINCES, v
        assert _date(int(v[6:8]), int(v[8:10]), int(v[10:12])).year >= 2005, v
        assert v[12:] != "0000", v


def test_nip_is_birth_date_appointment_sex_serial(docs: list[Doc]) -> None:
    nips = _planted(docs, "nip")
    assert nips
    for v in nips:
        born = dt.date(int(v[:4]), int(v[4:6]), int(v[6:8]))
        appointed_year, appointed_month = int(v[8:12]), int(v[12:14])
        assert born.year + 18 <= appointed_year <= 2025 and 1 <= appointed_month <= 12, v
        assert v[14] in "12" and v[15:] != "000", v


def test_other_identifiers_have_their_lengths_and_checks(docs: list[Doc]) -> None:
    assert all(re.fullmatch(r"\d{10}", v) for v in _planted(docs, "nisn"))
    assert all(re.fullmatch(r"\d{13}", v) for v in _planted(docs, "bpjs"))
    assert all(re.fullmatch(r"[A-Z]\d{7}", v) for v in _planted(docs, "passport"))
    assert all(re.fullmatch(r"08[1-9]\d{7,10}", v) for v in _planted(docs, "phone"))
    assert all(len(v) in (10, 13, 15) for v in _planted(docs, "account"))
    assert all("@" in v and "[" not in v and "&" not in v for v in _planted(docs, "email"))
    for v in _planted(docs, "npwp"):
        old = v[1:] if len(v) == 16 and v[0] == "0" else v
        if len(old) == 15:  # old format: Luhn check digit over the first eight digits
            assert ids.luhn_check_digit(old[:8]) == old[8], v
        else:  # an individual's NIK used as NPWP
            assert len(v) == 16 and int(v[:2]) in ids.PROVINCES, v


def test_masked_values_never_contain_a_full_identifier(docs: list[Doc]) -> None:
    checked = 0
    for d in docs:
        planted = {p.norm for p in d.truth}
        for n in d.negatives:
            if n.cls not in ("masked", "masked_email"):
                continue
            checked += 1
            assert re.search(r"[*xX•#]{2,}", n.value), n
            digits = re.sub(r"\D", "", n.value)
            assert not re.search(r"\d{10,}", n.value) and digits not in planted, n
            assert normalise("email", n.value) not in planted, n
    assert checked > 100


def test_look_alikes_are_what_they_claim(docs: list[Doc]) -> None:
    negatives = [n for d in docs for n in d.negatives]
    exams = [n.value for n in negatives if n.cls == "exam_number" and len(n.value) == 16]
    assert exams and all(ids.luhn_ok(v) and v[0] in "45" for v in exams)
    registrations = [n.value for n in negatives if n.cls == "registration"]
    assert registrations and all(re.fullmatch(r"\d{16}", v) for v in registrations)
    planted = {p.norm for d in docs for p in d.truth}
    assert not planted & set(registrations)


def test_binary_documents_are_well_formed_files(docs: list[Doc]) -> None:
    # Given the real PDF and XLSX documents of the corpus
    pdfs = [d for d in docs if d.fmt == "pdf"]
    sheets = [d for d in docs if d.fmt == "xlsx"]
    assert pdfs and sheets
    for d in pdfs:
        # Then the cross-reference table is where startxref says, and every object
        # offset in it points at that object
        body = d.body()
        xref = int(body.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
        assert body[xref:].startswith(b"xref\n")
        offsets = re.findall(rb"(\d{10}) 00000 n ", body[xref:])
        for number, offset in enumerate(offsets, 1):
            assert body[int(offset) :].startswith(f"{number} 0 obj".encode()), (d.name, number)
    for d in sheets:
        # And a workbook is a zip holding its sheet, with every planted value in a cell
        with zipfile.ZipFile(io.BytesIO(d.body())) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
        assert all(f"<t>{p.value.lstrip(chr(39))}</t>" in sheet for p in d.truth), d.name


def test_generation_does_not_depend_on_the_interpreter_hash_seed() -> None:
    # Given two interpreters with different string-hash seeds
    script = (
        "import hashlib, sys; sys.path.insert(0, 'benchmarks'); import pii_field_corpus as c; "
        "h = hashlib.sha256(); [h.update(d.body()) for d in c.generate(5, 1)]; print(h.hexdigest())"
    )
    root = Path(__file__).resolve().parents[2]
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    # Then they generate byte-identical corpora
    assert len(digests) == 1


class _Reporting:
    """A stand-in detector that reports fixed hits, to check the scoring itself."""

    def __init__(self, hits: list[tuple[str, str]]) -> None:
        self.hits = hits

    def scan(self, text: str, label: str = "") -> list[object]:
        from types import SimpleNamespace

        return [SimpleNamespace(kind=k, value=v) for k, v in self.hits]


def test_scoring_counts_kinds_values_and_causes() -> None:
    import pii_field_bench as bench
    from pii_field_doc import Builder

    # Given a document with a NIK, a KK and a landline look-alike
    b = Builder(random.Random(0))
    text = "NIK {} KK {} Telp {}".format(
        b.pos("nik", "3273014101900001"),
        b.pos("kk", "3273-0101-0115-0003"),
        b.neg("landline", "(022) 4201234"),
    )
    doc = b.doc("t/000.txt", "free_text", "text", text)
    # When the detector finds the NIK, calls the KK a NIK, and reports the landline
    reported = [
        ("nik", "3273014101900001"),
        ("nik", "3273010101150003"),
        ("phone", "0224201234"),
        ("masked", "3273"),
    ]
    res = bench.score([doc], _Reporting(reported))  # type: ignore[arg-type]
    # Then strict scoring counts one hit, two false positives and one miss, by kind
    assert (res.by_kind["nik"].tp, res.by_kind["nik"].fp) == (1, 1)
    assert (res.by_kind["kk"].tp, res.by_kind["kk"].fn) == (0, 1)
    assert res.by_kind["phone"].fp == 1
    # And every false positive is explained, the masked report scored neither way
    assert res.fp_causes == {("nik", "is kk"): 1, ("phone", "negative landline"): 1}
    assert res.fn_causes == {("kk", "found as nik"): 1}
    assert res.any_kind.tp == 2 and res.any_kind.fp == 1
