"""Indonesian identifiers, people and look-alikes, built from the published formats.

Written from the identifier specifications (Dukcapil's NIK layout, Perka BKN
22/2007 for NIP, PMK 112/2022 for the 16-digit NPWP, ICAO/imigrasi passport
numbers, operator prefix tables for mobiles) and from how government documents
print them, NOT from egov-audit's detector: this is the independent side of
the personal-data benchmark (benchmarks/pii_field_corpus.py uses it).

Every function takes the caller's ``random.Random`` so a corpus is a pure
function of its seed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

# Kemendagri province codes (38 provinces); NIKs are not re-issued when regions split.
PROVINCES = (
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    21,
    31,
    32,
    33,
    34,
    35,
    36,
    51,
    52,
    53,
    61,
    62,
    63,
    64,
    65,
    71,
    72,
    73,
    74,
    75,
    76,
    81,
    82,
    91,
    92,
    93,
    94,
    95,
    96,
)

# A few real regencies / cities (Kemendagri codes) with their names, so documents read
# like the places they come from; other regions are drawn from the code ranges.
PLACES = {
    "1271": "KOTA MEDAN",
    "1207": "KAB. DELI SERDANG",
    "1275": "KOTA BINJAI",
    "3273": "KOTA BANDUNG",
    "3203": "KAB. CIANJUR",
    "3509": "KAB. JEMBER",
    "3578": "KOTA SURABAYA",
    "3374": "KOTA SEMARANG",
    "7371": "KOTA MAKASSAR",
    "5171": "KOTA DENPASAR",
    "5371": "KOTA KUPANG",
    "5271": "KOTA MATARAM",
    "1671": "KOTA PALEMBANG",
    "6171": "KOTA PONTIANAK",
    "3174": "KOTA JAKARTA SELATAN",
    "3671": "KOTA TANGERANG",
    "1371": "KOTA PADANG",
    "9171": "KOTA JAYAPURA",
    "6471": "KOTA BALIKPAPAN",
    "3471": "KOTA YOGYAKARTA",
    "3502": "KAB. PONOROGO",
    "5103": "KAB. BADUNG",
    "5201": "KAB. LOMBOK BARAT",
    "5304": "KAB. TIMOR TENGAH SELATAN",
}

FIRST = (
    "BUDI",
    "SITI",
    "AGUS",
    "DEWI",
    "SRI",
    "AHMAD",
    "MUHAMMAD",
    "NUR",
    "RINA",
    "WAHYU",
    "EKO",
    "DIAN",
    "ANDI",
    "PUTRI",
    "RIZKI",
    "FITRI",
    "HENDRA",
    "YUSUF",
    "RATNA",
    "JOKO",
    "SUTRISNO",
    "BAMBANG",
    "LESTARI",
    "AYU",
    "INDAH",
    "FAJAR",
    "RAHMAT",
    "TAUFIK",
    "HASAN",
    "AISYAH",
    "NURUL",
    "DEDI",
    "ASEP",
    "UJANG",
    "EUIS",
    "MADE",
    "KETUT",
    "NYOMAN",
    "WAYAN",
    "PUTU",
    "SAMSUL",
    "MARLINA",
    "YOHANES",
    "MARIA",
    "ROSMAWATI",
    "TIURMA",
    "ABDUL",
    "IRWAN",
    "SUPRIADI",
    "YULIANTI",
    "FERDINAND",
    "LINDA",
    "SYAHRUL",
    "ZULKIFLI",
)
LAST = (
    "SANTOSO",
    "WIJAYA",
    "SAPUTRA",
    "HIDAYAT",
    "LESTARI",
    "SIREGAR",
    "NASUTION",
    "LUBIS",
    "HARAHAP",
    "SIMANJUNTAK",
    "SIHOMBING",
    "GINTING",
    "TARIGAN",
    "SEMBIRING",
    "PRATAMA",
    "KUSUMA",
    "SETIAWAN",
    "GUNAWAN",
    "RAHAYU",
    "SUSANTI",
    "PURBA",
    "MANURUNG",
    "SITUMORANG",
    "HUTAPEA",
    "DAULAY",
    "BATUBARA",
    "POHAN",
    "RITONGA",
    "WIBOWO",
    "NUGROHO",
    "HALIM",
    "SUHARTO",
    "MULYADI",
    "PANJAITAN",
    "",
    "",
    "",
)
STREETS = (
    "JL. MERDEKA",
    "JL. SUDIRMAN",
    "JL. GATOT SUBROTO",
    "GG. MAWAR",
    "JL. SISINGAMANGARAJA",
    "KP. CIBODAS",
    "DUSUN KRAJAN",
    "JL. PELITA",
    "JL. AMALIYAH",
    "LK. III",
)

# Mobile operator prefixes (after the leading 0): Telkomsel, Indosat, XL/Axis, Tri, Smartfren.
MOBILE_PREFIXES = (
    "811",
    "812",
    "813",
    "821",
    "822",
    "823",
    "851",
    "852",
    "853",
    "814",
    "815",
    "816",
    "855",
    "856",
    "857",
    "858",
    "817",
    "818",
    "819",
    "859",
    "877",
    "878",
    "831",
    "832",
    "833",
    "838",
    "895",
    "896",
    "897",
    "898",
    "899",
    "881",
    "882",
    "883",
    "887",
    "888",
    "889",
)
MAIL_DOMAINS = (
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "yahoo.com",
    "yahoo.co.id",
    "ymail.com",
    "outlook.com",
    "hotmail.com",
    "rocketmail.com",
)

# Account lengths per bank (community knowledge, see the reference notes §4.9) and how
# statements and lists print them: groups of digits joined by '-' (None = plain digits).
BANKS: dict[str, tuple[int, tuple[int, ...] | None]] = {
    "BRI": (15, (4, 2, 6, 2, 1)),
    "BNI": (10, None),
    "BCA": (10, (3, 3, 4)),
    "MANDIRI": (13, (3, 2, 7, 1)),
    "BSI": (10, None),
    "CIMB NIAGA": (13, None),
}


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass the Luhn test."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    return luhn_check_digit(number[:-1]) == number[-1]


def ean13_check_digit(payload: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(payload))
    return str((10 - total % 10) % 10)


def group(value: str, sizes: tuple[int, ...], sep: str = "-") -> str:
    out, i = [], 0
    for n in sizes:
        out.append(value[i : i + n])
        i += n
    if i < len(value):
        out.append(value[i:])
    return sep.join(out)


def region(rng: random.Random) -> str:
    """Six-digit province + regency/city + district code."""
    if rng.random() < 0.6:
        base = rng.choice(sorted(PLACES))
    else:
        regency = rng.randint(1, 26) if rng.random() < 0.7 else rng.randint(71, 79)
        base = f"{rng.choice(PROVINCES)}{regency:02d}"
    return f"{base}{rng.randint(1, 30):02d}"


def date_between(rng: random.Random, first: int, last: int) -> dt.date:
    start = dt.date(first, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(last, 12, 31).toordinal()))


@dataclass(frozen=True)
class Person:
    name: str
    female: bool
    born: dt.date
    birthplace: str
    nik: str
    kk: str


def nik(rng: random.Random, area: str, born: dt.date, female: bool) -> str:
    """NIK = area (6) + DDMMYY of birth, day + 40 for women + serial 0001-9999."""
    day = born.day + 40 if female else born.day
    serial = rng.randint(1, 9999) if rng.random() < 0.3 else rng.randint(1, 40)
    return f"{area}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def kk(rng: random.Random, area: str) -> str:
    """No. KK = area (6) + DDMMYY the card was issued (no +40) + family serial."""
    issued = date_between(rng, 2005, 2024)
    serial = rng.randint(1, 9999) if rng.random() < 0.3 else rng.randint(1, 60)
    return f"{area}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}{serial:04d}"


def person(
    rng: random.Random,
    area: str | None = None,
    born_from: int = 1945,
    born_to: int = 2006,
    family: str | None = None,
) -> Person:
    area = area or region(rng)
    female = rng.random() < 0.5
    born = date_between(rng, born_from, born_to)
    last = rng.choice(LAST)
    name = (
        f"{rng.choice(FIRST)} {rng.choice(FIRST)} {last}"
        if rng.random() < 0.3
        else f"{rng.choice(FIRST)} {last}"
    )
    place = PLACES.get(area[:4], "MEDAN").split(" ", 1)[-1].replace("KOTA ", "")
    return Person(
        name.strip(), female, born, place, nik(rng, area, born, female), family or kk(rng, area)
    )


def nip(rng: random.Random) -> str:
    """NIP = birth YYYYMMDD + appointment (TMT CPNS) YYYYMM + sex 1/2 + serial."""
    born = date_between(rng, 1964, 2000)
    year = rng.randint(born.year + 19, min(born.year + 35, 2024))
    month = rng.choice((1, 1, 3, 3, 12, rng.randint(1, 12)))
    serial = rng.choice((1, 1, 1, 2, 3, rng.randint(1, 20)))
    return f"{born:%Y%m%d}{year}{month:02d}{rng.choice('12')}{serial:03d}"


def nisn(rng: random.Random, born_year: int) -> str:
    """NISN: 10 digits, opaque; the first three usually echo the birth year (2008 -> 008)."""
    return f"{born_year % 1000:03d}{digits(rng, 7)}"


def bpjs(rng: random.Random) -> str:
    """No. Kartu JKN/KIS: 13 digits, most issued numbers start with 000."""
    return ("000" + digits(rng, 10)) if rng.random() < 0.85 else ("0" + digits(rng, 12))


def passport(rng: random.Random) -> str:
    """Indonesian passport: one letter (A, B, C, E, X…) + 7 digits."""
    return rng.choice("ABCCCEX") + digits(rng, 7)


def mobile(rng: random.Random) -> str:
    """National form, 10-13 digits: 08 + operator digits + subscriber number."""
    length = rng.choice((10, 11, 11, 12, 12, 12, 12, 13, 13))
    return "0" + rng.choice(MOBILE_PREFIXES) + digits(rng, length - 4)


def npwp15(rng: random.Random) -> str:
    """Old NPWP: type (2) + serial (6) + Luhn check digit over those 8 + KPP (3) + status (3)."""
    kind = rng.choice((1, 2, 3, 5, 6, 7, 8, 9, 15, 24, 31, 44, 49, 54, 66, 70, 75, 80, 84, 92))
    head = f"{kind:02d}"
    head += digits(rng, 6)
    status = "000" if rng.random() < 0.85 else f"{rng.randint(1, 3):03d}"
    return head + luhn_check_digit(head) + f"{rng.randint(101, 999)}" + status


def npwp15_formatted(value: str) -> str:
    return f"{value[:2]}.{value[2:5]}.{value[5:8]}.{value[8]}-{value[9:12]}.{value[12:]}"


def bank_account(rng: random.Random, bank: str) -> str:
    length, _ = BANKS[bank]
    first = {"BNI": "0", "BSI": "7", "MANDIRI": "1", "BRI": "0"}.get(bank, str(rng.randint(1, 9)))
    return first + digits(rng, length - 1)


def bank_account_printed(rng: random.Random, bank: str, value: str) -> str:
    grouping = BANKS[bank][1]
    return group(value, grouping) if grouping and rng.random() < 0.6 else value


def email(rng: random.Random, name: str) -> str:
    parts = [p.lower() for p in name.split()]
    style = rng.randrange(4)
    if style == 0:
        local = ".".join(parts[:2])
    elif style == 1:
        local = parts[0] + str(rng.randint(1, 99))
    elif style == 2:
        local = f"{parts[0]}_{parts[-1]}{rng.randint(70, 99)}"
    else:
        local = parts[-1] + parts[0][:3] + str(rng.randint(1, 2024))
    return f"{local}@{rng.choice(MAIL_DOMAINS)}"


# --- how a mobile number is printed --------------------------------------------------------
def phone_printed(rng: random.Random, national: str, style: str | None = None) -> str:
    """``national`` (08…) in one of the forms people and forms actually use."""
    sub = national[1:]  # 8xx… without the trunk 0
    styles = (
        "plain",
        "dash",
        "space",
        "spaced_dash",
        "dots",
        "intl",
        "intl_dash",
        "bare62",
        "paren62",
        "intl_hyphen",
    )
    style = style or rng.choice(styles)
    rest = sub[3:]
    head4 = rest[:4]
    tail = rest[4:]
    if style == "plain":
        return national
    if style == "dash":
        return f"0{sub[:3]}-{head4}-{tail}"
    if style == "space":
        return f"0{sub[:3]} {head4} {tail}"
    if style == "spaced_dash":
        return f"0{sub[:3]} - {head4} - {tail}"
    if style == "dots":
        return f"0{sub[:3]}.{head4}.{tail}"
    if style == "intl":
        return "+62" + sub
    if style == "intl_dash":
        return f"+62 {sub[:3]}-{head4}-{tail}"
    if style == "bare62":
        return "62" + sub
    if style == "paren62":
        return f"(+62) {sub[:3]}-{head4}-{tail}"
    return f"+62-{sub[:3]}-{head4}-{tail}"


def email_obfuscated(rng: random.Random, address: str) -> str:
    local, domain = address.split("@")
    form = rng.randrange(4)
    if form == 0:
        return f"{local}[at]{domain}"
    if form == 1:
        return f"{local} [at] {domain.replace('.', ' [dot] ')}"
    if form == 2:
        return f"{local}(at){domain}"
    return f"{local}&#64;{domain}"
