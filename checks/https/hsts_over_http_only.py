"""https.hsts_over_http_only"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.http import header_values
from egov_audit.probes.site import Site

from .._web.hsts import https_hsts


@check(
    id="https.hsts_over_http_only",
    judges=Judged.ENTRY_PAGE,
    title="HSTS is sent only over plain HTTP, where browsers ignore it",
    severity=Severity.LOW,
    cwe=(523,),
    needs=(Site,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Move the Strict-Transport-Security header to the HTTPS server block (in
        nginx, the `listen 443 ssl` server; in Apache, the :443 VirtualHost).
        Browsers only accept HSTS from a secure connection (RFC 6797 §8.1).
    """,
    references=("https://www.rfc-editor.org/rfc/rfc6797#section-8.1",),
)
def hsts_over_http_only(ctx: CheckContext) -> Iterator[Issue]:
    """The configuration looks protected but is not: a policy received over HTTP is
    discarded, so the site has no HSTS at all."""
    site = ctx.get(Site)
    http = site.http
    if http is None or not http.ok:
        raise Skip("no plain-HTTP response to judge")
    steps = [(h.url, h.headers) for h in http.redirects] + [(http.final_url, http.headers)]
    sent = [
        (url, values[0])
        for url, headers in steps
        if urlsplit(url).scheme == "http"
        and (values := header_values(headers, "Strict-Transport-Security"))
    ]
    if not sent:
        return
    https = site.https_ok
    if https is not None and https_hsts(https, ctx.target.host) is not None:
        return  # harmless duplicate: HTTPS sends it too
    url, value = sent[0]
    yield Issue(
        location=url,
        evidence=f"plain-HTTP response {url} sends Strict-Transport-Security: {value}; "
        "the HTTPS responses do not",
    )
