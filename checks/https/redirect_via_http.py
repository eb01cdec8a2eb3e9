"""https.redirect_via_http"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site


@check(
    id="https.redirect_via_http",
    judges=Judged.ENTRY_PAGE,
    title="The redirect chain passes through plain HTTP",
    severity=Severity.MEDIUM,
    cwe=(319,),
    needs=(Site,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Redirect straight to the final HTTPS URL: the first hop from http:// must
        go to https:// on the same host, and no later hop may return to http://.
        Check absolute URLs in application redirects (e.g. Laravel APP_URL, the
        WordPress siteurl option) and `proxy_redirect` / `X-Forwarded-Proto`
        handling behind a reverse proxy.
    """,
    references=("https://cyber.dhs.gov/bod/18-01/",),
)
def redirect_via_http(ctx: CheckContext) -> Iterator[Issue]:
    """Each clear-text hop is a chance to rewrite the redirect and send the
    visitor to a look-alike site; a downgrade from HTTPS to HTTP also drops the
    protection the HTTPS hop gave."""
    site = ctx.get(Site)
    for resp in (site.http, site.https):
        if resp is None or not resp.ok or not resp.redirects:
            continue
        chain = list(resp.chain)
        # The entry hop of the plain-HTTP side is allowed to be http://.
        start = 1 if urlsplit(chain[0]).scheme == "http" else 0
        if resp.left_scope:
            chain.append(resp.left_scope)
        bad = [u for u in chain[start:] if urlsplit(u).scheme == "http"]
        if not bad:
            continue
        yield Issue(
            location=resp.url,
            key=resp.url,
            evidence="redirect chain: " + " → ".join(chain),
            details={"chain": chain, "plain_http_hops": bad},
        )
