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

# A declaration block that hides its element.
HIDING = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?\s*(?:px|pt|em|rem|%)?"
    r"\s*(?:;|!|$)|(?:left|top|text-indent|margin-left)\s*:\s*-\d{3,}|opacity\s*:\s*0(?:\.0+)?"
    r"\s*(?:;|!|$)|(?:height|width)\s*:\s*0(?:px)?\s*;[^}]*overflow\s*:\s*hidden|"
    r"overflow\s*:\s*hidden[^}]*(?:height|width)\s*:\s*0(?:px)?\s*(?:;|$)|clip\s*:\s*rect\(\s*0",
    re.I,
)
# A rule starts only after a brace (or at the start) and its block cannot
# contain a brace: each character is then scanned a bounded number of times
# (linear), and an @media wrapper is skipped for the rules inside it.
CSS_RULE = re.compile(r"(?<![^{}])([^{}]+)\{([^{}]*)\}")
SIMPLE_SELECTOR = re.compile(r"^\s*([.#])([\w-]+)\s*$")
STYLE_OPEN = re.compile(r"<style", re.I)
STYLE_CLOSE = re.compile(r"</style>", re.I)


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
                if not HIDING.search(body):
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
        if HIDING.search(attrs.get("style", "")):
            return True
        if any(c in self.classes for c in attrs.get("class", "").split()):
            return True
        return attrs.get("id", "") in self.ids
