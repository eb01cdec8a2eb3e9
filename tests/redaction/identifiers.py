"""Identifiers written from their specifications, independent of the redactor's patterns.

Every value here is built from the published layout of the identifier (see
docs/personal-data.md): NIK = province, regency, district, DDMMYY birth date
(women: day + 40), serial; No. KK = region, issue date, serial; NPWP = type,
serial, Luhn check digit, tax office, branch; NIP = birth date, appointment
month, sex, serial; mobile numbers = 08 or +62 8, operator, subscriber. They
are random and belong to nobody. The redactor's code is never consulted, so a
gap in its patterns shows up as a failing test rather than being copied here.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import string
from dataclasses import dataclass

_PROVINCES = ("11", "12", "13", "14", "16", "31", "32", "33", "34", "35", "36", "51", "52", "53",
              "61", "63", "64", "71", "73", "74", "81", "91", "94")


@dataclass(frozen=True)
class Planted:
    kind: str
    value: str  # canonical, unformatted
    digits: bool  # whether separators may be inserted between its digit groups


def _date(rng: random.Random, first: int, last: int) -> dt.date:
    start = dt.date(first, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(last, 12, 31) - start).days))


def _region(rng: random.Random) -> str:
    regency = rng.choice((rng.randint(1, 29), rng.randint(71, 79)))
    return f"{rng.choice(_PROVINCES)}{regency:02d}{rng.randint(1, 40):02d}"


def _serial(rng: random.Random, width: int) -> str:
    # No repeated-digit serials: a value like 1111 is a template, not a person.
    while True:
        value = f"{rng.randint(1, 10 ** width - 1):0{width}d}"
        if len(set(value)) > 1:
            return value


def nik(rng: random.Random) -> str:
    born = _date(rng, 1950, 2015)
    day = born.day + (40 if rng.random() < 0.5 else 0)
    return f"{_region(rng)}{day:02d}{born.month:02d}{born.year % 100:02d}{_serial(rng, 4)}"


def kk(rng: random.Random) -> str:
    issued = _date(rng, 1995, 2023)
    date = f"{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}"
    return f"{_region(rng)}{date}{_serial(rng, 4)}"


def _luhn_digit(body: str) -> str:
    for check in "0123456789":
        number = body + check
        total = 0
        for i, ch in enumerate(reversed(number)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return check
    raise AssertionError("unreachable")


def npwp(rng: random.Random) -> str:
    body = rng.choice(("01", "02", "07", "08", "09")) + _serial(rng, 6)
    return body + _luhn_digit(body) + _serial(rng, 3) + "000"


def nip(rng: random.Random) -> str:
    born = _date(rng, 1962, 1998)
    year = born.year + rng.randint(20, 26)
    return f"{born:%Y%m%d}{year:04d}{rng.randint(1, 12):02d}{rng.choice('12')}{_serial(rng, 3)}"


def phone(rng: random.Random) -> str:
    operator = rng.choice(("11", "12", "13", "21", "22", "52", "53", "57", "58", "77", "78",
                           "95", "96"))
    return "08" + operator + "".join(rng.choice(string.digits) for _ in range(rng.choice((7, 8))))


def card(rng: random.Random) -> str:
    body = "4" + "".join(rng.choice(string.digits) for _ in range(14))
    return body + _luhn_digit(body)


def email_local(rng: random.Random) -> str:
    first = rng.choice(("budi", "siti", "andi", "dewi", "rina", "agus", "maya", "joko"))
    middle = "".join(rng.choice(string.ascii_lowercase) for _ in range(5))
    return f"{first}.{middle}{rng.randint(10, 99)}"


def aws_key(rng: random.Random) -> str:
    return "AKIA" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16))


def password(rng: random.Random) -> str:
    return "Pw" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(12))


def jwt(rng: random.Random) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    signature = "".join(rng.choice(string.ascii_letters + string.digits + "-_") for _ in range(43))
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': str(rng.randint(1, 10**9))})}" \
        f".{signature}"


DIGIT_KINDS = {"nik": nik, "kk": kk, "npwp": npwp, "nip": nip, "phone": phone, "card": card}
TEXT_KINDS = {"email": email_local, "aws": aws_key, "password": password, "jwt": jwt}


def plant_all(rng: random.Random) -> list[Planted]:
    """One of every kind."""
    return ([Planted(k, f(rng), True) for k, f in DIGIT_KINDS.items()]
            + [Planted(k, f(rng), False) for k, f in TEXT_KINDS.items()])
