"""Server text made safe to print on a terminal or into a CI log.

A scanned server controls URLs, header values, titles and the messages of the
errors it provokes. Printed raw, an ``ESC ] 0 ;`` sets the window title,
``ESC [ 2 J`` clears the screen, ``ESC ] 8 ;;`` hides a link behind innocent
text, a newline followed by "ALL CLEAR" forges a line of our own output, and a
U+202E reverses what follows. CI log viewers interpret most of these too.

:func:`clean` turns every such character into a visible escape (``\\x1b``,
``\\u202e``, ``\\n``) so the text reads the same and can do nothing. What
counts as dangerous: C0 and C1 controls and DEL (the escape sequences all
start with one), Unicode format characters (bidi overrides and isolates,
zero-width characters, the BOM), line and paragraph separators, lone
surrogates and private-use characters. :func:`plain` additionally escapes
rich's markup, for text that rich prints.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# Categories no honest URL, header or title needs to show raw: controls (Cc),
# format characters (Cf: bidi, zero-width, soft hyphen), separators that end a
# line (Zl, Zp), surrogates (Cs) and private use (Co), and unassigned code points
# (Cn) that a future terminal might give a meaning.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _escape(char: str) -> str:
    point = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    if char == "\t":
        return "\\t"
    if point <= 0xFF:
        return f"\\x{point:02x}"
    if point <= 0xFFFF:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"


def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


# A fast path: most text is printable ASCII and needs no per-character look-up.
_PRINTABLE_ASCII = re.compile(r"[ -~]*")


def clean(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with every control, escape and invisible format character made visible.

    Single-line fields (URLs, titles, reasons) escape newlines too, so a value
    cannot start a line of its own; ``keep_newlines`` is for multi-line messages
    that we wrote ourselves and that merely quote server text.
    """
    value = str(text)
    if _PRINTABLE_ASCII.fullmatch(value):
        return value
    out = []
    for char in value:
        if keep_newlines and char == "\n":
            out.append(char)
        elif _unsafe(char):
            out.append(_escape(char))
        else:
            out.append(char)
    return "".join(out)


def plain(text: object) -> str:
    """``clean`` text that rich prints as it is: ``[bold]`` stays literal."""
    from rich.markup import escape

    return escape(clean(text))


def json_text(data: Any) -> str:
    """Indented JSON for a terminal: still valid JSON, with no raw control or format char.

    ``ensure_ascii=False`` keeps Indonesian text readable but would pass C1
    controls and bidi overrides through raw; they only occur inside strings,
    where ``\\uXXXX`` is the same character to any JSON reader.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(_json_char(c) for c in text)


def _json_char(char: str) -> str:
    if char <= "~" or not _unsafe(char):
        return char  # json.dumps already escaped the C0 controls
    point = ord(char)
    if point <= 0xFFFF:
        return f"\\u{point:04x}"
    # Beyond the BMP JSON spells a character as its UTF-16 surrogate pair.
    point -= 0x10000
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"
