"""Endpoints named in JavaScript: literals, constant bases joined to paths, HTTP calls.

Resident APIs are seldom linked from a page; a bundle calls them, often as
``const API = "/api/v1"; fetch(API + "/warga?page=" + n)`` or through an axios
instance with a ``baseURL``. Tools such as LinkFinder (quoted paths), jsluice
(a real parser: call sites, concatenations, templates) and katana (scripts
during a crawl) taught what to look for; this reader is our own, sized for a
scanner that must stay linear on hostile bundles:

* One tokenising pattern finds comments, string, template and regex
  literals. Every alternative is possessive and, once started, always
  succeeds and consumes what it scanned (an unclosed string ends at the line,
  an unclosed comment or template at the end of the text), so no character is
  scanned twice by failed attempts. Comments are skipped: paths in them are
  not endpoints anyone calls.
* Around each literal only a bounded window (``_WINDOW`` characters) is read,
  by hand or with patterns anchored at one position: what joins it to the
  next literal (``+ n +``), what precedes it (``fetch(``, ``url:``,
  ``NAME =``), what follows it (``+ page``).
* Holes (template ``${…}``, identifiers not known as constants) are filled
  with the harmless example ``1``; an unknown *base* (``host + "/x"``) drops
  the candidate, since the base may name another origin.

A script is read up to ``MAX_SCRIPT_CHARS``; at most ``MAX_ENDPOINTS`` per
script are returned. Which origin an endpoint is on is the crawler's call.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

MAX_SCRIPT_CHARS = 4 * 1024 * 1024  # per script or source-map source
MAX_ENDPOINTS = 1000  # per script
MAX_VALUE = 2048  # an endpoint longer than this is not a URL anyone calls
MAX_PARTS = 16  # literals and holes joined into one value
MAX_BASES = 5  # axios baseURL values remembered per script
MAX_MAP_SOURCES = 200  # sources read from one source map
_WINDOW = 120  # characters read around a literal for its context

# Comments, strings, templates and regex literals. A regex literal must follow
# an operator or bracket (not an identifier: ``a / b / c`` is division), and
# its first character is part of the match, which is harmless: it is never a
# quote. Every repeat is possessive and every closer optional (see above).
_TOKEN = re.compile(
    r"""
    (?P<comment>(?<!\\)//[^\n]*+|/\*(?:[^*]++|\*(?!/))*+(?:\*/)?)
    |(?P<str>"(?:[^"\\\n]++|\\.)*+"?|'(?:[^'\\\n]++|\\.)*+'?)
    |(?P<tpl>`(?:[^`\\]++|\\[\s\S])*+`?)
    |(?P<regex>[(,=:\[!&|?{};]\s*+/(?![/*])(?:[^/\\\n\[]++|\\.|\[(?:[^\]\\\n]++|\\.)*+\]?)*+/?)
    """,
    re.X,
)
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([\s\S]))")
# What may stand between two literals of one value: ``+``, or ``+ hole +``
# where the hole is an identifier or member, maybe called with simple
# arguments (``encodeURIComponent(q)``). Used with fullmatch on a short gap.
_HOLE = r"[\w$.]{1,100}(?:\([^()]{0,60}\))?"
# Neither starts with white space: a pattern that did would rescan a long
# run of it from every position (the gap is stripped by hand instead).
_JOIN = re.compile(rf"\+\s*+(?:({_HOLE})\s*+\+)?")
_TAIL = re.compile(rf"\+\s*+({_HOLE})")
_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$.")
# A value must look like a URL or a path: no white space, quotes or markup.
# ``*``, ``$``, brackets and the like are left out of a path: in a script they
# mark a regex source ("/[a-z]*") or a replacement ("/$1"), not a URL.
_URL_SHAPE = re.compile(r"/[\w\-.~!&'()+,;=:@%/?#]*+")
_LETTER = re.compile(r"[A-Za-z]")
_SCHEME_URL = re.compile(r"https?://[\w\-.~%:\[\]]++(?:/[\w\-.~!$&'()*+,;=:@%/?#\[\]]*+)?")
_RELATIVE = re.compile(r"[\w\-.~]++(?:/[\w\-.~!$&'()*+,;=:@%/?#\[\]]*+)?")

# Call sites, as the text before the first literal reads with white space
# removed. GET-like ones may be requested; the others are listed, never called.
_GET_CALLS = ("fetch(", "axios(", ".get(", ".getJSON(", ".ajax(", ".load(", ".head(",
              "url:", "url=", "URL(", "EventSource(", ".request(",
              ".open('GET',", '.open("GET",', ".open(`GET`,", ".open('get',",
              '.open("get",')
_WRITE_CALLS = (".post(", ".put(", ".patch(", ".delete(", ".open('POST',",
                '.open("POST",', ".open('PUT',", '.open("PUT",', ".open('DELETE',",
                '.open("DELETE",')
_AXIOS_CALLS = (".get(", ".request(", ".head(", "axios(", "url:")
_JQUERY_CALLS = ("$.get(", "jQuery.get(", "$.ajax(", "$.getJSON(", ".load(")


@dataclass(frozen=True)
class JsEndpoint:
    """A URL or path a script names.

    ``how`` is ``call`` when it is the argument of a GET-like call (fetch,
    axios, jQuery, XMLHttpRequest ``open("GET", …)``, a ``url:`` option),
    ``write`` when the call would POST/PUT/DELETE (listed, never requested),
    and ``literal`` for a quoted path anywhere else.
    """

    value: str
    how: str


@dataclass
class _Literal:
    start: int
    end: int
    value: str  # unescaped; a template's holes are filled when it is read
    template: bool = False


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body

    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        return chr(int(code, 16)) if code else m.group(3)

    return _ESCAPE.sub(one, body)


def _fill_template(body: str, consts: dict[str, str]) -> str | None:
    """A template's text with every ``${…}`` replaced: by a known constant's
    value, else by ``1``. One pass that counts braces, so nested ``{}`` inside
    a hole end it where JS would. None when the template starts with a hole
    that is not a known constant: that base may name another origin."""
    if "${" not in body:
        return body
    out: list[str] = []
    i = 0
    while True:
        hole = body.find("${", i)
        if hole < 0:
            out.append(body[i:])
            break
        out.append(body[i:hole])
        depth, j = 1, hole + 2
        while j < len(body) and depth:
            ch = body[j]
            depth += 1 if ch == "{" else -1 if ch == "}" else 0
            j += 1
        inner = body[hole + 2 : j - 1].strip() if j - hole <= _WINDOW else ""
        known = _resolve(inner, consts) if inner else None
        if hole == 0 and known is None:
            return None
        out.append(known if known is not None else "1")
        i = j
    return "".join(out)


def _joined(text: str, start: int, end: int) -> bool:
    """Whether a ``+`` stands right before or after the literal at start:end."""
    return text[end : end + 8].lstrip().startswith("+") or \
        text[max(0, start - 8) : start].rstrip().endswith("+")


def _literals(text: str) -> list[_Literal]:
    """The string and template literals of ``text`` that can be (part of) an
    endpoint: those holding a ``/`` or joined to something by ``+``. The rest
    (most literals of a bundle) are dropped here, which keeps the per-literal
    work for what matters."""
    found: list[_Literal] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind != "str" and kind != "tpl":
            continue
        raw = m.group()
        closed = len(raw) >= 2 and raw[-1] == raw[0]
        body = raw[1:-1] if closed else raw[1:]
        if "/" not in body and not _joined(text, m.start(), m.end()):
            continue
        found.append(_Literal(m.start(), m.end(), _unescape(body), template=kind == "tpl"))
    return found


def _skip_space(text: str, pos: int) -> int:
    """The first position at or after ``pos`` that is not white space (within ``_WINDOW``)."""
    stop = min(len(text), pos + _WINDOW)
    while pos < stop and text[pos].isspace():
        pos += 1
    return pos


def _name_before(text: str, pos: int) -> tuple[str, str]:
    """(operator, name) when ``text`` just before ``pos`` reads ``name =`` or
    ``name:`` (an object key, quoted or not); ("", "") otherwise. Reads at most
    ``_WINDOW`` characters backwards."""
    low = max(0, pos - _WINDOW)
    i = pos - 1
    while i >= low and text[i].isspace():
        i -= 1
    if i < low or text[i] not in "=:":
        return "", ""
    op = text[i]
    if op == "=" and i > low and text[i - 1] in "=!<>+-*/%&|^?":
        return "", ""  # a comparison or a compound assignment, not a definition
    i -= 1
    while i >= low and text[i].isspace():
        i -= 1
    if i >= low and text[i] in "\"'":  # a quoted key: "baseURL": "/api"
        quote, end = text[i], i
        i -= 1
        while i >= low and text[i] != quote:
            i -= 1
        return (op, text[i + 1 : end]) if i >= low else ("", "")
    end = i + 1
    while i >= low and text[i] in _IDENT_CHARS:
        i -= 1
    name = text[i + 1 : end]
    return (op, name) if name else ("", "")


def _head_before(text: str, pos: int) -> tuple[str | None, int]:
    """The identifier a value starts with when ``text`` before ``pos`` reads
    ``ident +`` (not ``++``), and where that identifier starts."""
    low = max(0, pos - _WINDOW)
    i = pos - 1
    while i >= low and text[i].isspace():
        i -= 1
    if i < low or text[i] != "+" or (i > low and text[i - 1] == "+"):
        return None, pos
    i -= 1
    while i >= low and text[i].isspace():
        i -= 1
    end = i + 1
    while i >= low and text[i] in _IDENT_CHARS:
        i -= 1
    return (text[i + 1 : end] or "?"), i + 1


def _call_before(text: str, pos: int) -> tuple[str, bool]:
    """The call site the value is the argument of: ``call``, ``write`` or
    ``literal``, and whether an axios instance (or axios itself) makes it,
    so that a ``baseURL`` applies."""
    window = "".join(text[max(0, pos - 40) : pos].split())
    if window.endswith(_WRITE_CALLS):
        return "write", False
    if window.endswith(_GET_CALLS):
        jquery = window.endswith(_JQUERY_CALLS) or "$.ajax(" in window or "jQuery.ajax(" in window
        return "call", window.endswith(_AXIOS_CALLS) and not jquery
    return "literal", False


def _text_of(lit: _Literal, consts: dict[str, str]) -> str | None:
    return _fill_template(lit.value, consts) if lit.template else lit.value


def _resolve(name: str, consts: dict[str, str]) -> str | None:
    if name in consts:
        return consts[name]
    last = name.rsplit(".", 1)[-1]
    return consts.get(last)


def _shape(value: str, how: str) -> str | None:
    """``value`` if it looks like a URL or path worth listing, else None."""
    if not value or len(value) > MAX_VALUE or value in ("/", "//"):
        return None
    if value.startswith("//"):
        return value if _SCHEME_URL.fullmatch("http:" + value) else None
    if value.startswith(("http://", "https://")):
        return value if _SCHEME_URL.fullmatch(value) else None
    if value.startswith("/"):
        # at least one letter: "/1" is a hole, not a path
        return value if _URL_SHAPE.fullmatch(value) and _LETTER.search(value) else None
    # A relative path is an endpoint only as the argument of a call: elsewhere
    # "a/b" is as likely a MIME type or a date.
    if how != "literal" and _RELATIVE.fullmatch(value) and not value.startswith("."):
        return value
    return None


def endpoints(text: str) -> list[JsEndpoint]:
    """The endpoints ``text`` (a script) names, in order, without duplicates."""
    text = text[:MAX_SCRIPT_CHARS]
    lits = _literals(text)
    consts: dict[str, str] = {}
    bases: list[str] = []
    out: dict[str, JsEndpoint] = {}
    pending: list[tuple[str, str, str, bool]] = []  # (unresolved head, rest, how, axios)
    i = 0
    while i < len(lits) and len(out) < MAX_ENDPOINTS:
        first = lits[i]
        parts: list[str | None] = [_text_of(first, consts)]
        end = first.end
        j = i
        # Join literals while only "+" (or "+ hole +") stands between them.
        while j + 1 < len(lits) and len(parts) < MAX_PARTS:
            nxt = lits[j + 1]
            gap = text[end : nxt.start]
            m = _JOIN.fullmatch(gap.strip()) if len(gap) <= _WINDOW else None
            if m is None:
                break
            if m.group(1):
                parts.append(_resolve(m.group(1), consts) or "1")
            parts.append(_text_of(nxt, consts) or "1")
            end, j = nxt.end, j + 1
        i = j + 1
        if parts[0] is None:
            continue  # a template starting with an unknown base
        tail = _TAIL.match(text, _skip_space(text, end), min(len(text), end + _WINDOW))
        if tail is not None:
            parts.append(_resolve(tail.group(1), consts) or "1")
        value = "".join(p for p in parts if p is not None)
        head, start = _head_before(text, first.start)
        how, axios = _call_before(text, start)
        op, name = _name_before(text, start)
        if len(value) > MAX_VALUE:
            continue
        if head is not None:
            base = _resolve(head, consts)
            if base is None:
                pending.append((head, value, how, axios))
                continue
            value = base + value
        if op and name:
            consts[name] = value
            consts.setdefault(name.rsplit(".", 1)[-1], value)
            if name.rsplit(".", 1)[-1].lower() == "baseurl" and len(bases) < MAX_BASES:
                bases.append(value)
        if name.lower() == "url" and op == ":":
            how = "call"  # {url: "..."} is an ajax/axios option
        _add(out, value, how, bases if axios else [])
    # A base defined after its use (hoisted, or a module read out of order).
    for head, rest, how, axios in pending:
        base = _resolve(head, consts)
        if base is not None and len(out) < MAX_ENDPOINTS:
            _add(out, base + rest, how, bases if axios else [])
    return list(out.values())[:MAX_ENDPOINTS]


def _add(out: dict[str, JsEndpoint], value: str, how: str, bases: list[str]) -> None:
    """Keep ``value`` if it is shaped like an endpoint. A call an axios instance
    makes is kept joined to each ``baseURL`` (axios joins them, slash or not);
    the bare value too when it is a path of its own (a leading slash)."""
    absolute = value.startswith(("http://", "https://", "//"))
    candidates = [] if bases and not absolute and not value.startswith("/") else [value]
    if how == "call" and not absolute:
        candidates += [base.rstrip("/") + "/" + value.lstrip("/") for base in bases]
    for candidate in candidates:
        shaped = _shape(candidate, how)
        if shaped is None:
            continue
        known = out.get(shaped)
        if known is None or (known.how == "literal" and how != "literal"):
            out[shaped] = JsEndpoint(shaped, how)


def map_sources(body: bytes) -> list[tuple[str, str]]:
    """(source name, source text) pairs of a source map's ``sourcesContent``.

    Third-party code (``node_modules``, webpack's own runtime) is left out:
    its strings are the library's, not the site's endpoints, and it is most of
    a map's bytes. At most ``MAX_MAP_SOURCES`` sources are returned.
    """
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return []
    if not isinstance(doc, dict):
        return []
    names = doc.get("sources")
    contents = doc.get("sourcesContent")
    if not isinstance(contents, list):
        return []
    if not isinstance(names, list):
        names = []
    out: list[tuple[str, str]] = []
    for index, content in enumerate(contents):
        name = names[index] if index < len(names) and isinstance(names[index], str) else ""
        if not isinstance(content, str) or "node_modules/" in name or "webpack/" in name:
            continue
        out.append((name, content))
        if len(out) >= MAX_MAP_SOURCES:
            break
    return out
