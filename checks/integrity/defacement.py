"""integrity.defacement"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.cloaking import CloakingViews
from egov_audit.probes.crawl import Crawl

from ._lexicon import defacement as markers
from ._sources import grouped, pages
from .gambling_spam import CLEANUP


@check(
    id="integrity.defacement",
    title="A page shows defacement markers (\"hacked by ...\")",
    severity=Severity.HIGH,
    cwe=(506,),
    needs=(Crawl, CloakingViews),
    judges=Judged.HTML_PAGES,
    confidence=Confidence.FIRM,
    remediation=CLEANUP,
    references=("https://www.bssn.go.id/",),
    tags=("compromise",),
)
def defacement(ctx: CheckContext) -> Iterator[Issue]:
    """A defacer's signature in a page's title, or several in its text, means an
    attacker has write access to the site. A single "hacked by" in an article is
    not enough."""
    terms = markers()
    for url, seen in grouped(pages(ctx.get(Crawl), ctx.get(CloakingViews))).items():
        for s in seen:
            in_title = terms.count(s.page.title)
            in_body = terms.count(s.page.visible + " " + s.page.hidden)
            if not in_title and len(in_body) < 2:
                continue
            found = sorted(set(in_title) | set(in_body))
            yield Issue(
                location=url,
                key=url,
                evidence=(f"{url} (as {s.view}): title {s.page.title[:120]!r}; markers: "
                          f"{', '.join(found)}"),
                details={"markers": found, "title": s.page.title[:200]},
            )
            break
