"""No regex backtracks super-linearly on what a server sent.

Every compiled pattern reachable from the check families and the crawler is
found programmatically (module constants, rule files loaded into RULES, data
files behind loaders), so a rule added tomorrow is covered without touching
this file. Each pattern gets hostile inputs built from its own syntax tree: a
partial match (the pattern's prefix, every repeat expanded) repeated, joined
by separators, or followed by a long run of its last character. Those are the
shapes that make a backtracking engine rescan the rest of the text from every
start. Time at n and 4n must grow about linearly (4x; a quadratic pattern
grows 16x); the bound is generous and re-measured before it fails.

Then hypothesis property tests for the parsers of untrusted input: no
exception and bounded output on any text.

The pii checks are left out here, and so are the surface patterns of
egov_audit.pii.patterns: some run only with ``.match()`` at an anchor (the
e-mail domain after an ``@``), and tests/redaction/test_linear_time.py and
tests/pii/test_extract_linear.py attack them the way they are used. The pii
readers whose patterns run with ``finditer`` over a whole document (tables,
HTML cells and attributes, SQL dumps, text tables, the detector's own) are
attacked here like every other pattern (PII_MODULES).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import egov_audit.checks
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import egov_audit.page
from egov_audit.probes import crawl as crawl_probe
from egov_audit.probes import html_links
from tests.cpu_clock import cpu_seconds

try:  # the private parser module of CPython's re, for the attack builder
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older layout
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

SKIPPED = ("egov_audit.checks.pii",)
PII_MODULES = ("egov_audit.pii.detect", "egov_audit.pii.tables", "egov_audit.pii.html_tables",
               "egov_audit.pii.html_grids",
               "egov_audit.pii.sql_inserts", "egov_audit.pii.text_tables",
               "egov_audit.pii.masked", "egov_audit.pii.extract",
               "egov_audit.pii.json_values", "egov_audit.pii.json_depth",
               "egov_audit.pii.json_columns", "egov_audit.pii.json_labels",
               "egov_audit.pii.csv_grid")
PROBE_MODULES = ("crawl", "html_links", "paths", "soft404", "site", "cloaking", "error_pages",
                 "securitytxt", "cors", "methods", "seeds", "crawl_state", "js_endpoints",
                 "openapi", "listing", "pagination", "site_map", "script_discovery",
                 "api_discovery", "technology")
N = 32 * 1024  # hostile input sizes: N and 4N characters
GROWTH = 8.0  # allowed t(4N)/t(N); linear is ~4, quadratic ~16
FLOOR = 0.01  # seconds at 4N under which growth is timer noise, not a hazard


# -- discovery -------------------------------------------------------------------------------

def _walk(obj: Any, where: str, found: dict[tuple[Any, int], str], depth: int = 0) -> None:
    if isinstance(obj, re.Pattern):
        found.setdefault((obj.pattern, obj.flags), where)
    elif depth > 4 or isinstance(obj, str | bytes | type):
        return
    elif isinstance(obj, tuple | list | frozenset | set):
        for i, item in enumerate(obj):
            _walk(item, f"{where}[{i}]", found, depth + 1)
    elif isinstance(obj, dict):
        for key, item in obj.items():
            _walk(item, f"{where}[{key!r}]", found, depth + 1)
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            _walk(getattr(obj, f.name), f"{where}.{f.name}", found, depth + 1)


def _loaders() -> Iterator[tuple[str, Any]]:
    """Patterns that data files define behind cached loaders, not in constants."""
    from egov_audit.checks.errors._signatures import signatures
    from egov_audit.checks.integrity import _lexicon

    yield "errors.signatures()", signatures()
    yield "integrity.gambling()", _lexicon.gambling()
    yield "integrity.defacement()", _lexicon.defacement()


def discover() -> dict[tuple[Any, int], str]:
    names = [m.name for m in pkgutil.walk_packages(egov_audit.checks.__path__,
                                                   "egov_audit.checks.")]
    names += [f"egov_audit.probes.{name}" for name in PROBE_MODULES]
    names += list(PII_MODULES)
    # The parsed-page model reads every page a server sends: all of its modules.
    names += [m.name for m in pkgutil.walk_packages(egov_audit.page.__path__, "egov_audit.page.")]
    found: dict[tuple[Any, int], str] = {}
    for name in names:
        if name.startswith(SKIPPED):
            continue
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            _walk(value, f"{name}.{attr}", found)
    for where, value in _loaders():
        _walk(value, where, found)
    return found


PATTERNS = discover()


def test_discovery_sees_the_rule_files() -> None:
    # The secret rules, path rules and error signatures are data: they must be here.
    where = " ".join(PATTERNS.values())
    assert "checks.secrets.RULES" in where
    assert "checks.exposure.RULES" in where and "checks.integrity.RULES" in where
    assert "errors.signatures()" in where
    assert len(PATTERNS) > 100


# -- hostile inputs from a pattern's own syntax -----------------------------------------------

_CATEGORY_SAMPLE = {sre.CATEGORY_DIGIT: "1", sre.CATEGORY_SPACE: " ", sre.CATEGORY_WORD: "a",
                    sre.CATEGORY_NOT_DIGIT: "a", sre.CATEGORY_NOT_SPACE: "a",
                    sre.CATEGORY_NOT_WORD: "-"}
_REPEAT = 24  # how often an unbounded repeat is expanded in a sample


def _in_class(items: list[tuple[Any, Any]]) -> str:
    negate = bool(items) and items[0][0] is sre.NEGATE
    members = items[1:] if negate else items

    def inside(ch: str) -> bool:
        for op, av in members:
            if op is sre.LITERAL and ord(ch) == av:
                return True
            if op is sre.RANGE and av[0] <= ord(ch) <= av[1]:
                return True
            if op is sre.CATEGORY and _CATEGORY_SAMPLE.get(av) is not None:
                probe = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s",
                         sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_DIGIT: r"\D",
                         sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_NOT_WORD: r"\W"}[av]
                if re.fullmatch(probe, ch):
                    return True
        return False

    for ch in "a0A-. \n<x/=\"'":
        if inside(ch) != negate:
            return ch
    return "a"


def _sample(seq: Any) -> str:
    out: list[str] = []
    for op, av in seq:
        if op is sre.LITERAL:
            out.append(chr(av))
        elif op is sre.NOT_LITERAL:
            out.append("b" if av == ord("a") else "a")
        elif op is sre.IN:
            out.append(_in_class(list(av)))
        elif op is sre.ANY:
            out.append("a")
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, sub = av
            count = max(low, _REPEAT) if high is sre.MAXREPEAT else min(high, max(low, _REPEAT))
            out.append(_sample(sub) * count)
        elif op is sre.SUBPATTERN:
            out.append(_sample(av[-1]))
        elif op is sre.BRANCH:
            out.append(_sample(av[1][0]))
        elif op is sre.CATEGORY:
            out.append(_CATEGORY_SAMPLE.get(av, "-"))
    return "".join(out)


def _alternatives(tree: Any) -> list[list[Any]]:
    items = list(tree)
    while len(items) == 1 and items[0][0] is sre.SUBPATTERN:
        items = list(items[0][1][-1])
    if len(items) == 1 and items[0][0] is sre.BRANCH:
        return [list(alt) for alt in items[0][1][1]]
    return [items]


def partial_matches(pattern: str | bytes, flags: int) -> list[str]:
    """Prefixes of what the pattern matches, one per cut of each alternative."""
    text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
    tree = sre_parse.parse(text, flags & ~re.ASCII if isinstance(pattern, str) else flags)
    out: set[str] = set()
    for alternative in _alternatives(tree):
        for cut in range(1, len(alternative) + 1):
            sample = _sample(alternative[:cut])
            if sample:
                out.add(sample)
    return sorted(out, key=len)[:10]


def attacks(pattern: str | bytes, flags: int, size: int) -> Iterator[tuple[str, str]]:
    for part in partial_matches(pattern, flags):
        for sep in ("", "\n", "-"):
            unit = part + sep
            yield f"{unit[:40]!r} repeated", (unit * (size // len(unit) + 1))[:size]
        yield f"{part[:40]!r} + its last char", (part + part[-1] * size)[:size]
    for unit in ("a-", "<a ", "a.", " \n", "<style", "-----BEGIN PRIVATE KEY-----\n"):
        yield f"{unit!r} repeated", (unit * (size // len(unit) + 1))[:size]


def _time(pattern: re.Pattern[Any], text: str | bytes, repeat: int = 1) -> float:
    def scan() -> None:
        for _m in pattern.finditer(text):  # type: ignore[arg-type]
            pass

    return min(cpu_seconds(scan) for _ in range(repeat))


@pytest.mark.parametrize("key", list(PATTERNS), ids=[PATTERNS[k] for k in PATTERNS])
def test_pattern_time_grows_linearly_on_hostile_input(key: tuple[Any, int]) -> None:
    source, flags = key
    pattern = re.compile(source, flags)
    for label, text in attacks(source, flags, 4 * N):
        data: str | bytes = text.encode("latin-1", "replace") if isinstance(source, bytes) \
            else text
        big = _time(pattern, data)
        if big < FLOOR:
            continue
        small = _time(pattern, data[:N])
        if big <= GROWTH * small:
            continue
        # Suspicious: measure again, best of five, before calling it quadratic.
        big, small = _time(pattern, data, 5), _time(pattern, data[:N], 5)
        assert big < FLOOR or big <= GROWTH * max(small, FLOOR / 4), (
            f"{PATTERNS[key]}: {label}: {small:.4f}s at {N} chars, {big:.4f}s at {4 * N}"
        )


def test_the_growth_check_catches_a_quadratic_pattern() -> None:
    # The old private_key rule: a BEGIN line repeated without END rescans the rest.
    source = r"-----BEGIN PRIVATE KEY-----[\s\S]{40,}?-----END PRIVATE KEY-----"
    pattern = re.compile(source)
    text = "-----BEGIN PRIVATE KEY-----\n" * (N // 28)
    assert _time(pattern, text, 3) > GROWTH * _time(pattern, text[: N // 4], 3)


# -- property tests of the parsers of untrusted input -----------------------------------------

HOSTILE_HTML = st.lists(
    st.sampled_from(["<a ", '<a href="/x">', "</a>", "<!--", "-->", "<script>", "</script>",
                     "<style>", "<form action='/f'>", "<input name=n>", "</form>",
                     "<base href=/b/>",
                     '"', "'", ">", "<", "&#", "&amp;", "\x00", "\ufffd", "<![CDATA[", "<?",
                     "<iframe src=//127.0.0.2/>", "<link rel=stylesheet href=s.css>"])
    | st.text(max_size=20),
    max_size=200,
).map("".join)
PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(HOSTILE_HTML)
def test_link_extraction_never_raises_and_is_bounded(page: str) -> None:
    found = html_links.extract(page, "http://127.0.0.1/")
    assert found.count <= html_links.MAX_LINKS
    assert all(len(u) <= html_links.MAX_URL_LENGTH + 200 for u in found.links)


@PROPERTY
@given(HOSTILE_HTML)
def test_defuse_only_escapes(page: str) -> None:
    safe = html_links.defuse(page)
    assert safe.replace("&lt;", "<") == page.replace("&lt;", "<")
    assert len(safe) <= 4 * len(page)


@PROPERTY
@given(st.lists(st.sampled_from(["Disallow: /a", "Allow: /b", "Sitemap: /s.xml", "sitemap:",
                                 "User-agent: *", "", "\r", ":", "disallow:\t/c d"])
                | st.text(max_size=30), max_size=300).map("\n".join))
def test_robots_parsing_never_raises_and_is_bounded(text: str) -> None:
    entries, _capped = crawl_probe.robots_entries(text)
    assert len(entries) <= crawl_probe.SEEDS_MAX
    assert all(" " not in a and " " not in s for a, s in entries)


@PROPERTY
@given(st.text(max_size=2000))
def test_web_header_parsers_never_raise(value: str) -> None:
    from egov_audit.checks._web import cookies, csp, hsts
    from egov_audit.checks.hygiene._securitytxt import parse_security_txt
    from egov_audit.checks.integrity._page import parse, style_blocks

    csp.parse_header([value, value])
    hsts.parse_hsts(value, "https://127.0.0.1/")
    cookies.parse_set_cookie(value, "https://127.0.0.1/")
    parse_security_txt(value)
    assert len(style_blocks(value)) <= value.lower().count("<style") + 1
    parse(value, "http://127.0.0.1/")

