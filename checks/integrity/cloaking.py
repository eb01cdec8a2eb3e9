"""integrity.cloaking"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Reason, Severity
from egov_audit.probes.cloaking import CloakingViews, PageViews
from egov_audit.probes.http import HttpResponse

from ._gambling import gambling_link
from ._page import Page, domain
from ._sources import VIEW_LABELS, parsed, verdict
from .gambling_spam import CLEANUP

MIN_NEW_DOMAINS = 3
_NUMBER = re.compile(r"\d+")


def _landing(resp: HttpResponse) -> str:
    """Where the visitor ends up: the off-scope target we did not follow, or the final URL."""
    return resp.left_scope or resp.final_url


def _fold(text: str) -> str:
    """Text as compared between views: spacing, case and numbers folded. A
    clock, a visitor counter or a cache-busting number in a title changes
    between any two requests; injected titles differ in words."""
    return _NUMBER.sub("0", " ".join(text.split()).lower())


def differences(base: HttpResponse, other: HttpResponse) -> list[str]:
    """Material differences between the browser's view and another view."""
    if not (base.ok and other.ok):
        return []
    a, b = _landing(base), _landing(other)
    if urlsplit(a).hostname != urlsplit(b).hostname:
        return [f"redirects to {b} (a browser lands on {a})"]
    if not (base.status == 200 and other.status == 200):
        return []  # e.g. a firewall refusing a fake Googlebot: not cloaking
    pa, pb = parsed(base), parsed(other)
    diffs = []
    if _fold(pa.title) != _fold(pb.title):
        diffs.append(f"title {pb.title!r} (a browser sees {pa.title!r})")
    for name in ("description", "keywords"):
        if _fold(pa.meta.get(name, "")) != _fold(pb.meta.get(name, "")):
            diffs.append(f"meta {name} {pb.meta.get(name, '')[:120]!r} "
                         f"(a browser sees {pa.meta.get(name, '')[:120]!r})")
    diffs += _link_differences(pa, pb)
    if verdict(other).spam and not verdict(base).spam:
        diffs.append("gambling spam present only in this view")
    return diffs


def _link_differences(pa: Page, pb: Page) -> list[str]:
    base_domains = {domain(ln.url) for ln in pa.external_links()}
    extra = [ln for ln in pb.external_links() if domain(ln.url) not in base_domains]
    new_domains = sorted({domain(ln.url) for ln in extra})
    gamble = [ln.url for ln in extra if gambling_link(ln)]
    if gamble or len(new_domains) >= MIN_NEW_DOMAINS:
        return [f"{len(extra)} extra outbound links to {', '.join(new_domains[:8])}"
                + (f" ({len(gamble)} to gambling sites)" if gamble else "")]
    return []


@check(
    id="integrity.cloaking",
    title="Pages show different content to search engines or search visitors (cloaking)",
    severity=Severity.HIGH,
    cwe=(506, 912),
    needs=(CloakingViews,),
    judges=Judged.HTML_PAGES,
    confidence=Confidence.FIRM,
    remediation=CLEANUP + """
    Look in particular for code that tests the User-Agent (googlebot) or the Referer
    (google.) in index.php, .htaccess RewriteCond rules, theme functions.php and
    auto_prepend_file settings.
    """,
    references=(
        "https://developers.google.com/search/docs/essentials/spam-policies#cloaking",
        "https://developers.google.com/search/docs/monitor-debug/security/hacked-spam",
    ),
    tags=("seo-spam", "compromise"),
)
def cloaking(ctx: CheckContext) -> Iterator[Issue]:
    """Content that changes when the visitor claims to be Googlebot, or arrives from
    a Google search, is the signature of black-hat SEO injection: the owner sees a
    clean page while search results and search visitors get gambling spam or a
    redirect. The entry page and up to ``[settings.cloaking] max_pages`` crawled
    pages are compared. Cloaking keyed on Google's IP addresses cannot be seen
    this way."""
    views = ctx.get(CloakingViews)
    compared = False
    for page in views.pages:
        found = _page_differences(page)
        if found is None:
            continue
        compared = True
        if found:
            lines = [f"{page.url} as {VIEW_LABELS[name]}: {d}" for name, ds in found.items()
                     for d in ds]
            yield Issue(location=page.url, key=page.url, evidence="\n".join(lines),
                        details={"differences": {VIEW_LABELS[n]: ds for n, ds in found.items()}})
    if not compared:
        refused = next((r.error for p in views.pages for _, r in p.views if r.over_budget), None)
        if refused:
            raise Skip(f"no page's browser view could be fetched ({refused})", Reason.OVER_BUDGET)
        raise Skip("no page's browser view could be fetched")


def _page_differences(page: PageViews) -> dict[str, list[str]] | None:
    base = page.view("browser")
    if base is None or not base.ok:
        return None
    found = {}
    for name, resp in page.views:
        if name != "browser":
            diffs = differences(base, resp)
            if diffs:
                found[name] = diffs
    return found
