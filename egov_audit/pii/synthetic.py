"""Synthetic, structurally valid identifiers for the demo, tests and benchmark.

Every value is generated from a seeded random source: it passes the same
validation a real one does, but belongs to nobody. Never use real data in
fixtures.
"""

from __future__ import annotations

import datetime as dt
import random

from .patterns import luhn_ok
from .validators import card_issuer, is_placeholder, kk_valid, nik_valid, nip_valid

PROVINCES = ("11", "12", "13", "31", "32", "33", "34", "35", "36", "51", "52", "53", "61",
             "64", "71", "73", "81", "91", "94", "96")


class Synthetic:
    def __init__(self, seed: int = 2024) -> None:
        self.rng = random.Random(seed)

    def _date(self, start: int = 1950, end: int = 2015) -> dt.date:
        base = dt.date(start, 1, 1)
        return base + dt.timedelta(days=self.rng.randrange((dt.date(end, 12, 31) - base).days))

    def _region(self) -> str:
        r = self.rng
        regency = r.choice([r.randint(1, 29), r.randint(71, 79)])
        return f"{r.choice(PROVINCES)}{regency:02d}{r.randint(1, 40):02d}"

    def nik(self, female: bool | None = None) -> str:
        while True:
            born = self._date()
            female = self.rng.random() < 0.5 if female is None else female
            day = born.day + (40 if female else 0)
            value = (f"{self._region()}{day:02d}{born.month:02d}{born.year % 100:02d}"
                     f"{self.rng.randint(1, 9999):04d}")
            if nik_valid(value):
                return value

    def kk(self) -> str:
        while True:
            issued = self._date(1995, 2023)
            value = (f"{self._region()}{issued.day:02d}{issued.month:02d}"
                     f"{issued.year % 100:02d}{self.rng.randint(1, 9999):04d}")
            if kk_valid(value):
                return value

    def npwp15(self, formatted: bool = True) -> str:
        while True:
            kind = self.rng.choice(["01", "02", "07", "08", "09"])
            body = f"{kind}{self.rng.randint(0, 999999):06d}"
            check = next(str(c) for c in range(10) if luhn_ok(body + str(c)))
            digits = f"{body}{check}{self.rng.randint(1, 999):03d}000"
            if not is_placeholder(digits):
                break
        if not formatted:
            return digits
        return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}.{digits[8]}-{digits[9:12]}.{digits[12:]}"

    def nip(self) -> str:
        while True:
            born = self._date(1960, 1998)
            year = born.year + self.rng.randint(20, 30)
            value = (f"{born:%Y%m%d}{year:04d}{self.rng.randint(1, 12):02d}"
                     f"{self.rng.choice('12')}{self.rng.randint(1, 9):03d}")
            if nip_valid(value):
                return value

    def phone(self) -> str:
        prefix = self.rng.choice(["0811", "0812", "0813", "0821", "0852", "0857", "0878", "0896"])
        return prefix + "".join(str(self.rng.randint(0, 9)) for _ in range(self.rng.choice([7, 8])))

    def card(self) -> str:
        while True:
            body = "4" + "".join(str(self.rng.randint(0, 9)) for _ in range(14))
            value = body + next(str(c) for c in range(10) if luhn_ok(body + str(c)))
            if card_issuer(value) and not nik_valid(value) and not is_placeholder(value):
                return value

    def digits(self, n: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(
            str(self.rng.randint(0, 9)) for _ in range(n - 1))

    def email(self, name: str) -> str:
        # example.net is reserved for documentation (RFC 2606); a subdomain keeps it from
        # looking like a documentation sample to the detector.
        return f"{name.lower().replace(' ', '.')}{self.rng.randint(1, 99)}@warga.example.net"

    NAMES = ("Budi Santoso", "Siti Aminah", "Andi Wijaya", "Dewi Lestari", "Rudi Hartono",
             "Rina Marpaung", "Agus Siregar", "Maya Nasution", "Joko Susilo", "Fitri Lubis")

    def name(self) -> str:
        return self.rng.choice(self.NAMES)
