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
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .check import Sensitive
from .model import Evidence, Redaction
from .pii import decoded, patterns
from .pii.detect import scan_text

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


# Secrets and passwords, in priority order (the first pattern to claim a span wins).
# Every pattern is linear: repetitions are bounded or possessive, and a pattern that
# starts with a run of one class starts only where that run starts (a look-behind),
# so a long run is scanned once, not once per position.
_SECRETS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "private_key",
        re.compile(
            r"-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----"
            r".*?(?:-----END [A-Z ]{0,40}PRIVATE KEY-----|\Z)",
            re.S,
        ),
    ),
    ("url_password", re.compile(r"(?<=://)[^/\s:@]{1,256}:([^/\s@]{1,512})(?=@)")),
    (
        # The key name is found first and read forwards a bounded distance, instead of
        # an unbounded [\w.-]* before it (quadratic on "a-a-a-…").
        "password",
        re.compile(
            # The look-ahead on the first letter lets the engine skip most positions
            # (a case-insensitive alternation alone is tried everywhere).
            r"(?=[PpSsTtAa])(?i:password|passwd|pwd|pass|secret|token|api[_-]?key|app_key|"
            r"access[_-]?key|private[_-]?key|auth|sess)[\w.-]{0,64}+[\"']?\s{0,16}+"
            r"(?:=>|=|:)\s{0,16}+[\"']?([^\s\"'&;,<>)}\]]{3,}+)"
        ),
    ),
    ("secret", re.compile(r"(?<![A-Za-z0-9_])(?=[Bb])(?i:bearer)\s{1,16}+"
                          r"([A-Za-z0-9._~+/=-]{8,}+)")),
    ("jwt", re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}+\.eyJ[A-Za-z0-9_-]{5,}+"
                       r"\.[A-Za-z0-9_-]++")),
    # Cloud and chat keys, in one pass: AWS, Google, Slack, GitHub, Telegram bots.
    ("secret", re.compile(r"\b(?:(?:AKIA|ASIA)[0-9A-Z]{16}\b|AIza[0-9A-Za-z_-]{35}\b"
                          r"|xox[abposr]-[A-Za-z0-9-]{10,}+|gh[pousr]_[A-Za-z0-9]{36}\b"
                          r"|\d{8,10}:[A-Za-z0-9_-]{35}\b)")),
)
# A decoded view is searched this far around its escapes: further away it reads
# like the raw text, already searched. Longer than any masked value and its context.
_VIEW_MARGIN = 160
# Detector hits that are already masked values: quoting them is the point of the finding.
_ALREADY_MASKED = frozenset({"masked", "nik_partial"})


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str
    value: str  # as decoded: the hash and the mask are the same for every encoding


def _spans(text: str, known: tuple[Sensitive, ...]) -> list[_Span]:
    """Every sensitive span of ``text``, in priority order (overlaps not resolved)."""
    spans: list[_Span] = []
    for item in known:
        if item.value:
            spans.extend(_Span(m.start(), m.end(), item.kind, item.value)
                         for m in re.finditer(re.escape(item.value), text))
    for kind, pattern in _SECRETS:
        for m in pattern.finditer(text):
            start, end = m.span(1) if m.groups() else m.span()
            spans.append(_Span(start, end, kind, text[start:end]))
    spans.extend(_Span(s, e, "email", text[s:e]) for s, e, _ in patterns.emails(text))
    spans.extend(_Span(s, e, kind, text[s:e]) for s, e, kind in patterns.numbers(text))
    # Whatever the detector finds with its context rules (NISN, BPJS, accounts, passports):
    # the same code as the pii checks, so nothing they can find escapes the redactor.
    spans.extend(_Span(h.start, h.end, h.kind, h.value) for h in scan_text(text)
                 if h.kind not in _ALREADY_MASKED)
    return spans


def _first_wins(spans: list[_Span]) -> list[_Span]:
    """Spans that overlap no earlier one, sorted by position."""
    starts: list[int] = []
    chosen: list[_Span] = []
    for span in spans:
        k = bisect_right(starts, span.start)
        if k and chosen[k - 1].end > span.start:
            continue
        if k < len(chosen) and chosen[k].start < span.end:
            continue
        starts.insert(k, span.start)
        chosen.insert(k, span)
    return chosen


def _merge(spans: list[_Span]) -> list[tuple[int, int, _Span, list[_Span]]]:
    """Overlapping spans joined: ``(start, end, the widest member, members)``."""
    merged: list[tuple[int, int, _Span, list[_Span]]] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if merged and span.start < merged[-1][1]:
            start, end, widest, members = merged[-1]
            if span.end - span.start > widest.end - widest.start:
                widest = span
            members.append(span)
            merged[-1] = (start, max(end, span.end), widest, members)
        else:
            merged.append((span.start, span.end, span, [span]))
    return merged


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
        """Redact every string inside nested mappings and sequences, keys included."""
        known_t = tuple(known)
        if isinstance(value, str):
            return self._redact_text(value, known_t)[0]
        if isinstance(value, Mapping):
            return {self._redact_text(str(k), known_t)[0]: self.redact_structure(v, known_t)
                    for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self.redact_structure(v, known_t) for v in value]
        return value

    def _redact_text(
        self, text: str, known: tuple[Sensitive, ...]
    ) -> tuple[str, list[Redaction]]:
        # The printed text first, exactly as before; then every decoded view of it
        # (percent, "+", HTML references, JSON escapes, twice encoded…), whose hits
        # are mapped back to the raw characters they were decoded from.
        spans = _first_wins(_spans(text, known))
        for view in decoded.views(text):
            for lo, hi in view.regions(_VIEW_MARGIN):
                for span in _first_wins(_spans(view.text[lo:hi], known)):
                    start, end = view.raw_span(lo + span.start, lo + span.end)
                    spans.append(_Span(start, end, span.kind, span.value))
        if not spans:
            return text, []
        out: list[str] = []
        redactions: list[Redaction] = []
        seen: set[tuple[str, str]] = set()
        pos = 0
        for start, end, widest, members in _merge(spans):
            out.append(text[pos:start])
            out.append(mask(widest.kind, widest.value))
            pos = end
            for span in members:
                h = self.hash(span.kind, span.value)
                if (span.kind, h) not in seen:
                    seen.add((span.kind, h))
                    redactions.append(Redaction(kind=span.kind, masked=mask(span.kind, span.value),
                                                hash=h))
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
