"""Which elements a visitor cannot see: inline styles, ``hidden``, and simple
class/id rules in the page's ``<style>`` blocks.

Injected gambling links are usually wrapped in an element the visitor cannot
see (display:none, visibility:hidden, font-size:0, an off-screen position, a
zero-size box); the page model marks every piece of text and every link
inside one as hidden.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

MAX_STYLE_CHARS = 500_000  # page characters searched for <style> blocks

# A declaration that hides its element on its own.
HIDING = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?\s*(?:px|pt|em|rem|%)?"
    r"\s*(?:;|!|$)|(?:left|top|text-indent|margin-left)\s*:\s*-\d{3,}|opacity\s*:\s*0(?:\.0+)?"
    r"\s*(?:;|!|$)|clip\s*:\s*rect\(\s*0",
    re.I,
)
# Two declarations that hide together, in either order within one block: a
# zero-size box whose overflow is hidden. Searched as two simple patterns
# (``_box_hides``): one pattern with ``[^}]*`` between them rescanned the rest
# of the block from every ``height:0;`` (31 s for a 288 KB style attribute).
ZERO_BOX = re.compile(r"(?:height|width)\s*:\s*0(?:px)?\s*;", re.I)
ZERO_BOX_AT_END = re.compile(r"(?:height|width)\s*:\s*0(?:px)?\s*(?:;|$)", re.I)
OVERFLOW_HIDDEN = re.compile(r"overflow\s*:\s*hidden", re.I)
# A rule starts only after a brace (or at the start) and its block cannot
# contain a brace: each character is then scanned a bounded number of times
# (linear), and an @media wrapper is skipped for the rules inside it.
CSS_RULE = re.compile(r"(?<![^{}])([^{}]+)\{([^{}]*)\}")
SIMPLE_SELECTOR = re.compile(r"^\s*([.#])([\w-]+)\s*$")
STYLE_OPEN = re.compile(r"<style", re.I)
STYLE_CLOSE = re.compile(r"</style>", re.I)


def _box_hides(css: str) -> bool:
    """A zero height or width and ``overflow:hidden`` with no ``}`` between them.

    Per ``}``-free stretch only the leftmost first half is tried: a later one
    ends later, so it cannot find a second half the leftmost one missed. Each
    character is then searched a bounded number of times.
    """
    for first, second in ((ZERO_BOX, OVERFLOW_HIDDEN), (OVERFLOW_HIDDEN, ZERO_BOX_AT_END)):
        at = 0
        while (m := first.search(css, at)) is not None:
            stop = css.find("}", m.end())
            if stop < 0:  # the last stretch: "$" may match at the very end
                if second.search(css, m.end()):
                    return True
                break
            then = ZERO_BOX if second is ZERO_BOX_AT_END else second
            if then.search(css, m.end(), stop):
                return True
            at = stop + 1
    return False


def hides(css: str) -> bool:
    """Whether a declaration block (or a ``style`` attribute) hides its element."""
    return HIDING.search(css) is not None or _box_hides(css)


def style_blocks(html: str) -> list[str]:
    """The contents of every <style> element, found by literal search.

    A pattern like ``<style[^>]*>(.*?)</style>`` rescans the rest of the page
    from every unclosed ``<style``: quadratic on a page of repeated ``<style``.
    Here each character is looked at a bounded number of times.
    """
    blocks: list[str] = []
    at = 0
    while (opened := STYLE_OPEN.search(html, at)) is not None:
        open_end = html.find(">", opened.end())
        closed = STYLE_CLOSE.search(html, open_end) if open_end >= 0 else None
        if closed is None:
            break  # no later block can be closed either
        blocks.append(html[open_end + 1 : closed.start()])
        at = closed.end()
    return blocks


@dataclass(frozen=True)
class HidingRules:
    """Class names and ids whose style-sheet rule hides the element."""

    classes: frozenset[str] = field(default_factory=frozenset)
    ids: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, html: str) -> HidingRules:
        classes: set[str] = set()
        ids: set[str] = set()
        for css in style_blocks(html[:MAX_STYLE_CHARS]):
            for selectors, body in CSS_RULE.findall(css):
                if not hides(body):
                    continue
                for selector in selectors.split(","):
                    m = SIMPLE_SELECTOR.match(selector)
                    if m:
                        (classes if m.group(1) == "." else ids).add(m.group(2))
        return cls(frozenset(classes), frozenset(ids))

    def hides(self, tag: str, attrs: Mapping[str, str]) -> bool:
        """Whether this element hides itself and what it contains."""
        if "hidden" in attrs or tag == "template":
            return True
        if hides(attrs.get("style", "")):
            return True
        if any(c in self.classes for c in attrs.get("class", "").split()):
            return True
        return attrs.get("id", "") in self.ids
