"""integrity.gambling_spam"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.cloaking import CloakingViews
from egov_audit.probes.crawl import Crawl

from ._gambling import THRESHOLD
from ._sources import grouped, pages, verdict

CLEANUP = """
    Treat it as a compromise, not a content error:
      1. Take a copy of the site and its logs for investigation; report to BSSN/CSIRT
         (Peraturan BSSN 1/2024) and, if personal data may be affected, assess UU PDP
         Pasal 46 notification.
      2. Find how the spam got in: webshells and unknown PHP files in upload folders,
         recently modified theme/plugin files, new admin accounts, cron jobs, .htaccess
         rewrites keyed on User-Agent or Referer.
      3. Clean or rebuild from a known-good source, update CMS/plugins/PHP, rotate every
         password (CMS, database, hosting panel, FTP/SSH), and remove the injected URLs
         from search results (Search Console removals, then request review).
"""


@check(
    id="integrity.gambling_spam",
    title="Pages carry injected online-gambling (judi online) spam",
    severity=Severity.HIGH,
    cwe=(506, 912),
    needs=(Crawl, CloakingViews),
    judges=Judged.HTML_PAGES,
    confidence=Confidence.FIRM,
    remediation=CLEANUP,
    references=(
        "https://developers.google.com/search/docs/monitor-debug/security/hacked-spam",
        "https://web.dev/articles/hacked",
    ),
    tags=("seo-spam", "compromise"),
)
def gambling_spam(ctx: CheckContext) -> Iterator[Issue]:
    """Injected judi online links and pages on government domains mean an attacker
    can change the site (usually through a webshell or a stolen CMS password);
    the same access can steal data, and the spam abuses the domain's reputation
    to promote illegal gambling. Scored on hidden blocks, gambling links,
    title/meta and term density; pages that only talk about gambling (news,
    warnings) do not trip it."""
    for url, seen in grouped(pages(ctx.get(Crawl), ctx.get(CloakingViews))).items():
        verdicts = [(s, verdict(s.response)) for s in seen]
        spam = [(s, v) for s, v in verdicts if v.spam]
        if not spam:
            continue
        _, v = max(spam, key=lambda sv: sv[1].score)
        views = sorted({x.view for x, _ in spam})
        clean_views = sorted({x.view for x, vv in verdicts if not vv.spam} - set(views))
        lines = [f"Gambling spam on {url} (score {v.score:.0f}, threshold {THRESHOLD:.0f}); "
                 f"seen as: {', '.join(views)}"]
        if clean_views:
            lines.append(f"not seen as: {', '.join(clean_views)} (content differs by visitor)")
        lines += [f"- {r}" for r in v.reasons]
        if v.terms:
            lines.append(f"terms: {', '.join(v.terms[:10])}")
        if v.links:
            lines.append(f"links: {', '.join(v.links[:5])}")
        yield Issue(
            location=url,
            key=url,
            evidence="\n".join(lines),
            details={"score": v.score, "reasons": v.reasons, "terms": v.terms,
                     "links": v.links, "views": views, "hidden_block": v.hidden_block},
        )
