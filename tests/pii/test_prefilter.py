"""The pre-filters must give exactly what the patterns they stand for give, and stay linear."""

from __future__ import annotations

import random
import re
from collections import defaultdict

import pytest

from egov_audit.pii.extract import _csv
from egov_audit.pii.fastpath import bulk
from egov_audit.pii.html_grids import Grid
from egov_audit.pii.html_tables import _line_ends, read_page
from egov_audit.pii.json_depth import too_deep
from egov_audit.pii.json_values import collect, leaves
from egov_audit.pii.lexicon import keyword_index
from egov_audit.pii.patterns import DIGIT_RUN
from egov_audit.pii.prefilter import CHUNK, digit_runs, folded, holds_digit_run, ten_digit_runs
from egov_audit.pii.tables import Extracted
from egov_audit.pii.text_tables import _phrases
from egov_audit.pii.text_tables import split as split_text_tables
from tests.cpu_clock import cpu_seconds

# Pieces that sit on the edges the pre-filter reasons about: separators that join or
# do not join, runs of exactly ten digits, non-ASCII text (UTF-8 is longer than the
# text), lone surrogates (JSON escapes), long runs of separators and of single digits.
_PIECES = ("3171015506900001", "0812 - 3456 - 7890", "1 2 3 4 5 6 7 8 9 0", "12345678",
           "0.379", "12px", " ", "  ", ".", "-", " . ", "--", "é", "…", "\ud800", "x",
           "\n", "NIK ", "01.234.567.8-901.000", "9" * 10, "9" * 9, "+62 812 3456 7890")


def _text(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    length = 0
    often = rng.choice((0.3, 0.01))  # candidates in every chunk, or in a few
    while length < size:
        piece = rng.choice(_PIECES) if rng.random() < often else "".join(
            rng.choice("abc {};:#0123456789") for _ in range(rng.randint(1, 60)))
        parts.append(piece)
        length += len(piece)
    return "".join(parts)


def _spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize("latin1", [False, True])
@pytest.mark.parametrize("seed", range(40))
def test_the_same_matches_as_the_pattern_over_the_whole_text(seed: int, latin1: bool) -> None:
    """Texts within Latin-1 are read by stretches of one translation, others by chunks."""
    rng = random.Random(seed)
    text = _text(rng, rng.choice((100, 5 * CHUNK, 40 * CHUNK)))
    if latin1:
        text = text.replace("…", "é").replace("\ud800", "\xa0")
    assert _spans(digit_runs(text)) == _spans(DIGIT_RUN.finditer(text))


@pytest.mark.parametrize("text", [
    "x" * (CHUNK - 3) + "3171015506900001" + "y" * 9 * CHUNK,  # across a chunk's edge
    "a" * 5 * CHUNK + "1 2 3 4 5 6 7 8 9 0",  # ten single digits at the very end
    " " * 7 * CHUNK + "3171015506900001",  # a long stretch of separators before it
    ("1 " * 4 * CHUNK) + "x" + "3171015506900001",  # one candidate eight chunks long
    "é" * 6 * CHUNK + "0812-3456-7890" + "é" * CHUNK,  # positions in characters, not bytes
    ("9" * 9 + " x ") * CHUNK,  # nine digits everywhere: flagged nowhere
    ("123 - " * 2 * CHUNK),  # spaced dashes: one run through every chunk
    ("x 20-02-2023 " * CHUNK) + "0812 - 3456 - 7890",  # stretches of eight digits, one of 12
    ("1-2.3 4 5 6 7 8 9 0" + "x") * CHUNK,  # ten digits each, apart by every separator
    "9" * 5 * CHUNK,  # one stretch, the whole text
])
def test_edges(text: str) -> None:
    assert _spans(digit_runs(text)) == _spans(DIGIT_RUN.finditer(text))


@pytest.mark.parametrize(
    "unit", ["1 ", "1-", "1 . ", "123456789 x", "9" * 10 + " ", " " * 37 + "1",
             "x 20-02-2023 y", " 0812 - 3456 - 7890 x", "1 2 3 4 5 6 7 8 9 é"])
def test_linear_on_hostile_text(unit: str) -> None:
    """4x the text costs about 4x (quadratic would be 16x); generous bound for a busy box."""
    def run(text: str) -> None:
        for _ in digit_runs(text):
            pass
    small, large = unit * (100_000 // len(unit)), unit * (400_000 // len(unit))
    t1 = min(cpu_seconds(run, small) for _ in range(3))
    t4 = min(cpu_seconds(run, large) for _ in range(3))
    assert t4 < max(10 * t1, 0.5), (t1, t4)


@pytest.mark.parametrize("seed", range(10))
def test_ten_digit_runs_counts_like_the_pattern(seed: int) -> None:
    text = _text(random.Random(seed), 3000)
    assert ten_digit_runs(text) == len(re.findall("[0-9]{10}", text))


@pytest.mark.parametrize("seed", range(10))
def test_holds_digit_run_finds_like_the_pattern(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        text, length = _text(rng, rng.randint(0, 60)), rng.randint(1, 12)
        assert holds_digit_run(text, length) is bool(re.search(f"[0-9]{{{length}}}", text))


def _line_ends_by_replace(text: str) -> str:
    """The former line-end insertion: one str.replace per tag, in this order."""
    lower = ("</p>", "</li>", "<br>", "<br/>", "<br />", "</div>", "</tr>")
    upper = ("</P>", "</LI>", "<BR>", "<BR/>", "<BR />", "</DIV>", "</TR>")
    tags = (*lower, *upper) if any(h in text for h in ("</P", "<BR", "</LI", "</DIV")) else lower
    for tag in tags:
        text = text.replace(tag, tag + "\n")
    return text


@pytest.mark.parametrize("text", ["</TR>a</tr>", "</TR><BR />", "<BR/>", "</P>x</DIV>",
                                  "</Tr></tr>", "", "no tags"])
def test_upper_case_line_ends_count_only_beside_an_upper_case_hint(text: str) -> None:
    assert _line_ends(text) == _line_ends_by_replace(text)


@pytest.mark.parametrize("seed", range(20))
def test_line_ends_as_the_replacements_did(seed: int) -> None:
    rng = random.Random(seed)
    pieces = ("</p>", "</li>", "<br>", "<br/>", "<br />", "</div>", "</tr>", "</P>", "</LI>",
              "<BR>", "<BR />", "</DIV>", "</TR>", "</Li>", "<br  />", "</p", "<", ">", "x ")
    text = "".join(rng.choice(pieces) for _ in range(300))
    assert _line_ends(text) == _line_ends_by_replace(text)


# The shortest text each rare pass can find something in: an obfuscated "at" in any
# brackets, a numeric reference, a passport word, an MRZ line's country between digits,
# mask characters side by side.
_HINTS = ("&#", "[at]", "(at)", "{at}", "[AT)", "(At}", "{aT]", "aspor", "ASPOR", "assport",
          "ASSPORT", "Paspor", "1IDN2", "**", "••", "##", "xxx", "XXX", "*#", "x*")


@pytest.mark.parametrize("hint", _HINTS)
def test_a_text_holding_a_hint_holds_it_folded(hint: str) -> None:
    """The detector skips a pass when the folded hint is absent: never wrongly."""
    for text in (hint, f"é{hint}x", f"\ud800 {hint}"):
        assert folded(hint) in folded(text)
    needles = (b"&#", b"[at]", b"spor", b"0idn0", b"##")  # what detect tests
    assert hint == "••" or any(n in folded(hint) for n in needles)


@pytest.mark.parametrize("text", ["budi [at] gmail.com", "budi(at)gmail(dot)com",
                                  "budi &#64; gmail.com", "budi &#x40; gmail.com",
                                  "C1234567<1IDN8001011M2801011<<<<<<<<<<<<<<06"])
def test_the_passes_behind_the_hints_still_run(text: str) -> None:
    """Where an obfuscated address or an MRZ line is, the longer needles are found."""
    fold = folded(text)
    assert b"&#" in fold or b"[at]" in fold or b"0idn0" in fold


@pytest.mark.parametrize(("kind", "unit", "suffix"), [
    ("nik", "3578060308484125\n", "x"),  # every line valid, the last one not
    ("nik", "357806030848412\n", ""),  # one digit short, every line
    ("nik", "1", ""),  # one endless line
    ("kk", "3578062207200043\n", "\n"),  # a trailing empty line
    ("phone", "0812345678901234\n", ""),  # too long: the {7,10} gives back and fails
    ("phone", "+6281234567890\n", "x"),
    ("bpjs", "0002669093287\n", "x"),
    ("nisn", "0012345678\n", "1"),
])
def test_whole_column_patterns_are_linear(kind: str, unit: str, suffix: str) -> None:
    def run(text: str) -> None:
        bulk(kind, text)
    small = unit * (100_000 // len(unit)) + suffix
    large = unit * (400_000 // len(unit)) + suffix
    t1 = min(cpu_seconds(run, small) for _ in range(3))
    t4 = min(cpu_seconds(run, large) for _ in range(3))
    assert t4 < max(10 * t1, 0.5), (t1, t4)


def _too_deep_stepwise(text: str, limit: int) -> bool:
    """The former reading of JSON nesting: one Python step per quote, bracket, backslash."""
    depth, in_string, escaped = 0, False, -1
    for m in re.finditer(r'[\[\]{}"\\]', text):
        char, at = m.group(), m.start()
        if in_string:
            if at == escaped:
                continue
            if char == "\\":
                escaped = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


@pytest.mark.parametrize("seed", range(300))
def test_json_nesting_as_the_stepwise_reading(seed: int) -> None:
    rng = random.Random(seed)
    # 'ÿ' and a lone surrogate: the reading marks escaped quotes with a byte UTF-8 never holds.
    text = "".join(rng.choice(('[', ']', '{', '}', '"', '\\', 'a', 'é', '\n', ' ', '""', '\\"',
                               '\\\\', 'ÿ', '\udc80', '[[', ']]', '()'))
                   for _ in range(rng.randint(0, 60)))
    for limit in (0, 1, 2, 3, 5):
        assert too_deep(text, limit) is _too_deep_stepwise(text, limit), (text, limit)


@pytest.mark.parametrize(("unit", "prefix"), [
    ('\\"', '[' * 200 + '"'),  # one unterminated string of escaped quotes
    ('"\\', '[' * 200),  # strings that end in an escape
    ('["a",', ""),
    ('"', '[' * 200),
    ('\\\\\\"[', '[' * 200),  # escaped backslashes, then escaped quotes and brackets
    ('"[', ""),  # strings holding brackets
    ('[', ""),  # one deep nesting: a level per pass
    ('[]', '[' * 100),  # at the limit: the steps are summed
])
def test_json_nesting_is_linear(unit: str, prefix: str) -> None:
    small = prefix + unit * (100_000 // len(unit))
    large = prefix + unit * (400_000 // len(unit))
    t1 = min(cpu_seconds(too_deep, small, 100) for _ in range(3))
    t4 = min(cpu_seconds(too_deep, large, 100) for _ in range(3))
    assert t4 < max(10 * t1, 0.5), (t1, t4)


def _random_table(rng: random.Random) -> str:
    width = rng.randint(1, 4)
    cell = ("<td>{}</td>", "<TD class='x'>{}</TD>", "<th>{}</th>", "<td>{}</td>\n  ")
    values = ("3171015506900001", " a b ", "", "x=1", "é", "0812-3456-7890", "&amp;", ">")
    rows = []
    for _ in range(rng.randint(1, 6)):
        cells = "".join(rng.choice(cell).format(rng.choice(values)) for _ in range(width))
        rows.append(rng.choice(("<tr>", "<tr id=r>", "<TR>")) + cells + "</tr>\n")
    table = "<table border=1>\n" + "".join(rows) + "</table>"
    flaw = rng.choice(("", "", "", "<td colspan=2>1</td>", "<td>1", "<tbody>", "<td><b>1</b></td>",
                       "<tr><td>1</td></tr>", "<table>", "</tr>", "<tr></tr>", "</TABLE x",
                       "</table", "<td rowSpan=2>", "<td class=SPAN>"))
    at = rng.randint(0, len(table))
    return "<p>before</p>" + table[:at] + flaw + table[at:] + "after<table><tr><td>9</td></tr>"


@pytest.mark.parametrize("seed", range(300))
def test_plain_grids_read_as_the_loop_reads_them(seed: int) -> None:
    rng = random.Random(seed)
    page = "".join(_random_table(rng) for _ in range(rng.randint(1, 3))) + "</table>"
    if seed % 2:
        page = page.replace("é", "e")  # ASCII pages find tags by str.find, others by pattern
    budget = rng.choice((3, 10, 1000))
    fast, slow = read_page(page, budget), read_page(page, budget, plain_grids=False)
    assert (fast.tables, fast.text, fast.attributes, fast.truncated) == (
        slow.tables, slow.text, slow.attributes, slow.truncated), page


def _sectioned_table(rng: random.Random) -> str:
    """A listing as DataTables or Bootstrap writes it: <thead>, <tbody>, maybe <tfoot>,
    in any case, with attributes and white space; sometimes flawed."""
    width = rng.randint(1, 4)

    def rows(n: int, w: int = width) -> str:
        cell = rng.choice(("<td>{}</td>", "<th>{}</th>", "<td class=x>{}</td>\n"))
        return "".join("<tr>" + "".join(cell.format(rng.choice(("3171015506900001", " a ",
                                                                 "", "é")))
                                         for _ in range(w)) + "</tr>\n" for _ in range(n))

    def section(name: str, body: str) -> str:
        name = rng.choice((name, name.upper(), name.title()))
        opening = rng.choice((f"<{name}>", f"<{name} class='table-light'>", f"<{name}\n>"))
        return opening + rng.choice(("", "\n", "  ")) + body + f"</{name}>" + rng.choice(("", "\n"))

    parts = [section("thead", rows(1))] if rng.random() < 0.8 else []
    parts.append(section("tbody", rows(rng.randint(0, 5))))
    if rng.random() < 0.3:
        parts.append(section("tfoot", rows(1, rng.choice((width, width + 1)))))
    table = "<table class='table'>\n" + rng.choice(("", "\n", " " * 300)).join(parts) + "</table>"
    flaw = rng.choice(("", "", "", "", "<tbody>", "</thead>", "<theadx>", "<td>1", "x",
                       "<tbody><tr><td>1</td></tr>", "<td colspan=2>1</td>"))
    at = rng.randint(0, len(table))
    return "<p>before</p>" + table[:at] + flaw + table[at:] + "after"


@pytest.mark.parametrize("seed", range(400))
def test_sectioned_grids_read_as_the_loop_reads_them(seed: int) -> None:
    rng = random.Random(f"sections:{seed}")
    page = "".join(_sectioned_table(rng) for _ in range(rng.randint(1, 3)))
    if seed % 2:
        page = page.replace("é", "e")
    budget = rng.choice((3, 10, 1000))
    fast, slow = read_page(page, budget), read_page(page, budget, plain_grids=False)
    assert (fast.tables, fast.text, fast.attributes, fast.truncated) == (
        slow.tables, slow.text, slow.attributes, slow.truncated), page


def test_sectioned_listings_are_read_as_grids() -> None:
    """The fast path is taken: thead, tbody and tfoot in lower or upper case, on ASCII
    pages and others; a mixed-case section tag on a page that is not ASCII (no lower-case
    copy to search) or ragged sections are read tag by tag."""
    head = "<tr><th>NIK</th><th>Nama</th></tr>"
    body = "<tr><td>3171015506900001</td><td>Siti</td></tr>\n" * 3
    for page in (f"<table><thead>{head}</thead>\n<tbody>{body}</tbody></table>",
                 f"<TABLE><THEAD class=x>{head}</THEAD><TBODY>{body}</TBODY></TABLE>",
                 f"<table><thead>{head}</thead><tbody>{body}</tbody><tfoot></tfoot></table>",
                 f"<p>é</p><table><tbody>{body}</tbody><tbody>{body}</tbody></table>",
                 f"<table><thead>{head}</thead>\n{body}</table>",
                 f"<p>é</p><table><THEAD>{head}</THEAD><TBODY>{body}</TBODY></table>"):
        tables = read_page(page, 1000).tables
        assert len(tables) == 1 and isinstance(tables[0], Grid), page
        assert tables[0] == read_page(page, 1000, plain_grids=False).tables[0]
    for page in (f"<p>é</p><table><Thead>{head}</Thead><tbody>{body}</tbody></table>",
                 f"<table><thead>{head}</thead><tbody><tr><td>1</td></tr></tbody></table>",
                 f"<table><thead>{head}</tbody><tbody>{body}</tbody></table>",
                 f"<table><thead>{head}</thead>x<tbody>{body}</tbody></table>",
                 f"<table><tbody>{body}</tbody><tr><td>1</td></tr></table>"):
        tables = read_page(page, 1000).tables
        assert len(tables) == 1 and not isinstance(tables[0], Grid), page
        assert tables == read_page(page, 1000, plain_grids=False).tables


@pytest.mark.parametrize("unit", ["<tr><td>1</td><td>2</td></tr>\n", "<tr><td>1</td><td>2",
                                  "<tr><td>1</td></tr>", "<td>",
                                  "<tbody><tr><td>1</td><td>2</td></tr></tbody>\n", "</tbody>"])
def test_plain_grids_are_linear(unit: str) -> None:
    def run(text: str) -> None:
        read_page(text, 10**9)
    head = "<table><tr><td>a</td><td>b</td></tr>"
    small = head + unit * (100_000 // len(unit)) + "</table>"
    large = head + unit * (400_000 // len(unit)) + "</table>"
    t1 = min(cpu_seconds(run, small) for _ in range(3))
    t4 = min(cpu_seconds(run, large) for _ in range(3))
    assert t4 < max(10 * t1, 0.5), (t1, t4)


def _random_json(rng: random.Random, depth: int = 0) -> object:
    scalars = ("3171015506900001", 3171015506900001, "KK", "NIK", "Budi", "", True, None, 1.5,
               "081234567890", "paspor")
    keys = ("nik", "nomor", "jenis", "data", "fields", "rows", "hp", "rekening", "x", "")
    roll = rng.random()
    if depth > 3 or roll < 0.4:
        return rng.choice(scalars)
    if roll < 0.55:  # a fields-and-rows table
        names = rng.sample(keys, 2)
        return {"fields": names, "rows": [[rng.choice(scalars) for _ in names]
                                          for _ in range(rng.randint(1, 3))]}
    if roll < 0.8:
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    return {k: _random_json(rng, depth + 1) for k in rng.sample(keys, rng.randint(1, 4))}


@pytest.mark.parametrize("seed", range(400))
def test_json_values_collected_as_the_walk_gives_them(seed: int) -> None:
    data = _random_json(random.Random(seed))
    by_walk: dict[str, list[str]] = {}
    for key, value in leaves(data):
        by_walk.setdefault(key, []).append(value)
    by_collect: defaultdict[str, list[str]] = defaultdict(list)
    collect(data, by_collect)
    assert list(by_collect.items()) == list(by_walk.items())


def _random_csv(rng: random.Random) -> str:
    width = rng.randint(1, 5)
    delimiter = rng.choice(",;\t|")
    values = ("3171015506900001", "081234567890", "Budi", "", "NIK", "No KK", "1", "2", "3",
              "KTP", "PASPOR", " x ", "é", "0002669093287", "NIK / No. KK", "3171 3172")
    lines = []
    title = rng.random() < 0.3
    if title:
        lines.append(delimiter.join(["DAFTAR PENERIMA"] + [""] * (width - 1)))
    lines.append(delimiter.join(rng.choice(("NIK", "Nama", "No HP", "Jenis", "Nomor", "",
                                            "NIK / No. KK")) for _ in range(width)))
    for _ in range(rng.choice((3, 150, 260))):
        lines.append(delimiter.join(rng.choice(values) for _ in range(width)))
    flaw = rng.choice((None, None, None, '"a"', "\r", "a\rb", "a\nb", "", "x" + delimiter,
                       "\x00"))
    if flaw is not None:  # a quote, a lone line end, an empty line, another width, a NUL
        lines.insert(rng.randint(0, len(lines)), flaw)
    end = rng.choice(("\n", "\r\n"))
    return end.join(lines) + rng.choice(("", end))


@pytest.mark.parametrize("seed", range(400))
def test_plain_csv_grids_read_as_the_csv_module_reads_them(seed: int) -> None:
    text = _random_csv(random.Random(seed))
    fast, slow = Extracted("csv"), Extracted("csv")
    _csv(text, fast)
    _csv(text, slow, grids=False)
    assert fast == slow


# Lines of text tables and of pages around them: headers of every kind (layout, tabs,
# "|", single-spaced, passport columns), numbered rows, one-cell-per-line records,
# non-ASCII lines (the Kelvin sign lower-cases to "k"), key-value lines, menus.
_TEXT_LINES = (
    "No  Nama  NIK  No. KK", "No\tNama\tNIK\tNo. HP", "| No | NIK | KK |", "No Nama NIK NISN",
    "NO PASPOR NAMA", "No  Paspor  NIK", "<li><a href=\"/kontak\">Kontak</a></li>",
    "1 Budi 3171015506900001 3171010101200001", "2. Siti 3171015506900002", "3) A1234567",
    "1\t3171015506900001\t081234567890", "| 1 | 3171015506900001 | 3171010101200001 |",
    "1   Budi   3171015506900001   3171010101200001", "12", "13.", "  14)  ", "Siti",
    "3171015506900003", "0812 3456 7890", "C6140105 3509061702710055", "NIK: 3171015506900001",
    "\u212aK 3171015506900001", "N\u0130K  No. KK", "Nomor Induk Kependudukan  Nama",
    "var t = 1713091449;", "", "   ", "é " * 3, "2 é 3171015506900004 3171010101200004",
    "tanggal 20-02-2023 telp 0411-392666", "No. HP : 0822 - 0149 - 1475", "x" * 2100,
    # On the shortcuts' edges: ten digits (a NISN), a passport's six, a header with five
    # digits, a bare row number of one digit, a column named only through the Kelvin sign.
    "No  NISN  Nama", "1 0012345678", "4. A123456", "No  NIK 1  NIK 2  KK 3  KK 4  HP 5",
    "1", "2", "Nama  \u212a\u212a", "Budi  3171010101200001", "Siti  0012345678",
    "Kolom1  NIK2  Nama3",  # words glued to digits
)


@pytest.mark.parametrize("seed", range(300))
def test_text_tables_split_as_the_full_tests_do(seed: int) -> None:
    """The line-view shortcuts of text_tables.split (digits and words per line) give
    the same columns and the same text as testing every line in full."""
    rng = random.Random(seed)
    lines = [rng.choice(_TEXT_LINES) for _ in range(rng.randint(1, 60))]
    text = "\n".join(lines) + rng.choice(("", "\n", " 1234567890 1234567890 1234567890"))
    assert split_text_tables(text) == split_text_tables(text, line_views=False), text


def _phrases_joining_every_word(words: list[str]) -> list[tuple[str, str]]:
    """text_tables._phrases as it was: every word tried as a phrase's first."""
    index, longest = keyword_index()
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            kind = index.get(" ".join(words[i:i + n]))
            if kind is not None:
                found.append((" ".join(words[i:i + n]), kind))
                i += n
                break
        else:
            i += 1
    return found


@pytest.mark.parametrize("seed", range(100))
def test_header_phrases_as_when_every_word_was_joined(seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = [*sorted({w for k in keyword_index()[0] for w in k.split(" ")}),
                  "nama", "alamat", "x", "no", "nomor"]
    words = [rng.choice(vocabulary) for _ in range(rng.randint(0, 30))]
    assert _phrases(words) == _phrases_joining_every_word(words)
