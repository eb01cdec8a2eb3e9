"""Every piece of evidence passes through here before it enters a finding.

A data-protection tool must not make a second copy of the personal data it
finds. Values a check *knows* are sensitive are masked precisely; on top of
that a pattern safety net masks anything that looks like an Indonesian
identifier (NIK, KK, NPWP, NIP), a payment card, a mobile number, an e-mail
local part, a secret key or a password, whether or not a check flagged it.
Over-masking a timestamp in evidence is a small price; leaking a NIK is not.

Each masked value is kept as a salted HMAC so findings still de-duplicate
across runs of the same installation without the value being recoverable.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .check import Sensitive
from .model import Evidence, Redaction

SALT_ENV = "EGOV_AUDIT_SALT"


def mask(kind: str, value: str) -> str:
    """The masked display form of ``value``: enough to recognise, never to reuse."""
    if kind in {"password"}:
        return "********"
    if kind == "email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if kind in {"secret", "private_key", "jwt", "url_password"}:
        return value[:4] + "*" * 12 if len(value) > 8 else "*" * 8
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        prefix = "+" if value.startswith("+") else ""
        if len(digits) <= 8:
            return prefix + "*" * len(digits)
        return prefix + digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
    if kind in {"passport", "nisn", "bpjs", "account"}:
        # Short identifiers: the default below would keep six of ten characters.
        return "*" * (len(value) - 2) + value[-2:] if len(value) > 4 else "*" * len(value)
    # Identifier-like numbers: keep the region code (first four) and last two.
    digits = re.sub(r"\D", "", value) or value
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 6) + digits[-2:]


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# Order matters: the first pattern to claim a span wins.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "private_key",
        re.compile(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)",
            re.S,
        ),
    ),
    ("url_password", re.compile(r"(?<=://)[^/\s:@]+:([^/\s@]+)(?=@)")),
    (
        "password",
        re.compile(
            r"(?i)\b[\w.-]*(?:password|passwd|pwd|pass|secret|token|api[_-]?key|app_key|"
            r"access[_-]?key|private[_-]?key|auth|sess)[\w.-]*[\"']?\s*(?:=|:|=>)\s*[\"']?"
            r"([^\s\"'&;,<>)}\]]{3,})"
        ),
    ),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+")),
    ("secret", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("secret", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("secret", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("secret", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b")),
    ("secret", re.compile(r"\b\d{8,10}:[A-Za-z0-9_-]{35}\b")),  # Telegram bot token
    ("npwp", re.compile(r"\b\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}\b")),
    ("email", re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")),
    ("phone", re.compile(r"(?<![\d*])(?:\+62|62|0)[\s-]?8[1-9](?:[\s-]?\d){6,10}(?![\d*])")),
    # 15-20 digits, possibly grouped: NIK, KK, NPWP-16, NIP, most cards.
    ("identifier", re.compile(r"(?<![\d*])\d(?:[ .-]?\d){14,19}(?![\d*])")),
    # 12-14 and 19 digit runs only when Luhn-valid (cards); timestamps stay.
    ("card", re.compile(r"(?<![\d*])\d(?:[ -]?\d){11,18}(?![\d*])")),
)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str
    value: str


class Redactor:
    """Masks sensitive values and records their salted hashes."""

    def __init__(self, salt: bytes) -> None:
        if not salt:
            raise ValueError("a redaction salt must not be empty")
        self._salt = salt

    def hash(self, kind: str, value: str) -> str:
        canonical = value.strip()
        if kind in {"nik", "kk", "npwp", "nip", "identifier", "card", "phone"}:
            canonical = re.sub(r"\D", "", canonical)
        digest = hmac.new(self._salt, canonical.encode(), hashlib.sha256).hexdigest()
        return f"hmac-sha256:{digest[:24]}"

    def redact(self, text: str, known: Iterable[Sensitive] = ()) -> Evidence:
        masked, redactions = self._redact_text(text, tuple(known))
        return Evidence(text=masked, redactions=tuple(redactions))

    def redact_text(self, text: str, known: Iterable[Sensitive] = ()) -> str:
        return self._redact_text(text, tuple(known))[0]

    def redact_structure(self, value: Any, known: Iterable[Sensitive] = ()) -> Any:
        """Redact every string inside nested mappings and sequences."""
        known_t = tuple(known)
        if isinstance(value, str):
            return self._redact_text(value, known_t)[0]
        if isinstance(value, Mapping):
            return {str(k): self.redact_structure(v, known_t) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self.redact_structure(v, known_t) for v in value]
        return value

    def _redact_text(
        self, text: str, known: tuple[Sensitive, ...]
    ) -> tuple[str, list[Redaction]]:
        spans: list[_Span] = []
        for item in known:
            if not item.value:
                continue
            for m in re.finditer(re.escape(item.value), text):
                spans.append(_Span(m.start(), m.end(), item.kind, item.value))
        for kind, pattern in _PATTERNS:
            for m in pattern.finditer(text):
                start, end = (m.start(1), m.end(1)) if m.groups() else (m.start(), m.end())
                value = text[start:end]
                if kind == "card" and not _luhn_ok(re.sub(r"\D", "", value)):
                    continue
                spans.append(_Span(start, end, kind, value))
        if not spans:
            return text, []
        # Earlier (known, then pattern order) spans win; drop overlaps.
        chosen: list[_Span] = []
        for span in spans:
            if all(span.end <= c.start or span.start >= c.end for c in chosen):
                chosen.append(span)
        chosen.sort(key=lambda s: s.start)
        out: list[str] = []
        redactions: list[Redaction] = []
        seen: set[tuple[str, str]] = set()
        pos = 0
        for span in chosen:
            masked = mask(span.kind, span.value)
            out.append(text[pos : span.start])
            out.append(masked)
            pos = span.end
            h = self.hash(span.kind, span.value)
            if (span.kind, h) not in seen:
                seen.add((span.kind, h))
                redactions.append(Redaction(kind=span.kind, masked=masked, hash=h))
        out.append(text[pos:])
        return "".join(out), redactions


def load_salt(explicit: str | None = None, *, state_dir: Path | None = None) -> bytes:
    """The installation's redaction salt.

    Order: an explicit value (configuration), ``$EGOV_AUDIT_SALT``, else a random
    salt created once in the user's data directory with 0600 permissions, so
    hashes stay comparable between runs on the same machine.
    """
    if explicit:
        return explicit.encode()
    env = os.environ.get(SALT_ENV)
    if env:
        return env.encode()
    if state_dir is None:
        from platformdirs import user_data_path

        state_dir = user_data_path("egov-audit", appauthor=False)
    path = state_dir / "redaction-salt"
    try:
        return path.read_bytes().strip() or _create_salt(path)
    except FileNotFoundError:
        return _create_salt(path)


def _create_salt(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_hex(32).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(salt)
    return salt
