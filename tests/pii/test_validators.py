"""Structural validators: valid, invalid and near-miss values for each identifier."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

from egov_audit.pii.validators import (
    birth_date,
    card_issuer,
    card_valid,
    kk_valid,
    luhn_ok,
    mrz_check,
    mrz_line2_valid,
    nik_valid,
    nip_valid,
    npwp_valid,
    phone_normal,
)

TODAY = dt.date(2025, 6, 1)


@pytest.mark.parametrize("value", [
    "1271014508900001",  # Medan, female born 05-08-1990
    "3171011708450001",  # python-stdnum's documented example
    "9401022902000017",  # 29 Feb 2000 exists
    "1275010101010001",
])
def test_nik_valid(value: str) -> None:
    assert nik_valid(value, TODAY)
    assert stdnum_nik.is_valid(value) or value.startswith("94")  # stdnum lacks Papua Tengah


@pytest.mark.parametrize("value,why", [
    ("2071014508900001", "province 20 does not exist"),
    ("1200014508900001", "regency 00"),
    ("1250014508900001", "regency 50 is unassigned (kabupaten <= 39, kota 71-79)"),
    ("1271004508900001", "district 00"),
    ("1271013508900001", "day 35 is neither male nor female"),
    ("1271017508900001", "day 75 (female 35)"),
    ("1271010113900001", "month 13"),
    ("1271013102900001", "31 February"),
    ("1271012902010001", "29 Feb 1901/2001 does not exist"),
    ("1271014508900000", "serial 0000"),
    ("1234567890123456", "placeholder"),
    ("1111111111111111", "repeated digit"),
    ("127101450890001", "15 digits"),
])
def test_nik_invalid(value: str, why: str) -> None:
    assert not nik_valid(value, TODAY), why


def test_nik_birth_date_not_in_future() -> None:
    # 01-01-30 is 1930 (past); 01-01-26 would be 2026 after TODAY, so 1926
    assert birth_date("010130", TODAY) == dt.date(1930, 1, 1)
    assert birth_date("010126", TODAY) == dt.date(1926, 1, 1)
    assert birth_date("290200", TODAY) == dt.date(2000, 2, 29)
    assert birth_date("450890", TODAY) == dt.date(1990, 8, 5)  # female: day - 40


def test_kk_rejects_female_day() -> None:
    assert kk_valid("1271010101200003", TODAY)
    assert not kk_valid("1271014501200003", TODAY)  # a KK has no +40 day


def test_npwp_against_stdnum() -> None:
    for value in ("013121660091000", "016090524017000"):
        assert npwp_valid(value) and stdnum_npwp.is_valid(value)
    assert not npwp_valid("013121661091000")  # check digit wrong
    assert npwp_valid("0013121660091000")  # 16 digits: 0 + old number
    assert npwp_valid("1271014508900001")  # 16 digits: the NIK itself


@pytest.mark.parametrize("value,ok", [
    ("198001012005011001", True),
    ("198001012005013001", False),  # sex 3
    ("198001012005011000", False),  # serial 000
    ("198002302005011001", False),  # 30 February
    ("198001011990011001", False),  # appointed at ten years old
    ("193001012005011001", False),  # born before 1940
    ("198001012099011001", False),  # appointed in the future
])
def test_nip(value: str, ok: bool) -> None:
    assert nip_valid(value, TODAY) is ok


def test_cards() -> None:
    assert luhn_ok("4539578763621486") and card_issuer("4539578763621486") == "visa"
    assert card_valid("5555555555554444") is False  # repeated-digit placeholder
    assert card_valid("5105105105105100")  # Mastercard test number
    assert card_valid("378282246310005")  # Amex
    assert not card_valid("4539578763621487")  # Luhn fails
    assert not card_valid("9539578763621486")  # no issuer starts with 9


@pytest.mark.parametrize("digits,normal", [
    ("081234567890", "081234567890"),
    ("6281234567890", "081234567890"),
    ("0812345678", "0812345678"),
    ("0612345678", None),  # Medan landline
    ("0801234567", None),  # 080 is no mobile prefix
    ("08123456", None),  # too short
    ("08123456789012", None),  # too long
])
def test_phone(digits: str, normal: str | None) -> None:
    assert phone_normal(digits) == normal


def test_mrz_check_digits() -> None:
    # ICAO 9303 specimen: L898902C3 check digit 6, birth 740812 check 2
    assert mrz_check("L898902C3", "6") and mrz_check("740812", "2")
    assert not mrz_check("L898902C3", "7")
    line = "X1234567<0IDN9001014M3001014<<<<<<<<<<<<<<04"
    line = _fix_mrz(line)
    assert mrz_line2_valid(line)
    assert not mrz_line2_valid(line[:9] + str((int(line[9]) + 1) % 10) + line[10:])


def _fix_mrz(line: str) -> str:
    """Recompute the check digits of a TD3 line 2 (test helper)."""
    def digit(field: str) -> str:
        return next(str(d) for d in range(10) if mrz_check(field, str(d)))
    chars = list(line)
    chars[9] = digit(line[0:9])
    chars[19] = digit(line[13:19])
    chars[27] = digit(line[21:27])
    fixed = "".join(chars)
    chars[43] = digit(fixed[0:10] + fixed[13:20] + fixed[21:43])
    return "".join(chars)


def test_where_we_differ_from_stdnum_nik() -> None:
    """stdnum reads the day modulo 40, so a day of 81 passes there; here it does not."""
    assert stdnum_nik.is_valid("1271018108900001")
    assert not nik_valid("1271018108900001", TODAY)
