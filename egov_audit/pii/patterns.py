"""How identifiers are written: the one definition of their surface forms.

The detector (:mod:`.detect`) and the redactor (:mod:`egov_audit.redaction`)
both read these definitions, so a value the detector can find is a value the
redactor masks. They differ only in what they do with a match: the detector
validates it (structure, check digits, context) before reporting it; the
redactor masks every match of the right shape without validating, because
over-masking a timestamp costs little and leaking a NIK costs a lot.

Every pattern here is linear in its input: alternatives that never match the
same text, bounded repetitions, and runs of one class that are scanned once
from their start. Python 3.11.2 (Debian 12's python3) mishandles a group
repeated possessively when one of its steps fails after consuming text (the
step's text stays matched): such steps are guarded by a look-ahead, and CI
runs the tests on that Python (tests/pii/test_python_3_11_2.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Digit groups are separated by a single space, dot or dash: "3171 0155 0690 0001",
# "0812.3456.7890", "0812-3456-7890", "01.234.567.8-901.000".
SEPARATORS = " .-"

# The detector's candidates: ten digits or more (no identifier is shorter), single
# separators or a spaced dot or dash ("0812 - 3456 - 7890"). A separator is either a
# lone space or a dot or dash with optional spaces: the two never match the same text.
# Each step is checked by a look-ahead before it consumes anything, so the possessive
# repeat (no backtracking, no memory per step) never sees a step fail half-way, which
# Python 3.11.2 (Debian 12's) gets wrong: it kept the space after a NIK.
DIGIT_RUN = re.compile(r"[0-9](?:(?=(?: ?[.\-] ?| )?[0-9])(?: ?[.\-] ?| )?+[0-9]){9,}+")

# The redactor's numbers: any digit groups joined by the same separators, a spaced dot
# or dash ("0812 - 3456 - 7890"), or a parenthesis with an optional separator
# ("(0812) 3456-7890", "+62 (812) 345 678"),
# with a leading "+" or "(" kept in the span. Nine digits at least (the shortest mobile
# number): shorter runs never leave the regex engine. A superset of DIGIT_RUN: every
# detector candidate is a run of whole groups inside one NUMBER_RUN match.
NUMBER_RUN = re.compile(r"\+?\(?[0-9](?:(?:\)[ .\-]?|[ .\-]?\(| ?[.\-] ?| )?[0-9]){8,}+")
DIGIT_GROUP = re.compile(r"[0-9]+")

# No identifier the redactor masks is longer than this many digits.
MAX_DIGITS = 20
# Digits from which a run is masked whatever it looks like (NIK, KK, NPWP, NIP, cards).
IDENTIFIER_DIGITS = 15

# The old NPWP print form: 01.234.567.8-901.000.
NPWP_SHAPE = re.compile(r"\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}")


def phone_shape(digits: str) -> bool:
    """An Indonesian mobile number as written: ``08`` or ``628``, a non-zero operator
    digit, and 6-10 more digits. A superset of what
    :func:`egov_audit.pii.validators.phone_normal` accepts (it also rejects placeholders)."""
    if digits.startswith("08"):
        rest = digits[2:]
    elif digits.startswith("628"):
        rest = digits[3:]
    else:
        return False
    return 7 <= len(rest) <= 11 and rest[0] != "0"


def luhn_ok(digits: str) -> bool:
    total = 0
    parity = len(digits) % 2
    for i, ch in enumerate(digits):
        d = ord(ch) - 48
        if i % 2 == parity:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def number_kind(digits: str, shaped_npwp: bool = False) -> str | None:
    """What the redactor masks a run of ``digits`` as, judged by shape alone.

    15-20 digits: any identifier (NIK, KK, NPWP, NIP, most cards); a mobile number's
    shape; 12-19 digits passing the Luhn check: a payment card. Shorter numbers
    (NISN, BPJS, accounts) need context, which the detector judges."""
    n = len(digits)
    if n >= IDENTIFIER_DIGITS:
        return "npwp" if shaped_npwp else "identifier"
    if phone_shape(digits):
        return "phone"
    if n >= 12 and luhn_ok(digits):
        return "card"
    return None


# E-mail addresses: a local part of up to 64 characters before "@", a domain after.
EMAIL_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
EMAIL_LOCAL_MAX = 64
# Backtracking stays within one domain: a label gives way only to the next dot.
EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.([A-Za-z]{2,24})(?![A-Za-z0-9-])")


def _local_part_start(text: str, at: int) -> int:
    """Where the local part before the "@" at ``at`` starts (``at`` when it is empty),
    looking back at most EMAIL_LOCAL_MAX characters."""
    start, floor = at, max(0, at - EMAIL_LOCAL_MAX)
    while start > floor and text[start - 1] in EMAIL_LOCAL_CHARS:
        start -= 1
    return start


def emails(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, top-level domain)`` of every e-mail address in ``text``.

    Found from each "@" outwards, so the cost is bounded per "@" (a regex with an
    unbounded local part would rescan long words once per starting position)."""
    pos = text.find("@")
    while pos != -1:
        start = _local_part_start(text, pos)
        if start < pos:
            domain = EMAIL_DOMAIN.match(text, pos + 1)
            if domain is not None:
                yield start, domain.end(), domain.group(1)
        pos = text.find("@", pos + 1)


_ELLIPSES = ("…", "...")
_CUT_REACH = 8  # an escape cut in half ("%3…", "\\u00…") may stand between


def _cut_after(text: str, end: int) -> bool:
    near = text[end:end + _CUT_REACH + 3]
    cut = min((i for i in (near.find("…"), near.find("...")) if i >= 0), default=-1)
    return cut >= 0 and cut <= _CUT_REACH and not any(c.isspace() for c in near[:cut])


def _cut_before(text: str, start: int) -> bool:
    near = text[max(0, start - _CUT_REACH - 3):start]
    ends = [i + len(mark) for mark in _ELLIPSES if (i := near.rfind(mark)) >= 0]
    if not ends:
        return False
    cut = max(ends)
    return len(near) - cut <= _CUT_REACH and not any(c.isspace() for c in near[cut:])


def _cut_here(text: str, start: int, end: int) -> bool:
    """Whether an ellipsis touches the run (or an escape cut in half between them):
    the mark a truncated quote leaves."""
    return _cut_before(text, start) or _cut_after(text, end)


def cut_emails(text: str) -> Iterator[tuple[int, int]]:
    """E-mail addresses whose domain a truncated quote cut off (``budi.s@ma…``): the
    local part still names a person. ``(start, end)`` up to the cut."""
    pos = text.find("@")
    while pos != -1:
        start = _local_part_start(text, pos)
        if start < pos:
            domain = _PARTIAL_DOMAIN.match(text, pos + 1)
            assert domain is not None  # it can match nothing
            end = domain.end()
            if end == len(text) or _cut_after(text, end):
                yield start, end
        pos = text.find("@", pos + 1)


_PARTIAL_DOMAIN = re.compile(r"[A-Za-z0-9.-]{0,255}")
_CUT_TOKEN_CHARS = EMAIL_LOCAL_CHARS | frozenset("&#;\\")


def cut_tokens(text: str) -> Iterator[tuple[int, int]]:
    """Name-like tokens a truncated quote ends on (``agus.hpcwj20…``): possibly the
    local part of an address whose "@" was cut off. Letters and digits joined by a dot
    or underscore, six characters or more; ``(start, end)`` up to the ellipsis."""
    for mark in _ELLIPSES:
        pos = text.find(mark)
        while pos != -1:
            start = pos
            floor = max(0, pos - EMAIL_LOCAL_MAX)
            while start > floor and text[start - 1] in _CUT_TOKEN_CHARS:
                start -= 1
            token = text[start:pos]
            if (len(token) >= 6 and any(c.isdigit() for c in token)
                    and any(c.isalpha() for c in token) and ("." in token or "_" in token)):
                yield start, pos
            pos = text.find(mark, pos + len(mark))


def numbers(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, kind)`` of every number the redactor masks, judged by shape.

    A run of digit groups may hold several numbers ("NIK 3171… 0812…" in one
    table row): from each group, the longest run of whole groups (at most
    :data:`MAX_DIGITS` digits) with a kind is taken, and the search goes on
    after it. A single group longer than that is masked whole. Numbers that
    touch a mask character (``1271015506******``) are left to the partial-mask
    rules unless they are identifier-long."""
    size = len(text)
    for run in NUMBER_RUN.finditer(text):
        run_start, run_end = run.span()
        if run_end - run_start < 9:
            continue  # the common case: a short number in prose
        groups = [(g.start(), g.end()) for g in DIGIT_GROUP.finditer(text, run_start, run_end)]
        star_before = run_start > 0 and text[run_start - 1] in "*•#"
        star_after = run_end < size and text[run_end] in "*•#"
        if _cut_here(text, run_start, run_end):
            # A quote cut through a number ("…5506900001", "3171014508…"): what is left
            # of an identifier still identifies; the whole run is masked.
            yield run_start, run_end, "identifier"
            continue
        last = len(groups) - 1
        i = 0
        while i <= last:
            best: tuple[int, str] | None = None
            digits = ""
            for j in range(i, last + 1):
                digits += text[groups[j][0]:groups[j][1]]
                if len(digits) > MAX_DIGITS:
                    if j == i:
                        best = (j, "identifier")
                    break
                if len(digits) < 9:
                    continue
                shaped = NPWP_SHAPE.fullmatch(text, groups[i][0], groups[j][1]) is not None
                kind = number_kind(digits, shaped)
                touches_mask = (i == 0 and star_before) or (j == last and star_after)
                if kind is not None and (len(digits) >= IDENTIFIER_DIGITS or not touches_mask):
                    best = (j, kind)
            if best is None:
                i += 1
                continue
            j, kind = best
            start = run_start if i == 0 else groups[i][0]  # keeps a leading "+" or "("
            end = groups[j][1]
            if end < size and text[end] == ")" and text.count("(", start, end) > text.count(
                    ")", start, end):
                end += 1
            yield start, end, kind
            i = j + 1
