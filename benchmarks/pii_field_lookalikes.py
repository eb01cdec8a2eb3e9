"""Hard negatives: numbers that government pages print next to personal data and that
look like identifiers but are not (payment references, registration and exam numbers,
timestamps, book and product codes, landlines, masked values, placeholder e-mails).

Part of the independent field corpus (benchmarks/pii_field_corpus.py); each function
returns the text as printed.
"""

from __future__ import annotations

import datetime as dt
import random

from pii_field_ids import date_between, digits, ean13_check_digit, luhn_check_digit

# Company / bank prefixes of Virtual Account numbers as payment pages print them.
VA_PREFIXES = ("8808", "988", "7007", "39358", "89508", "88810", "70012", "8277", "1410")
PLACEHOLDER_EMAILS = (
    "nama@email.com",
    "user@example.com",
    "email@example.com",
    "nama@domain.com",
    "contoh@email.com",
    "your.name@example.org",
    "username@email.com",
    "admin@example.com",
)
LANDLINE_AREAS = (
    "021",
    "061",
    "022",
    "031",
    "024",
    "0274",
    "0361",
    "0411",
    "0370",
    "0380",
    "0711",
    "0561",
    "0751",
    "0542",
)


def virtual_account(rng: random.Random) -> str:
    prefix = rng.choice(VA_PREFIXES)
    return prefix + digits(rng, 16 - len(prefix))


def kode_bayar(rng: random.Random) -> str:
    """DJP e-billing code (15 digits) or a regional retribution payment code (18)."""
    return digits(rng, 15) if rng.random() < 0.5 else "1271" + digits(rng, 14)


def nomor_tagihan(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"TAG/{rng.randint(2022, 2025)}/{rng.randint(1, 12):02d}/{rng.randint(1, 99999):05d}"
    return digits(rng, rng.choice((10, 12, 13, 15)))


def invoice(rng: random.Random) -> str:
    day = date_between(rng, 2022, 2025)
    form = rng.randrange(3)
    if form == 0:
        return f"INV/{day:%Y%m%d}/{rng.choice(('MPL', 'SPJ', 'LPSE'))}/{digits(rng, 9)}"
    if form == 1:
        return f"INV-{day.year}-{rng.randint(1, 999999):06d}"
    return f"{day:%Y%m%d}{digits(rng, rng.choice((4, 5, 6, 8)))}"


def order_number(rng: random.Random) -> str:
    day = date_between(rng, 2022, 2025)
    if rng.random() < 0.5:
        return f"ORD{day:%Y%m%d}{digits(rng, 6)}"
    return f"{day:%y%m%d}{digits(rng, rng.choice((6, 8, 10)))}"


def registration_number(rng: random.Random, area: str) -> str:
    """Region (6) + registration date YYMMDD + serial (4): shaped like a NIK, is not one."""
    day = date_between(rng, 2019, 2025)
    return f"{area}{day:%y%m%d}{rng.randint(1, 9999):04d}"


def exam_number_luhn(rng: random.Random) -> str:
    """A 16-digit exam participant number that starts like a card and passes Luhn."""
    head = rng.choice(("4", "51", "52", "53", "54", "55"))
    payload = head + digits(rng, 15 - len(head))
    return payload + luhn_check_digit(payload)


def timestamp(rng: random.Random, form: int | None = None) -> str:
    """0: 14 digits, 1: ISO date and time, 2: epoch seconds, 3: epoch milliseconds."""
    moment = dt.datetime.combine(
        date_between(rng, 2021, 2025),
        dt.time(rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)),
    )
    form = rng.randrange(4) if form is None else form
    if form == 0:
        return f"{moment:%Y%m%d%H%M%S}"
    if form == 1:
        return f"{moment:%Y-%m-%d %H:%M:%S}"
    epoch = int(moment.replace(tzinfo=dt.UTC).timestamp())
    return str(epoch) if form == 2 else str(epoch * 1000 + rng.randint(0, 999))


def isbn13(rng: random.Random, punctuated: bool) -> str:
    payload = "978602" + digits(rng, 6)
    value = payload + ean13_check_digit(payload)
    return (
        f"{value[:3]}-{value[3:6]}-{value[6:10]}-{value[10:12]}-{value[12]}"
        if punctuated
        else value
    )


def ean13(rng: random.Random) -> str:
    payload = "899" + digits(rng, 9)  # GS1 Indonesia
    return payload + ean13_check_digit(payload)


def landline(rng: random.Random) -> str:
    area = rng.choice(LANDLINE_AREAS)
    number = str(rng.randint(2, 8)) + digits(rng, 6 if len(area) == 3 else 5)
    form = rng.randrange(4)
    if form == 0:
        return f"({area}) {number}"
    if form == 1:
        return f"{area}-{number}"
    if form == 2:
        return f"+62 {area[1:]} {number}"
    return f"{area} {number[:3]} {number[3:]}"


def postcode(rng: random.Random) -> str:
    return f"{rng.randint(10, 99)}{rng.randint(100, 999)}"


def nop_pbb(rng: random.Random, area: str) -> str:
    """Land and building tax object number: 18 digits, printed punctuated."""
    raw = area[:4] + digits(rng, 14)
    return f"{raw[:2]}.{raw[2:4]}.{raw[4:7]}.{raw[7:10]}.{raw[10:13]}-{raw[13:17]}.{raw[17]}"


def npsn(rng: random.Random) -> str:
    return str(rng.choice((10, 20, 69, 70))) + digits(rng, 6)


def nomor_porsi(rng: random.Random) -> str:
    """Hajj queue number: 10 digits, the same length as a NISN."""
    return "0" + digits(rng, 9) if rng.random() < 0.3 else str(rng.randint(1, 3)) + digits(rng, 9)


def nib(rng: random.Random) -> str:
    """Business registration number (NIB): 13 digits, like a BPJS card number."""
    return digits(rng, 13)


# --- masked values: never contain the full identifier ------------------------------------
def mask_digits(value: str, rng: random.Random, mark: str | None = None) -> str:
    """Hide the middle of a number as published lists do (keep at most 6 + 4)."""
    mark = mark or rng.choice("*xX*#")
    keep_head = rng.choice((0, 2, 4, 6)) if len(value) >= 12 else rng.choice((0, 2, 4))
    keep_tail = rng.choice((2, 3, 4))
    hidden = len(value) - keep_head - keep_tail
    return value[:keep_head] + mark * hidden + value[len(value) - keep_tail :]


def mask_email(address: str) -> str:
    local, domain = address.split("@")
    return f"{local[0]}***{local[-1]}@{domain}"


def birthday_text(day: dt.date) -> str:
    return f"{day:%d-%m-%Y}"
