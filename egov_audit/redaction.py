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
import logging
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .check import Sensitive
from .errors import InputError
from .model import Evidence, Redaction
from .pii import decoded, patterns
from .pii.detect import scan_text
from .safe_write import PRIVATE, write_new

SALT_ENV = "EGOV_AUDIT_SALT"


def mask(kind: str, value: str) -> str:
    """The masked display form of ``value``: enough to recognise, never to reuse."""
    if kind in {"password", "cut"}:  # cut: what a truncated quote left of a value
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
    ("secret", re.compile(r"(?<![A-Za-z0-9_])(?=[Bb])(?i:bearer)\s{1,16}+"
                          r"([A-Za-z0-9._~+/=-]{8,}+)")),
    # Cloud and chat keys, in one pass: AWS, Google, Slack, GitHub, Telegram bots. No
    # word boundaries: a key glued to a name ("sid_AKIA…", "token_ghp_…") is still a key.
    ("secret", re.compile(r"(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}"
                          r"|xox[abposr]-[A-Za-z0-9-]{10,}+|gh[pousr]_[A-Za-z0-9]{36}"
                          r"|[0-9]{8,10}:[A-Za-z0-9_-]{35}")),
)
# Passwords and keys after their name: "DB_PASSWORD=…", "api_key: '…'", "token => …".
# The name is found first (a look-ahead on its first letter lets the engine skip most
# positions) and read forwards a bounded distance, instead of the 0.1 pattern's
# unbounded [\w.-]* before it, which was quadratic on "a-a-a-…". The value is read
# separately, so a value that runs into the next name ("key=AKIA…/PASSWORD = x") does
# not hide that name's own value.
_PASSWORD_NAME = re.compile(
    r"(?=[PpSsTtAa])(?P<name>(?i:password|passwd|pwd|pass|secret|token|api[_-]?key|app_key|"
    r"access[_-]?key|private[_-]?key|auth|sess)[\w.-]{0,64}+)[\"']?\s{0,16}+"
    r"(?:=>|=|:)\s{0,16}+[\"']?"
)
_PASSWORD_VALUE = re.compile(r"[^\s\"'&;,<>)}\]]++")
# "auth…" and "sess…" names are weak signals ("author: Budi", "session_renegotiation:
# not tested"): after one of them only a value as long as a session id or token
# (8 characters or more) is masked, unless the name also says pass, pwd, secret, token
# or key ("auth_pass=rahasia1" is still masked).
_WEAK_NAME = re.compile(r"(?i:auth|sess)")
_STRONG_WORD = re.compile(r"(?i:pass|pwd|secret|token|key)")
WEAK_NAME_MIN_VALUE = 8


def password_values(text: str) -> list[tuple[int, int]]:
    """Spans of the values that follow a password or key name (3 characters or more).

    Names inside one run of value characters share its end, found once: linear."""
    found: list[tuple[int, int]] = []
    run_end = -1
    for name in _PASSWORD_NAME.finditer(text):
        start = name.end()
        if start >= run_end:
            value = _PASSWORD_VALUE.match(text, start)
            if value is None:
                continue
            run_end = value.end()
        if run_end - start < 3:
            continue
        label = name.group("name")
        if (run_end - start < WEAK_NAME_MIN_VALUE and _WEAK_NAME.match(label)
                and not _STRONG_WORD.search(label)):
            continue
        found.append((start, run_end))
    return found


# Bounds on what one call redacts: a string's length (about half a second of work) and
# the nesting of details.
MAX_TEXT = 1_000_000
MAX_DEPTH = 32
_SPLIT_TAIL = re.compile(r"[\w%&#;\\ .+()\-]+\Z")

_B64URL_RUN = re.compile(r"[A-Za-z0-9_-]+")


def jwts(text: str) -> list[tuple[int, int]]:
    """Spans of JSON Web Tokens: ``eyJ….eyJ….signature``, wherever they start (also
    glued to a name: ``sid_eyJ…``).

    A regex that may start at any "eyJ" rescans the rest of a run for each one
    ("eyJ-eyJ-…"): here each run of token characters is measured once and the
    verdict for what follows it is shared by every "eyJ" inside it."""
    found: list[tuple[int, int]] = []
    run_end = -1
    verdict: int | None = None  # where the token ends, for the current run
    pos = text.find("eyJ")
    while pos != -1:
        if pos >= run_end:
            run = _B64URL_RUN.match(text, pos)
            assert run is not None  # "eyJ" itself is a run
            run_end, verdict = run.end(), _jwt_tail(text, run.end())
        if verdict is not None and run_end - pos >= 8:
            found.append((pos, verdict))
            pos = text.find("eyJ", verdict)
            continue
        pos = text.find("eyJ", pos + 1)
    return found


def _jwt_tail(text: str, first_end: int) -> int | None:
    """Where the token ends if ``.eyJ…(8+).signature`` follows the first part, else None."""
    if not text.startswith(".eyJ", first_end):
        return None
    second = _B64URL_RUN.match(text, first_end + 1)
    if second is None or second.end() - second.start() < 8 or not text.startswith(
            ".", second.end()):
        return None
    third = _B64URL_RUN.match(text, second.end() + 1)
    return third.end() if third is not None else None


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
        if kind == "url_password":  # the old order: after URL passwords, before the rest
            spans.extend(_Span(s, e, "password", text[s:e]) for s, e in password_values(text))
    spans.extend(_Span(s, e, "jwt", text[s:e]) for s, e in jwts(text))
    spans.extend(_Span(s, e, "email", text[s:e]) for s, e, _ in patterns.emails(text))
    spans.extend(_Span(s, e, "email", text[s:e]) for s, e in patterns.cut_emails(text))
    if "…" in text or "..." in text:
        spans.extend(_Span(s, e, "cut", text[s:e]) for s, e in patterns.cut_tokens(text))
    spans.extend(_Span(s, e, kind, text[s:e]) for s, e, kind in patterns.numbers(text))
    # Whatever the detector finds with its context rules (NISN, BPJS, accounts, passports):
    # the same code as the pii checks, so nothing they can find escapes the redactor.
    spans.extend(_Span(h.start, h.end, h.kind, h.value) for h in scan_text(text)
                 if h.kind not in _ALREADY_MASKED)
    return spans


class _Masked:
    """Overlapping spans joined into one masked stretch of the printed text.

    The widest member decides the display (the first found among equals, which
    keeps the 0.1 display forms); a member contained in it records a redaction
    only when it was found earlier (a value a check named), so overlaps never
    leave part of a value unmasked and a value is not recorded twice."""

    __slots__ = ("end", "records", "start", "widest")

    def __init__(self, span: _Span, rank: int) -> None:
        self.start, self.end = span.start, span.end
        self.widest = (span, rank)
        self.records = [span]

    def add(self, span: _Span, rank: int) -> None:
        widest, widest_rank = self.widest
        if span.end - span.start > widest.end - widest.start:
            self.widest = (span, rank)
            self.records.append(span)
        elif rank < widest_rank or span.end > widest.end:
            self.records.append(span)
        self.end = max(self.end, span.end)


def _merge(spans: list[_Span]) -> list[_Masked]:
    """Spans (in the order found) joined where they overlap, sorted by position."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, -(spans[i].end
                                                                       - spans[i].start), i))
    merged: list[_Masked] = []
    for i in order:
        span = spans[i]
        if merged and span.start < merged[-1].end:
            merged[-1].add(span, i)
        else:
            merged.append(_Masked(span, i))
    return merged


class Redactor:
    """Masks sensitive values and records their salted hashes."""

    def __init__(self, salt: bytes) -> None:
        if not salt:
            raise ValueError("a redaction salt must not be empty")
        self._salt = salt
        guard_logs()

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
        return self._structure(value, tuple(known), 0)

    def _structure(self, value: Any, known: tuple[Sensitive, ...], depth: int) -> Any:
        if isinstance(value, str):
            return self._redact_text(value, known)[0]
        if depth >= MAX_DEPTH and isinstance(value, Mapping | list | tuple | set | frozenset):
            # Deeper than any check's details: printed as (redacted, capped) text.
            return self._redact_text(repr(value)[:MAX_TEXT], known)[0]
        if isinstance(value, Mapping):
            return {self._redact_text(str(k), known)[0]: self._structure(v, known, depth + 1)
                    for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self._structure(v, known, depth + 1) for v in value]
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**8:
            # A NIK parsed from JSON is a number: mask it like its text (then a string).
            text = str(value)
            masked = self._redact_text(text, known)[0]
            return value if masked == text else masked
        return value

    def _redact_text(
        self, text: str, known: tuple[Sensitive, ...]
    ) -> tuple[str, list[Redaction]]:
        if len(text) > MAX_TEXT:
            # Evidence is a quote, not a copy: past this the time would be unbounded.
            # The cut backs off over a word, number or escape it may have split in two.
            split = _SPLIT_TAIL.search(text, MAX_TEXT - 256, MAX_TEXT)  # 256² steps at most
            head = text[:split.start() if split else MAX_TEXT]
            text = f"{head}… ({len(text) - len(head)} characters cut)"
        # The printed text first, exactly as before; then every decoded view of it
        # (percent, "+", HTML references, JSON escapes, twice encoded…), whose hits
        # are mapped back to the raw characters they were decoded from.
        spans = _spans(text, known)
        for view in decoded.views(text):
            for lo, hi in view.regions(_VIEW_MARGIN):
                for span in _spans(view.text[lo:hi], known):
                    start, end = view.raw_span(lo + span.start, lo + span.end)
                    spans.append(_Span(start, end, span.kind, span.value))
        if not spans:
            return text, []
        out: list[str] = []
        redactions: list[Redaction] = []
        seen: set[tuple[str, str]] = set()
        pos = 0
        for stretch in _merge(spans):
            widest = stretch.widest[0]
            out.append(text[pos:stretch.start])
            out.append(mask(widest.kind, widest.value))
            pos = stretch.end
            for span in stretch.records:
                h = self.hash(span.kind, span.value)
                if (span.kind, h) not in seen:
                    seen.add((span.kind, h))
                    redactions.append(Redaction(kind=span.kind, masked=mask(span.kind, span.value),
                                                hash=h))
        out.append(text[pos:])
        return "".join(out), redactions


# The HTTP and scanning libraries log the URLs they fetch (urllib3 at DEBUG: every
# request line, query strings included). An application that turns logging on must not
# get a copy of the identifiers a server put in its links, so their records are masked.
_LOGGERS = ("urllib3", "urllib3.connectionpool", "urllib3.poolmanager", "urllib3.connection",
            "urllib3.response", "urllib3.util.retry", "requests", "charset_normalizer",
            "sslyze", "nmap")


class RedactingLogFilter(logging.Filter):
    """Masks identifiers and secrets in a log record's message (a logger filter)."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the logger's problem, not ours
            return True
        clean = self._redactor.redact_text(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


_LOGS_GUARDED = False


def guard_logs() -> None:
    """Install the masking filter on the HTTP stack's loggers (once per process).

    Filters act on the logger that creates a record, so each library logger is named
    (and any already created below them). The filter's own redactor only masks: its
    hashes are never stored, so a random salt serves."""
    global _LOGS_GUARDED
    if _LOGS_GUARDED:
        return
    _LOGS_GUARDED = True  # first: the Redactor made below calls this again
    log_filter = RedactingLogFilter(Redactor(secrets.token_bytes(16)))
    existing = [name for name in logging.root.manager.loggerDict
                if name.startswith(tuple(f"{n}." for n in _LOGGERS))]
    for name in (*_LOGGERS, *existing):
        logging.getLogger(name).addFilter(log_filter)


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
    try:
        # Never written through a planted link, and never half-written.
        write_new(path, salt, mode=PRIVATE)
    except InputError:
        # Another run created it first: use theirs, so hashes stay comparable.
        try:
            existing = path.read_bytes().strip()
        except OSError:  # a dangling link, or not a file: say what is in the way
            existing = b""
        if not existing:
            raise
        return existing
    return salt
