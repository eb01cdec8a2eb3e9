"""hygiene.mixed_content"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from egov_audit.check import CheckContext, Issue, Skip, check, need
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.http import HttpResponse
from egov_audit.probes.paths import PathSweep
from egov_audit.probes.site import Site

from .._web.markup import markup
from .._web.page import judged

# Fetched by browsers without any markup asking for them: the favicon by every
# browser, the touch icons by Safari on iOS. A redirect of one of these to
# http:// is mixed content no HTML scan can see.
IMPLICIT_FETCHES = ("/favicon.ico", "/apple-touch-icon.png")


@check(
    id="hygiene.mixed_content",
    judges=Judged.ENTRY_PAGE,
    title="The HTTPS page loads resources or posts forms over plain HTTP (mixed content)",
    severity=Severity.MEDIUM,
    cwe=(311, 319),
    needs=(Site, need(PathSweep, *IMPLICIT_FETCHES)),
    confidence=Confidence.CERTAIN,
    remediation="""
        Change the URLs to https:// (or relative URLs) in the templates and the
        CMS database (e.g. a search-and-replace of http://example.go.id), and
        as a safety net ask browsers to upgrade what remains:
          nginx:  add_header Content-Security-Policy "upgrade-insecure-requests" always;
          Apache: Header always set Content-Security-Policy "upgrade-insecure-requests"
          IIS:    <add name="Content-Security-Policy" value="upgrade-insecure-requests" />
    """,
    references=("https://www.w3.org/TR/mixed-content/",),
)
def mixed_content(ctx: CheckContext) -> Iterator[Issue]:
    """Resources fetched over HTTP can be read or replaced in transit: browsers block
    active ones (scripts, frames, stylesheets), breaking the page, and passive ones
    (images, media) reveal what the citizen views. A form that posts to http://
    sends what was typed in clear text. A favicon or touch icon that redirects
    to http:// is passive mixed content too, outside any HTML. MEDIUM for active
    content and forms, LOW for passive content."""
    resp = judged(ctx.get(Site))
    if urlsplit(resp.final_url).scheme != "https":
        raise Skip("the judged page is not served over HTTPS")
    page = markup(resp)
    seen: set[str] = set()
    for res in page.resources:
        if urlsplit(res.url).scheme != "http" or res.url in seen:
            continue
        seen.add(res.url)
        kind = "active" if res.active else "passive"
        yield Issue(
            location=resp.final_url,
            key=res.url,
            evidence=f"<{res.tag}> loads {res.url} over plain HTTP ({kind} mixed content)",
            severity=None if res.active else Severity.LOW,
            details={"resource": res.url, "tag": res.tag, "kind": kind},
        )
    for action in dict.fromkeys(page.forms):
        if urlsplit(action).scheme == "http":
            yield Issue(
                location=resp.final_url,
                key=action,
                evidence=f"<form action=\"{action}\"> posts over plain HTTP",
                details={"resource": action, "tag": "form", "kind": "form"},
            )
    for result in ctx.get(PathSweep).results:
        if result.item not in IMPLICIT_FETCHES:
            continue
        plain = plain_hop(result.response)
        if plain is None or plain in seen:
            continue
        seen.add(plain)
        yield Issue(
            location=result.response.url,
            key=plain,
            evidence=f"the browser's own request for {result.response.url} is redirected to "
                     f"{plain} over plain HTTP (passive mixed content outside the HTML; "
                     f"chain: {' → '.join((*result.response.chain, *_left(result.response)))})",
            severity=Severity.LOW,
            details={"resource": plain, "tag": "implicit", "kind": "passive",
                     "requested": result.response.url},
        )


def plain_hop(resp: HttpResponse) -> str | None:
    """The first plain-HTTP URL an HTTPS fetch was sent to, followed or not."""
    if urlsplit(resp.url).scheme != "https":
        return None
    for url in (*resp.chain[1:], *_left(resp)):
        if urlsplit(url).scheme == "http":
            return url
    return None


def _left(resp: HttpResponse) -> tuple[str, ...]:
    """A Location we did not follow (out of scope) is still where the browser goes."""
    return (resp.left_scope,) if resp.left_scope else ()
