"""Make hostile HTML safe for the standard library's tolerant parser.

:class:`html.parser.HTMLParser` is quadratic on some malformed input (a page
of ``<a `` with no ``>`` takes a minute at 60 KB) and every page is hostile
input, so the text first goes through :func:`defuse`, a linear pass that turns
every ``<`` that cannot start a complete construct into ``&lt;``.
"""

from __future__ import annotations

import re

_MARKUP_OPEN = re.compile(r"<[a-zA-Z/!?]")


def defuse(html: str) -> str:
    """``html`` with every ``<`` escaped that does not open a complete construct.

    A tag is complete when its ``>`` comes before the next ``<``; a comment
    when a ``-->`` follows. Anything else (``<a <a <a``, an unclosed ``<!--``)
    is what makes :class:`html.parser.HTMLParser` rescan the rest of the page
    once per ``<``. Every search below starts where the previous one ended or
    stops at the next ``<``, so the pass is linear in the length of ``html``.
    """
    out: list[str] = []
    last = 0
    next_gt = next_close = -2  # cached positions: -2 unknown, -1 none left
    for m in _MARKUP_OPEN.finditer(html):
        i = m.start()
        if html.startswith("<!--", i):
            if next_close != -1 and next_close < i:
                next_close = html.find("-->", i + 4)
            if next_close >= 0:
                continue
        else:
            if next_gt != -1 and next_gt < i:
                next_gt = html.find(">", i)
            if next_gt >= 0 and html.find("<", i + 1, next_gt) < 0:
                continue
        out.append(html[last:i])
        out.append("&lt;")
        last = i + 1
    if not out:
        return html
    out.append(html[last:])
    return "".join(out)
