"""Redactor benchmark: throughput on a typical page and growth on adversarial inputs.

Usage:  python benchmarks/redaction_bench.py [--mb 1]

A 1 MB page of mixed text (prose, URLs with query strings, configuration
lines, tables of numbers, a few identifiers, percent-encoded parts) is
redacted as one evidence string; the adversarial inputs are the shapes that
made the 0.1 patterns backtrack (``a-a-a-…``, ``eyJ-eyJ-…``, long word runs
without ``@``), each timed at n and 4n characters. Nothing touches the network.
"""

from __future__ import annotations

import argparse
import random
import time

from egov_audit.redaction import Redactor

_PROSE = ("Layanan kependudukan Kota Medan melayani permohonan KTP-el dan kartu keluarga. "
          "Status 200 at 2026-11-29 10:15:00, port 8443, version nginx/1.18.0. ")


def typical_page(size: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        roll = rng.random()
        if roll < 0.55:
            piece = _PROSE
        elif roll < 0.70:
            piece = (f"<a href=\"/berita/{rng.randint(1, 9999)}?page={rng.randint(1, 50)}"
                     f"&q=pajak%20daerah+{rng.randint(1, 99)}\">Berita</a> ")
        elif roll < 0.80:
            piece = f"<td>{rng.randint(1, 10**6)}</td><td>Rp {rng.randint(1, 10**9):,}</td> "
        elif roll < 0.88:
            piece = f"DB_HOST=db{rng.randint(1, 9)}.internal.invalid DB_PORT=5432 APP_DEBUG=false\n"
        elif roll < 0.94:
            piece = f"hubungi 0812-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)} "
        else:
            piece = f"NIK 3171{rng.randint(10**11, 10**12 - 1)} "
        parts.append(piece)
        total += len(piece)
    return "".join(parts)[:size]


ADVERSARIAL = {
    "dash-words": "a-",
    "jwt-prefixes": "eyJ-",
    "word-run": "a",
    "at-signs": "a@",
    "percent-runs": "%3",
    "digit-groups": "1 ",
    "private-key": "-----BEGIN A",
    "url-userinfo": "://a:",
    "entities": "&#5",
}


def _time(redactor: Redactor, text: str) -> float:
    start = time.perf_counter()
    redactor.redact_text(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--adversarial", type=int, default=16_384, help="n in characters")
    args = parser.parse_args()
    redactor = Redactor(b"benchmark-salt")
    page = typical_page(int(args.mb * 1_000_000))
    redactor.redact_text(page[:10_000])  # warm caches and lazy imports
    seconds = _time(redactor, page)
    print(f"typical page: {len(page) / 1e6:.2f} MB in {seconds:.2f} s = "
          f"{len(page) / 1e6 / seconds:.2f} MB/s")
    n = args.adversarial
    for name, unit in ADVERSARIAL.items():
        small = _time(redactor, unit * (n // len(unit)))
        large = _time(redactor, unit * (4 * n // len(unit)))
        print(f"{name:14} n={n}: {small * 1000:8.1f} ms  4n: {large * 1000:8.1f} ms  "
              f"ratio {large / max(small, 1e-6):5.1f}")


if __name__ == "__main__":
    main()
