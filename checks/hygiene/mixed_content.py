"""hygiene.mixed_content"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from egov_audit.checks._web.markup import markup
from egov_audit.checks._web.page import judged

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.site import Site


@check(
    id="hygiene.mixed_content",
    title="The HTTPS page loads resources or posts forms over plain HTTP (mixed content)",
    severity=Severity.MEDIUM,
    cwe=(311, 319),
    needs=(Site,),
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
    sends what was typed in clear text. MEDIUM for active content and forms, LOW
    for passive content."""
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
