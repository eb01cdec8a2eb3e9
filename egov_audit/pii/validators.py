"""Structural validation of Indonesian identifiers, payment cards and MRZ lines.

Only the old 15-digit NPWP, payment cards and the passport MRZ carry check
digits; every other identifier is validated by structure (region codes, an
embedded date that must exist and not lie in the future, non-zero serials).
These functions take plain digit strings and are written for speed: the
detector calls them for every candidate in multi-megabyte documents.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from .lexicon import lexicon
from .patterns import luhn_ok

_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _real_date(year: int, month: int, day: int) -> bool:
    if not (1 <= month <= 12 and 1 <= day <= _DAYS[month - 1]):
        return False
    if month == 2 and day == 29:
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return True


def birth_date(digits6: str, today: dt.date | None = None) -> dt.date | None:
    """The ``DDMMYY`` (women: day + 40) birth date of a NIK, or None.

    The century is not encoded: the date is accepted when it exists and is not
    in the future in the 1900s or the 2000s (29 Feb 00 exists only in 2000).
    """
    day, month, yy = int(digits6[0:2]), int(digits6[2:4]), int(digits6[4:6])
    if 41 <= day <= 71:
        day -= 40
    elif not 1 <= day <= 31:
        return None
    today = today or dt.date.today()
    for year in (2000 + yy, 1900 + yy):
        if _real_date(year, month, day):
            born = dt.date(year, month, day)
            if born <= today:
                return born
    return None


_ASCENDING = "0123456789" * 3
_DESCENDING = "9876543210" * 3


def is_placeholder(digits: str) -> bool:
    """Template values: documented examples, one or two repeated digits, and runs
    like 1234567890123456 or 9876543210…."""
    rest = digits.replace(digits[:1], "")
    return (not rest or not rest.replace(rest[0], "")  # one or two distinct digits
            or digits in _ASCENDING or digits in _DESCENDING
            or digits in lexicon().placeholders)


# Day-month pairs that exist in every year, for men (DD) and women (DD + 40); 29 February
# exists when YY is divisible by four (read as 19YY or 20YY, whichever has passed).
_DAYS_COMMON = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DDMM = frozenset(f"{d + offset:02d}{m:02d}" for m in range(1, 13)
                  for d in range(1, _DAYS_COMMON[m - 1] + 1) for offset in (0, 40))
_LEAP_DAY = frozenset({"2902", "6902"})
_LEAP_DAY_KK = frozenset({"2902"})
_DDMM_KK = frozenset(x for x in _DDMM if int(x[:2]) <= 31)


@cache
def _regions() -> tuple[frozenset[str], frozenset[str]]:
    lex = lexicon()
    return lex.provinces, frozenset(f"{r:02d}" for r in lex.regencies)


def _structure(d: str, ddmm_set: frozenset[str], leap_days: frozenset[str]) -> bool:
    """Shared NIK/KK layout checks, written as set lookups: this runs per candidate.

    Equivalent to :func:`birth_date` being not None (a property test holds it
    to that): a date that exists in the 1900s has passed, so "not in the
    future" never rejects a valid DDMMYY; it only decides the century."""
    provinces, regencies = _regions()
    if (len(d) != 16 or d[:2] not in provinces or d[2:4] not in regencies
            or d[4:6] == "00" or d[12:] == "0000"):
        return False
    ddmm = d[6:10]
    if ddmm not in ddmm_set and (ddmm not in leap_days or int(d[10:12]) % 4):
        return False
    return not is_placeholder(d)


def nik_valid(d: str, today: dt.date | None = None) -> bool:
    """``PP KK CC DDMMYY SSSS``: province, regency (kota 71-79), district,
    birth date (women +40), serial ≠ 0000.

    ``today`` is accepted for symmetry with :func:`birth_date`; see
    :func:`_structure` for why the result does not depend on it."""
    return _structure(d, _DDMM, _LEAP_DAY)


def kk_valid(d: str, today: dt.date | None = None) -> bool:
    """No. KK: region code, issue date ``DDMMYY`` (no +40), family serial."""
    return _structure(d, _DDMM_KK, _LEAP_DAY_KK)


def nip_valid(d: str, today: dt.date | None = None) -> bool:
    """NIP/NI PPPK: ``YYYYMMDD`` birth, ``YYYYMM`` appointment, sex 1|2, serial ≠ 000."""
    if len(d) != 18 or d[14] not in "12" or d[15:] == "000":
        return False
    lex = lexicon()
    today = today or dt.date.today()
    by, bm, bd = int(d[0:4]), int(d[4:6]), int(d[6:8])
    ty, tm = int(d[8:12]), int(d[12:14])
    if not (lex.nip_min_birth_year <= by and _real_date(by, bm, bd)):
        return False
    if dt.date(by, bm, bd) > today or not 1 <= tm <= 12:
        return False
    appointed = ty * 12 + tm
    return (by + lex.nip_min_age) * 12 + bm <= appointed <= today.year * 12 + today.month


def card_issuer(d: str) -> str | None:
    """The card scheme a number's prefix and length belong to, if any."""
    n = len(d)
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    p2, p4 = int(d[:2]), int(d[:4])
    if n == 16 and (51 <= p2 <= 55 or 2221 <= p4 <= 2720):
        return "mastercard"
    if n == 15 and p2 in (34, 37):
        return "amex"
    if 16 <= n <= 19 and 3528 <= p4 <= 3589:
        return "jcb"
    if 16 <= n <= 19 and (p4 == 6011 or p2 == 65 or 644 <= int(d[:3]) <= 649):
        return "discover"
    if 16 <= n <= 19 and p2 == 62:
        return "unionpay"
    return None


def card_valid(d: str) -> bool:
    return 13 <= len(d) <= 19 and card_issuer(d) is not None and luhn_ok(d) \
        and not is_placeholder(d)


def npwp_valid(d: str) -> bool:
    """Old 15-digit NPWP (Luhn check digit) or the 16-digit form (NIK, or ``0`` + old).

    Delegates to python-stdnum, which implements exactly these rules.
    """
    from stdnum.id import npwp

    if len(d) == 16 and d[0] != "0":
        return nik_valid(d)
    return bool(npwp.is_valid(d)) and not is_placeholder(d)


def phone_normal(d: str) -> str | None:
    """An Indonesian mobile number as ``08…`` (10-13 digits), or None."""
    if d.startswith("62"):
        d = "0" + d[2:]
    if d.startswith("08") and d[2] != "0" and 10 <= len(d) <= 13 and not is_placeholder(d[1:]):
        return d
    return None


_MRZ_VALUES = {**{str(i): i for i in range(10)}, "<": 0,
               **{chr(c): c - 55 for c in range(ord("A"), ord("Z") + 1)}}


def mrz_check(field: str, digit: str) -> bool:
    """ICAO 9303 check digit: weights 7-3-1, A-Z = 10-35, ``<`` = 0."""
    if not digit.isdigit():
        return False
    weights = (7, 3, 1)
    total = sum(_MRZ_VALUES.get(ch, -100) * weights[i % 3] for i, ch in enumerate(field))
    return total >= 0 and total % 10 == int(digit)


def mrz_line2_valid(line: str) -> bool:
    """TD3 line 2 (44 chars): number, nationality, birth date, sex, expiry, checks."""
    if len(line) != 44:
        return False
    number, nat, born, expiry = line[0:9], line[10:13], line[13:19], line[21:27]
    composite = line[0:10] + line[13:20] + line[21:43]
    return (
        nat == "IDN"
        and mrz_check(number, line[9])
        and mrz_check(born, line[19])
        and mrz_check(expiry, line[27])
        and mrz_check(composite, line[43])
    )
