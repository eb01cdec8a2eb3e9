"""The bulk column path must say exactly what the value-by-value detector says."""

from __future__ import annotations

import random

import pytest

from egov_audit.pii.detect import Scanner
from egov_audit.pii.fastpath import patterns
from egov_audit.pii.synthetic import Synthetic
from egov_audit.pii.validators import kk_valid, nik_valid


@pytest.mark.parametrize("kind,valid", [("nik", nik_valid), ("kk", kk_valid)])
def test_compiled_rules_equal_the_validators_on_every_date(kind: str, valid: object) -> None:
    pattern = patterns()[kind]
    for yy in (0, 1, 4, 26, 99):
        for ddmm in range(10000):
            value = f"127101{ddmm:04d}{yy:02d}0001"
            assert (pattern.fullmatch(value) is not None) is valid(value), value  # type: ignore[operator]


def test_compiled_rules_equal_the_validators_on_regions() -> None:
    for region in range(10000):
        value = f"{region:04d}014508900001"
        assert (patterns()["nik"].fullmatch(value) is not None) is nik_valid(value), value


def _column(rng: random.Random, gen: Synthetic, kind: str, dirty: bool) -> str:
    make = {"nik": gen.nik, "kk": gen.kk, "phone": gen.phone}[kind]
    values = [make() for _ in range(rng.randint(1, 30))]
    if dirty:
        values += rng.sample([
            gen.nik()[:6] + "3501900001", "1234567890123456", "0812-3456-7890",
            "+6281234567890", "4539578763621486", gen.nik() + "1", "-", "", "N/A",
            gen.kk(), gen.nik(), "1271 0145 0890 0001", "1212121212121212",
            "1111111111111111", "081111111111", "08901234567", "6281818181818",
            "3171011708450001"], k=rng.randint(1, 4))
    rng.shuffle(values)
    return "\n".join(values)


@pytest.mark.parametrize("kind", ["nik", "kk", "phone"])
def test_bulk_path_equals_value_by_value(kind: str) -> None:
    rng, gen = random.Random(5), Synthetic(5)
    fast, slow = Scanner(), Scanner(bulk_columns=False)
    for i in range(400):
        text = _column(rng, gen, kind, dirty=i % 2 == 1)
        label = {"nik": "NIK", "kk": "No. KK", "phone": "No HP"}[kind]
        assert ([(h.kind, h.value, h.start) for h in fast.scan(text, label)]
                == [(h.kind, h.value, h.start) for h in slow.scan(text, label)]), text


def test_no_digit_run_is_a_valid_nik_or_kk() -> None:
    """Why the bulk path searches ascending/descending runs only in phone columns."""
    for seq in ("0123456789" * 4, "9876543210" * 4):
        for i in range(10):
            run = seq[i:i + 16]
            assert not patterns()["nik"].fullmatch(run) and not patterns()["kk"].fullmatch(run)


@pytest.mark.parametrize(("label", "digits"), [("No. BPJS", 13), ("NISN", 10)])
def test_bulk_bpjs_and_nisn_columns_equal_value_by_value(label: str, digits: int) -> None:
    rng = random.Random(digits)
    fast, slow = Scanner(), Scanner(bulk_columns=False)
    dirty = ["0812-3456-7890", "+6281234567890", "3171011708450001", "", "-", "N/A",
             "1" * digits, "0" * (digits - 1), "9" * (digits + 1), "(0812) 3456 789",
             "1234 5678 9012 3", "x" + "5" * digits]
    bulk_used = 0
    for i in range(300):
        values = ["".join(rng.choice("0123456789") for _ in range(digits))
                  for _ in range(rng.randint(1, 20))]
        if i % 2:
            values += rng.sample(dirty, k=rng.randint(1, 3))
        rng.shuffle(values)
        text = "\n".join(values) + ("\n" if i % 7 == 0 else "")
        bulk_used += fast.bulk_column(text, label) is not None
        assert ([(h.kind, h.value, h.start, h.end) for h in fast.scan(text, label)]
                == [(h.kind, h.value, h.start, h.end) for h in slow.scan(text, label)]), text
    assert bulk_used > 50  # the clean columns did take the bulk path


def test_every_run_a_phone_can_be_rejected_for_holds_one_of_the_two_tested() -> None:
    """The bulk path tests a phone column for two runs only; is_placeholder's ascending
    and descending runs, read after the 0 of 08…, all hold one of them."""
    from egov_audit.pii.fastpath import _RUNS
    from egov_audit.pii.validators import is_placeholder, phone_normal
    rejected = 0
    for seq in ("0123456789" * 3, "9876543210" * 3):
        for i in range(10):
            for n in range(9, 13):
                d = "0" + seq[i:i + n]
                if d.startswith("08") and len(d) >= 10 and is_placeholder(d[1:]):
                    assert phone_normal(d) is None
                    assert any(r in d for r in _RUNS), d
                    rejected += 1
    assert rejected == 8  # 0890123456… and 0876543210…, 10 to 13 digits
