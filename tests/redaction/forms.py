"""How a server may write a planted identifier, and how a reader finds it again.

``written`` formats a value with the separators people use (spaces, dots,
dashes, parentheses and +62 for phones; the NPWP print form); ``encode`` wraps
it in one of the encodings a hostile server can choose; ``leaks`` undoes every
encoding in an output and looks for the planted values, digits compared with
separators removed. None of this uses the redactor's code.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Iterable
from urllib.parse import unquote_plus

from .identifiers import Planted

ENCODINGS = ("raw", "percent", "plus", "double_percent", "entities", "json_escape", "mixed")
_DOMAINS = ("surel-warga.invalid", "mail.kota.invalid", "data.example.net")


def _groups(value: str, sizes: Iterable[int]) -> list[str]:
    out, pos = [], 0
    for size in sizes:
        out.append(value[pos:pos + size])
        pos += size
    if pos < len(value):
        out.append(value[pos:])
    return [g for g in out if g]


def written(item: Planted, rng: random.Random) -> str:
    """The value as it might appear in a page, a header or a URL."""
    v = item.value
    if item.kind == "email":
        return f"{v}@{rng.choice(_DOMAINS)}"
    if item.kind == "password":
        return rng.choice(("password=", "db_pass: ", "PASSWORD = ", "app_secret=")) + v
    if item.kind == "aws":
        return rng.choice(("", "aws_access_key_id=", "key ")) + v
    if not item.digits:
        return v
    sep = rng.choice(("", " ", ".", "-"))
    if item.kind == "phone":
        local = v[1:]  # 8xx…
        style = rng.randrange(6)
        if style == 0:
            return sep.join(_groups(v, (4, 4)))
        if style == 1:
            return f"({v[:4]}) {v[4:8]}-{v[8:]}"
        if style == 2:
            return "+62" + sep + sep.join(_groups(local, (3, 4)))
        if style == 3:
            return f"+62 ({local[:3]}) {local[3:7]}{sep}{local[7:]}"
        if style == 4:
            return "62" + sep + sep.join(_groups(local, (3, 4)))
        return ".".join(_groups(v, (4, 4)))
    if item.kind == "npwp" and rng.random() < 0.5:
        return f"{v[:2]}.{v[2:5]}.{v[5:8]}.{v[8]}-{v[9:12]}.{v[12:]}"
    if item.kind == "nip":
        return sep.join(_groups(v, (8, 6, 1)))
    return sep.join(_groups(v, (4, 4, 4)))


def encode(text: str, encoding: str, rng: random.Random) -> str:
    if encoding == "raw":
        return text
    if encoding == "percent":
        return "".join(f"%{ord(c):02X}" for c in text)
    if encoding == "plus":
        if text.isdigit():  # 3201+0155+0690+0001
            return "+".join(text[i:i + 4] for i in range(0, len(text), 4))
        return text.replace(" ", "+")
    if encoding == "double_percent":
        return "".join(f"%25{ord(c):02X}" for c in text)
    if encoding == "entities":
        return "".join(rng.choice((f"&#{ord(c)};", f"&#x{ord(c):x};")) for c in text)
    if encoding == "json_escape":
        return "".join(f"\\u{ord(c):04x}" for c in text)
    if encoding == "mixed":
        return "".join(rng.choice((c, f"%{ord(c):02X}", f"&#{ord(c)};")) for c in text)
    raise ValueError(encoding)


def needles(item: Planted) -> list[str]:
    """What must never appear: the digits of a number (a phone also without its 0),
    the local part of an address, the key, password or token."""
    if item.kind == "phone":
        return [item.value, item.value[1:]]
    if item.kind == "jwt":
        return [item.value.rsplit(".", 1)[1]]  # the signature is the secret part
    return [item.value]


_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_JOINED = re.compile(r"(?<=[0-9])[ .\-+()/]{1,3}(?=[0-9])")


def readings(text: str) -> list[str]:
    """``text`` and every decoding a reader might apply, repeated, with the digit
    separators removed: percent and plus, HTML references, JSON escapes."""
    seen = [text]
    current = text
    for _ in range(4):
        current = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), current)
        current = html.unescape(unquote_plus(current.replace("\\/", "/")))
        if current in seen:
            break
        seen.append(current)
    return seen + [_JOINED.sub("", s) for s in seen]


def leaks(text: str, planted: Iterable[Planted]) -> list[str]:
    found = []
    views = readings(text)
    for item in planted:
        for needle in needles(item):
            if any(needle in v for v in views):
                found.append(f"{item.kind}:{needle}")
    return found
