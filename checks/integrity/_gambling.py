"""Scoring a page for injected online-gambling spam.

Single words prove nothing (a news article about judi online is full of
them), so the verdict adds up independent signals:

* hidden block — gambling terms inside hidden or <marquee> elements, with a
  link out (the pattern BSSN found in 68 of 78 examined defacements);
* gambling links — outbound links whose text or address is a gambling term;
* title/meta — gambling terms in the title or meta description/keywords;
* density — many distinct strong terms per 100 visible words;
* outbound link density — a wall of links to many foreign domains.

Talking *about* gambling (police, blocking, warnings: the ``context`` list)
cancels the visible-text signals, never the hidden-block or link signals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ._lexicon import gambling
from ._page import Link, Page, domain

THRESHOLD = 8.0
_WORD = re.compile(r"\w+")


@dataclass
class Verdict:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    hidden_block: bool = False

    @property
    def spam(self) -> bool:
        return self.score >= THRESHOLD

    def add(self, points: float, reason: str) -> None:
        self.score += points
        self.reasons.append(reason)


def gambling_link(link: Link) -> bool:
    lex = gambling()
    return bool(lex.strong.count(link.text) or lex.strong.count(link.url)
                or re.search(r"(?i)slot|togel|judi|casino|sbobet|poker|toto", link.url.split("?")[0]
                             .split("//", 1)[-1].split("/", 1)[0]))


def judge(page: Page) -> Verdict:
    lex = gambling()
    v = Verdict()
    external = page.external_links()

    hidden_strong = lex.strong.count(page.hidden)
    hidden_links = [ln for ln in external if ln.hidden or ln.marquee]
    if sum(hidden_strong.values()) >= 2 or (hidden_strong and hidden_links):
        v.hidden_block = True
        v.add(10, f"{sum(hidden_strong.values())} gambling terms in hidden or <marquee> "
                  f"elements with {len(hidden_links)} outbound links")
        v.terms.extend(t for t, _ in hidden_strong.most_common(8))

    glinks = [ln for ln in external if gambling_link(ln)]
    if glinks:
        v.add(10 if len(glinks) >= 3 else 3,
              f"{len(glinks)} outbound links to gambling sites "
              f"({len({domain(ln.url) for ln in glinks})} domains)")
        v.links.extend(ln.url for ln in glinks[:10])

    words = len(_WORD.findall(page.visible)) or 1
    visible_strong = lex.strong.count(page.visible)
    context = sum(lex.context.count(page.visible + " " + page.title).values())
    textual = 0.0
    heading = lex.strong.count(" ".join([page.title, *page.meta.values()]))
    if heading:
        textual += 6
        v.reasons.append(f"gambling terms in the title/meta: {', '.join(sorted(heading))}")
    density = 100 * sum(visible_strong.values()) / words
    if len(visible_strong) >= 3 and density >= 1.5:
        textual += 6
        v.reasons.append(f"{len(visible_strong)} distinct gambling terms, "
                         f"{density:.1f} per 100 words")
    elif len(visible_strong) >= 2 and density >= 0.8:
        textual += 3
        v.reasons.append(f"{len(visible_strong)} distinct gambling terms in the text")
    if textual and context >= 3:
        v.reasons.append(f"text signals discounted: the page talks about gambling "
                         f"({context} news/enforcement terms)")
        textual = 0
    if textual:
        v.score += textual
        v.terms.extend(t for t, _ in (visible_strong + heading).most_common(8))

    domains = {domain(ln.url) for ln in external}
    if len(external) >= 15 and len(external) >= 0.6 * max(1, len(page.links)) and len(domains) >= 8:
        v.add(2, f"{len(external)} of {len(page.links)} links leave the site "
                 f"({len(domains)} domains)")
    v.terms = list(dict.fromkeys(v.terms))
    return v
