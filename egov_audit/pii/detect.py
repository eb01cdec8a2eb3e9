"""Finding personal identifiers in text: candidates by regex, judged by structure and context.

One fast pass collects digit runs (optionally grouped by spaces, dots or
dashes); each is judged by its length, its structure (validators) and the
nearest context word, either in the label it was found under (a table
column, a JSON key) or in a short window of text before it. Separate passes
find e-mail addresses, passport numbers and masked values, each only when a
cheap hint says the text can contain them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from heapq import merge

from . import patterns
from .fastpath import bulk
from .lexicon import Lexicon, WordSet, keyword_index, lexicon
from .masked import find_masked
from .prefilter import digit_runs, folded
from .validators import (
    card_valid,
    is_placeholder,
    kk_valid,
    mrz_line2_valid,
    nik_valid,
    nip_valid,
    npwp_valid,
    phone_normal,
)

KIND_NAMES = {
    "nik": "NIK", "kk": "No. KK", "npwp": "NPWP", "nip": "NIP", "nisn": "NISN",
    "bpjs": "BPJS numbers", "passport": "passport numbers", "phone": "mobile numbers",
    "email": "e-mail addresses", "card": "payment card numbers",
    "account": "bank account numbers", "nik_partial": "partially masked NIK/KK",
}
# Identifiers of a person (citizen data) as opposed to contact details.
STRONG = frozenset({"nik", "kk", "npwp", "nisn", "bpjs", "passport", "card", "account"})
CONTACT = frozenset({"phone", "email"})

# Candidates (patterns.DIGIT_RUN, read through prefilter.digit_runs, which skips the
# text that cannot hold one) and e-mail addresses are found with the surface forms the
# redactor masks (patterns.py), so anything reported here is masked in every report. No
# optional "+" in front lets the regex engine skip to the next digit quickly; a "+" is
# read by hand.
_DIGITS = re.compile(r"[0-9]+")
_SEPS = str.maketrans("", "", " .-+")
_NPWP_SHAPE = patterns.NPWP_SHAPE
# Substring tests run at memory speed; a case-insensitive regex over the text does not.
_PASSPORT_WORDS = ("aspor", "ASPOR", "assport", "ASSPORT")
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d{6,7}(?![A-Za-z0-9])")
_MRZ2 = re.compile(r"[A-Z0-9<]{9}\dIDN\d{7}[MF<]\d{7}[A-Z0-9<]{14}[\d<]\d")
_BLOCKING = frozenset("*•#_")
# The context kinds, in the order a label is tested (most specific first). "payment_ref"
# (a Virtual Account, kode bayar, nomor tagihan) and "not_personal" (orders, time stamps)
# are numbers of a transaction, never of a citizen. "other_number" (No. Peserta, No.
# Registrasi, No. Ujian) is tested last: "No. Peserta BPJS" and "NIK Peserta" are still
# identifiers, but a bare participant number built like a NIK is not one.
_LABEL_ORDER = ("not_personal", "payment_ref", "kk", "npwp", "nisn", "bpjs", "passport",
                "account", "card", "phone", "nik", "other_number")
_NOT_IDENTIFIER = frozenset({"not_personal", "payment_ref", "other_number"})
# Card formatting: four groups of four (Visa, Mastercard…) or 4-6-5 (Amex), one separator.
_CARD_SHAPE = re.compile(r"(?:\d{4} ){3}\d{4}(?: \d{1,3})?|(?:\d{4}-){3}\d{4}(?:-\d{1,3})?"
                         r"|\d{4} \d{6} \d{5}|\d{4}-\d{6}-\d{5}")


# Kinds a column header can declare for fastpath.bulk to validate the whole column at once.
_BULK_KINDS = frozenset({"nik", "kk", "phone", "bpjs", "nisn"})


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    value: str  # exactly as it appears in the text
    start: int
    end: int


class _Context:
    """Which kind of identifier the surroundings of a candidate announce.

    A label (column header, JSON key) decides for every value under it. In
    running text the nearest context word before the value decides: the window
    is split into words and read backwards, matching one- to four-word
    keywords against a dictionary (much faster than a regex per candidate).
    """

    def __init__(self, lex: Lexicon, label: str) -> None:
        self.lex = lex
        self.label_kind = _label_kind_cached(label) if label else None
        self.keywords, self.longest = keyword_index()
        self.ends = _keyword_ends()
        self._institutional: WordSet = lex.context["institutional"]

    def kind(self, text: str, start: int, end: int = -1) -> str | None:
        """The context kind of the value at ``start`` (ending at ``end``, when known)."""
        if self.label_kind is not None:
            return self.label_kind
        lo = start - self.lex.window
        window = text[max(0, lo):start]
        cut = window.rfind(CONTEXT_BREAK)
        if cut >= 0:  # another tag's attributes (extract's separator): not this value's
            window, lo = window[cut + 1:], 0
        words = _WORD.findall(window.lower())
        if lo > 0 and words and text[lo - 1].isalpha() and window[:1].isalpha():
            words = words[1:]  # the first word is cut in half
        ends = self.ends
        if ends.isdisjoint(words):
            return None  # the common case, decided in C
        keywords, longest = self.keywords, self.longest
        for i in range(len(words) - 1, -1, -1):
            if words[i] not in ends:
                continue
            for n in range(min(longest, i + 1), 0, -1):  # longest phrase first
                kind = keywords.get(" ".join(words[i - n + 1:i + 1]))
                if kind is None:
                    continue
                before = self._phrase_ending(words, i - n)
                if before is not None and 0 <= end < len(text) - 1 and text[end] == "/" \
                        and text[end + 1].isdigit():
                    return before  # "NIK/KK: 3509…/3509…": the first value, the first label
                if kind == "nik" and before == "npwp":
                    return "npwp"  # "NPWP/NIK": the NIK-based NPWP (since 2024)
                return kind
        return None

    def _phrase_ending(self, words: list[str], i: int) -> str | None:
        """The kind of a context phrase ending at word ``i``, if one does."""
        if i < 0 or words[i] not in self.ends:
            return None
        for n in range(min(self.longest, i + 1), 0, -1):
            kind = self.keywords.get(" ".join(words[i - n + 1:i + 1]))
            if kind is not None:
                return kind
        return None

    def institutional(self, text: str, start: int) -> bool:
        window = text[max(0, start - self.lex.window):start].lower()
        return self._institutional.in_text(window)


_MASK_BEFORE = frozenset("*•#")
# Where a run with parentheses can be: "(" before a digit, or ")" after one.
_OPEN_DIGIT = re.compile(r"\(\+?[0-9]")
_DIGIT_CLOSE = re.compile(r"\)(?<=[0-9]\))")
_RUN_CHARS = frozenset("0123456789 .-+()")
_RUN_BACK = 40
CONTEXT_BREAK = "\x1f"  # ends a context window: extract joins tag attributes with it
# "[at]", "(at)", "{at}" (any case, a space either side), "&#64;", "&#x40;"; then a domain
# whose dots may be written "[dot]" / "(dot)". Each part is a bounded step from a fixed
# marker: the local part is walked back by hand, as for plain addresses.
_AT_WORD = re.compile(r" ?[\[({][aA][tT][\])}] ?|&#0{0,4}64;|&#[xX]0{0,4}40;")
_DOT = r"(?:\.| ?[\[({][dD][oO][tT][\])}] ?)"
_OBFUSCATED_DOMAIN = re.compile(
    rf"[A-Za-z0-9-]{{1,63}}(?:{_DOT}[A-Za-z0-9-]{{1,63}}){{0,8}}{_DOT}[A-Za-z]{{2,24}}(?![A-Za-z0-9-])")
_DOT_WORD = re.compile(_DOT)
_AT_HINTS = ("at]", "at)", "at}", "AT]", "AT)", "AT}")


def _long(group: tuple[int, int]) -> bool:
    return group[1] - group[0] >= 10


def _blocked(text: str, at: int, step: int) -> bool:
    """Whether the character at ``at`` glues a number to something else: a letter (a
    code such as INV2024…) or a mask character. An underscore between a word and the
    number is a file or field name (``ktp_3218….jpg``, ``nik_3218…``), not a mask."""
    if at < 0:
        return False
    ch = text[at]
    if ch == "_":
        nxt = at + step
        return not (0 <= nxt < len(text) and text[nxt].isalnum())
    return ch.isalpha() or ch in _BLOCKING


_WORD = re.compile(r"[a-z]+")  # context words have no digits; numbers only slow it down


@cache
def _keyword_ends() -> frozenset[str]:
    """The last word of every keyword: a window without one has no context."""
    return frozenset(k.rsplit(" ", 1)[-1] for k in keyword_index()[0])


@lru_cache(maxsize=4096)
def _label_kind_cached(label: str) -> str | None:
    return _label_kind(lexicon(), label)


def _label_kind(lex: Lexicon, label: str) -> str | None:
    for kind in _LABEL_ORDER:
        if lex.context[kind].matches_label(label):
            return kind
    return None


def classify(d: str, ctx: str | None, formatted_npwp: bool = False,
             institutional: bool = False, card_shaped: bool = False) -> str | None:
    """The identifier kind of digit string ``d`` given the context kind, or None.

    A payment card needs card context or card formatting (``4111 1111 1111 1111``):
    one 16-digit number in ten passes the Luhn check, so structure alone would call
    every tenth exam or registration number a card."""
    n = len(d)
    if ctx in _NOT_IDENTIFIER:
        return None
    if ctx == "account" and 10 <= n <= 16 and not institutional and not is_placeholder(d):
        return "account"
    card = (ctx == "card" or card_shaped) and card_valid(d)
    if n == 16:
        if ctx == "card" and card:
            return "card"
        if ctx == "kk" and kk_valid(d):
            return "kk"
        if ctx == "npwp" and npwp_valid(d):
            return "npwp"
        if nik_valid(d):  # "NIK : 5201 1263 1094 0001" is grouped like a card
            return "nik"
        return "card" if card else None
    if n == 15:
        if (formatted_npwp or ctx == "npwp") and npwp_valid(d):
            return "npwp"
        return "card" if card else None
    if n == 18:
        return "nip" if nip_valid(d) else None
    if n == 10 and ctx == "nisn":
        return "nisn"
    if n == 13 and ctx == "bpjs":
        return "bpjs"
    # 62 + a 13-digit mobile is 14 digits: the length is judged after the 62 is dropped.
    if 10 <= n <= 14 and phone_normal(d) is not None:
        return "phone"
    if n in (13, 19) and card:
        return "card"
    return None


class Scanner:
    """Reusable detector; ``scan(text, label)`` returns the hits in ``text``."""

    def __init__(self, *, bulk_columns: bool = True) -> None:
        self.lex = lexicon()
        self.bulk_columns = bulk_columns  # off only to test the fast path against this one

    def scan(self, text: str, label: str = "") -> list[Hit]:
        """Every hit in ``text``; ``label`` is the column header or JSON key it came from."""
        ctx = _Context(self.lex, label)
        hits: list[Hit] = []
        fast = self._bulk(ctx, text, head=10**9)
        if fast is not None:
            kind = ctx.label_kind
            assert kind is not None
            hits.extend(Hit(kind, v, s, e) for v, s, e in fast[1])
        elif ctx.label_kind != "not_personal":
            self._numbers(text, ctx, hits)
            if "(" in text:
                self._bracketed_phones(text, ctx, hits)
        self._other(text, label, ctx, hits)
        return hits

    def bulk_column(self, text: str, label: str, head: int = 20
                    ) -> tuple[str, str, list[Hit]] | None:
        """For a column whose header declares NIK, KK, phone, BPJS or NISN numbers and whose every
        number passes the compiled rules: ``(kind, values, first hits)`` without a Python
        object per value: ``values`` is one value per line, plain digits (``+`` dropped),
        for :func:`fastpath.distinct_count`; None otherwise (use :meth:`scan`)."""
        ctx = _Context(self.lex, label)
        fast = self._bulk(ctx, text, head)
        if fast is None or ctx.label_kind is None:
            return None
        kind = ctx.label_kind
        values, first = fast
        # The column is digits and line breaks only: no e-mail, mask or MRZ to look for.
        return kind, values, [Hit(kind, v, s, e) for v, s, e in first]

    def _bulk(self, ctx: _Context, text: str, head: int
              ) -> tuple[str, list[tuple[str, int, int]]] | None:
        if not self.bulk_columns or ctx.label_kind not in _BULK_KINDS:
            return None
        return bulk(ctx.label_kind, text, head)

    def _other(self, text: str, label: str, ctx: _Context, hits: list[Hit]) -> None:
        """E-mail addresses, passports, MRZ lines and masked values: each pass runs
        only when a substring test says the text can contain one."""
        if "@" in text:
            self._emails(text, hits)
        # The other passes' hints, tested exactly only when their folded form is there:
        # one folded copy and five substring tests instead of eighteen (prefilter.folded).
        fold = folded(text)
        if (b"&#" in fold or b"[at]" in fold) and (
                "&#" in text or any(w in text for w in _AT_HINTS)):
            self._obfuscated_emails(text, hits)
        lowered_label = label.lower()
        if any(w in lowered_label for w in _PASSPORT_WORDS) or (
                b"spor" in fold and any(w in text for w in _PASSPORT_WORDS)):
            self._passports(text, ctx, hits)
        if b"0idn0" in fold and "IDN" in text:
            for m in _MRZ2.finditer(text):
                if mrz_line2_valid(m.group()):
                    hits.append(Hit("passport", m.group()[:9].rstrip("<"), m.start(), m.end()))
        if not (b"##" in fold or "••" in text):
            return  # find_masked's hints ("**", "••", "##", "xxx", "XXX") are all absent
        for value, start, end, identifying in find_masked(text):
            hits.append(Hit("nik_partial" if identifying else "masked", value, start, end))

    def _numbers(self, text: str, ctx: _Context, hits: list[Hit]) -> None:
        size = len(text)
        for m in digit_runs(text):
            s, start, end = m.group(), m.start(), m.end()
            before = text[start - 1] if start else " "
            if before == "+":  # +62 ...
                s, start = "+" + s, start - 1
                before = text[start - 1] if start else " "
            open_start = not _blocked(text, start - 1, -1)
            open_end = end >= size or not _blocked(text, end, 1)
            whole = False  # the whole run judged (and not an identifier)
            if open_start and open_end:
                if s.isdigit():
                    self._judge(text, s, s, start, end, ctx, hits)
                    continue
                flat = s.translate(_SEPS)
                whole = 10 <= len(flat) <= 19
                if whole and self._judge(
                        text, flat, s, start, end, ctx, hits,
                        _NPWP_SHAPE.fullmatch(s) is not None, _CARD_SHAPE.fullmatch(s) is not None):
                    continue
            elif s.isdigit():
                continue  # one number glued to a code (INV2024…) or a mask (1271****)
            self._parts(text, s, start, open_start, open_end, ctx, hits, whole)

    def _parts(self, text: str, s: str, start: int, open_start: bool, open_end: bool,
               ctx: _Context, hits: list[Hit], whole: bool = False) -> None:
        """Several numbers in one run: PDF text joins a table row's cells with single
        spaces (``C6140105 3509…``, ``06.757.044.0-866.000 3502…``). From each group,
        the longest run of whole groups that is an identifier is taken, then the search
        goes on after it; a number starts and ends only where a space (or the run's
        edge) separates it, or where a group alone is ten digits or more. ``whole``:
        the caller judged the whole run (same text, position and shape) and it was
        no identifier, so that one reading is not repeated."""
        groups = [(g.start(), g.end()) for g in _DIGITS.finditer(s)]
        last = len(groups) - 1
        spaced = [i == 0 or " " in s[groups[i - 1][1]:groups[i][0]] for i in range(last + 1)]
        i = 0
        while i <= last:
            if (i == 0 and not open_start) or not (spaced[i] or _long(groups[i])):
                i += 1
                continue
            taken = -1
            digits = 0
            for j in range(i, min(last + 1, i + 19)):
                digits += groups[j][1] - groups[j][0]
                if digits > 19:
                    break
                if digits < 10 or (j == last and not open_end):
                    continue
                if j < last and not (spaced[j + 1] or _long(groups[j])):
                    continue
                if whole and i == 0 and j == last:
                    continue  # the whole run, already judged by _numbers: not one
                lo = 0 if i == 0 else groups[i][0]  # keeps a leading "+"
                raw = s[lo:groups[j][1]]
                flat = raw.translate(_SEPS)
                a, b = start + lo, start + groups[j][1]
                kind = self._kind(text, flat, a, ctx, _NPWP_SHAPE.fullmatch(raw) is not None,
                                  _CARD_SHAPE.fullmatch(raw) is not None, b)
                if kind is not None:
                    taken = j
                    found = Hit(kind, raw, a, b)
            if taken < 0:
                i += 1
                continue
            hits.append(found)
            i = taken + 1

    def _bracketed_phones(self, text: str, ctx: _Context, hits: list[Hit]) -> None:
        """Phones written with parentheses, ``(0812) 3456-7890`` or ``+62 (812) 3456 7890``:
        the redactor's number surface (patterns.NUMBER_RUN), judged like any candidate."""
        size = len(text)
        starts = [h.start for h in hits]  # _numbers adds hits in text order
        for m in self._runs_with_parentheses(text):
            s, start, end = m.group(), m.start(), m.end()
            before = text[start - 1] if start else " "
            if before.isalpha() or before in _BLOCKING:
                continue
            if end < size and (text[end].isalnum() or text[end] in _BLOCKING):
                continue
            k = bisect_right(starts, end) - 1  # a hit starting before this run ends...
            if k >= 0 and hits[k].end > start:
                continue  # ...and overlapping it was already judged
            digits = "".join(_DIGITS.findall(s))
            if 10 <= len(digits) <= 14 and classify(digits, ctx.kind(text, start)) == "phone":
                hits.append(Hit("phone", s, start, end))

    @staticmethod
    def _runs_with_parentheses(text: str) -> Iterator[re.Match[str]]:
        """The NUMBER_RUN matches that hold a parenthesis, found from the parentheses
        next to a digit (every such run has one) instead of from every digit of the
        page: scripts and style sheets are full of digits and of parentheses, rarely
        of both together. A run is read from its start (looked for up to RUN_BACK
        characters back), and each stretch of text once."""
        done = 0
        # Two patterns that start with a literal parenthesis: the engine jumps between
        # parentheses instead of trying a digit class at every character.
        hints = merge((m.start() for m in _OPEN_DIGIT.finditer(text)),
                      (m.start() - 1 for m in _DIGIT_CLOSE.finditer(text)))
        for h in hints:
            if h < done:
                continue
            start = h
            while start > max(done, h - _RUN_BACK) and text[start - 1] in _RUN_CHARS:
                start -= 1
            # finditer's leftmost matches, tried only at the starts up to the hint: a
            # search past it could scan to the end of the text once per hint.
            pos = start
            while pos <= h + 1:
                m = patterns.NUMBER_RUN.match(text, pos)
                if m is None:
                    pos += 1
                    continue
                pos = done = m.end()
                if "(" in m.group() or ")" in m.group():
                    yield m
            done = max(done, h + 1)

    def _kind(self, text: str, d: str, start: int, ctx: _Context,
              formatted: bool = False, card_shaped: bool = False, end: int = -1) -> str | None:
        if len(d) < 10 or len(d) > 19:
            return None  # no identifier is shorter or longer: skip the context work
        kind_ctx = ctx.kind(text, start, end)
        institutional = kind_ctx == "account" and ctx.institutional(text, start)
        return classify(d, kind_ctx, formatted, institutional, card_shaped)

    def _judge(self, text: str, d: str, raw: str, start: int, end: int, ctx: _Context,
               hits: list[Hit], formatted: bool = False, card_shaped: bool = False) -> bool:
        kind = self._kind(text, d, start, ctx, formatted, card_shaped, end)
        if kind is None:
            return False
        hits.append(Hit(kind, raw, start, end))
        return True

    def _emails(self, text: str, hits: list[Hit]) -> None:
        lex = self.lex
        for start, end, tld in patterns.emails(text):
            if tld.lower() in lex.non_tlds or (start and text[start - 1] in _MASK_BEFORE):
                continue  # image@2x.png; t***i@gmail.com shows one letter, not an address
            at = text.index("@", start)
            if not self._personal_email(text[start:at].lower(), text[at + 1:end].lower()):
                continue
            hits.append(Hit("email", text[start:end], start, end))

    def _personal_email(self, local: str, host: str) -> bool:
        """Not an institution's mailbox and not a template (nama@email.com)."""
        lex = self.lex
        return not (host.endswith(lex.institutional_email) or host.startswith("example.")
                    or host in lex.email_placeholder_domains
                    or local in lex.email_placeholder_locals)

    def _obfuscated_emails(self, text: str, hits: list[Hit]) -> None:
        """``budi[at]gmail.com``, ``budi (at) gmail [dot] com``, ``budi&#64;gmail.com``:
        written so that harvesters miss them, still a person's address."""
        for m in _AT_WORD.finditer(text):
            start = patterns._local_part_start(text, m.start())
            if start == m.start() or (start and text[start - 1] in _MASK_BEFORE):
                continue
            domain = _OBFUSCATED_DOMAIN.match(text, m.end())
            if domain is None:
                continue
            host = _DOT_WORD.sub(".", domain.group()).lower()
            if host.rsplit(".", 1)[-1] in self.lex.non_tlds:
                continue
            if self._personal_email(text[start:m.start()].lower(), host):
                hits.append(Hit("email", text[start:domain.end()], start, domain.end()))

    def _passports(self, text: str, ctx: _Context, hits: list[Hit]) -> None:
        for m in _PASSPORT.finditer(text):
            if ctx.kind(text, m.start()) == "passport":
                hits.append(Hit("passport", m.group(), m.start(), m.end()))


_DEFAULT: Scanner | None = None


def scan_text(text: str, label: str = "") -> list[Hit]:
    """Hits in ``text``; ``label`` is the column header or JSON key it came from."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Scanner()
    return _DEFAULT.scan(text, label)
