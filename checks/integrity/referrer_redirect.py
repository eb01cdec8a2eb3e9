"""integrity.referrer_redirect"""

from __future__ import annotations

import re
from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.crawl import Crawl

from ._sources import parsed
from .gambling_spam import CLEANUP

_REFERRER = re.compile(r"document\s*\.\s*referrer|document\[['\"]referrer['\"]\]")
_ENGINE = re.compile(r"(?i)google|bing|yahoo|yandex|duckduckgo|baidu|search")
_NAVIGATE = re.compile(
    r"(?:window\.|top\.|self\.|document\.)?location(?:\.href)?\s*=(?!=)|"
    r"location\.(?:replace|assign)\s*\(|window\.open\s*\("
)
WINDOW = 400


def referrer_redirect_at(script: str) -> str | None:
    """The code fragment that redirects visitors depending on the search engine
    they came from, if any."""
    for m in _REFERRER.finditer(script):
        lo, hi = max(0, m.start() - WINDOW), m.end() + WINDOW
        window = script[lo:hi]
        if _ENGINE.search(window) and _NAVIGATE.search(window):
            return " ".join(script[max(0, m.start() - 80) : m.end() + 160].split())
    return None


@check(
    id="integrity.referrer_redirect",
    title="A script redirects visitors arriving from search engines (referrer-keyed redirect)",
    severity=Severity.HIGH,
    cwe=(506, 601),
    needs=(Crawl,),
    judges=Judged.HTML_PAGES,
    confidence=Confidence.FIRM,
    remediation=CLEANUP,
    references=("https://developers.google.com/search/docs/essentials/spam-policies#sneaky-redirects",),
    tags=("seo-spam", "compromise"),
)
def referrer_redirect(ctx: CheckContext) -> Iterator[Issue]:
    """Injected JavaScript that reads document.referrer and sends visitors coming
    from Google elsewhere hijacks the site's search traffic (typically to gambling
    sites) while the owner, typing the address, never sees it."""
    crawl = ctx.get(Crawl)
    sources = [(r.final_url, parsed(r).scripts) for r in crawl.pages]
    sources += [(r.final_url, [r.text]) for r in crawl.scripts]
    for url, scripts in sources:
        for script in scripts:
            fragment = referrer_redirect_at(script)
            if fragment:
                yield Issue(location=url, key=url,
                            evidence=f"script in {url}: …{fragment[:300]}…",
                            details={"fragment": fragment[:500]})
                break
