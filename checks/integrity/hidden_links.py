"""integrity.hidden_links"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.cloaking import CloakingViews
from egov_audit.probes.crawl import Crawl

from ._page import domain
from ._sources import grouped, pages, verdict
from .gambling_spam import CLEANUP

# Sites every government page legitimately links to from (often hidden) menus.
_COMMON = frozenset({
    "facebook.com", "instagram.com", "twitter.com", "x.com", "youtube.com", "tiktok.com",
    "linkedin.com", "wa.me", "whatsapp.com", "t.me", "google.com", "goo.gl", "maps.app.goo.gl",
})
MIN_LINKS, MIN_DOMAINS = 5, 3


@check(
    id="integrity.hidden_links",
    title="Pages contain hidden blocks of links to other sites (SEO link injection)",
    severity=Severity.MEDIUM,
    cwe=(506,),
    needs=(Crawl, CloakingViews),
    judges=Judged.HTML_PAGES,
    confidence=Confidence.TENTATIVE,
    remediation=CLEANUP,
    references=("https://developers.google.com/search/docs/essentials/spam-policies#hidden-text-and-links",),
    tags=("seo-spam",),
)
def hidden_links(ctx: CheckContext) -> Iterator[Issue]:
    """Links visitors cannot see (hidden, off-screen, zero-size, or scrolling in a
    marquee) pointing at many unrelated domains are how link-selling injections
    look when they are not gambling; a person should confirm. Pages already
    reported as gambling spam are not repeated here."""
    for url, seen in grouped(pages(ctx.get(Crawl), ctx.get(CloakingViews))).items():
        for s in seen:
            hidden = [ln for ln in s.page.external_links() if ln.hidden or ln.marquee]
            domains = sorted({domain(ln.url) for ln in hidden} - _COMMON)
            if len(hidden) < MIN_LINKS or len(domains) < MIN_DOMAINS or verdict(s.response).spam:
                continue
            yield Issue(
                location=url,
                key=url,
                evidence=(f"{len(hidden)} hidden or <marquee> links on {url} (as {s.view}) to "
                          f"{len(domains)} domains: {', '.join(domains[:10])}; e.g. "
                          + "; ".join(f"{ln.text or '(no text)'} → {ln.url}" for ln in hidden[:3])),
                details={"links": [ln.url for ln in hidden[:50]], "domains": domains},
            )
            break
