"""https.redirect_off_host"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site
from egov_audit.scope import normalize_host


@check(
    id="https.redirect_off_host",
    judges=Judged.ENTRY_PAGE,
    title="Plain HTTP redirects to a different host instead of HTTPS on the same host",
    severity=Severity.LOW,
    cwe=(319,),
    needs=(Site,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Make the first redirect go to HTTPS on the *same* host
        (http://example.go.id/ → https://example.go.id/), and only then to another
        host if needed. Otherwise the browser never sees HTTPS (or HSTS) for the
        host the citizen typed.
    """,
    references=("https://github.com/cisagov/pshtt#definitions",),
)
def redirect_off_host(ctx: CheckContext) -> Iterator[Issue]:
    """When http://host/ jumps straight to another host, HTTPS and HSTS never get
    established for the address citizens actually use, so its first visit stays
    exposed to interception."""
    site = ctx.get(Site)
    http = site.http
    if http is None or not http.ok:
        return
    first = http.redirects[0].location if http.redirects else http.left_scope
    if not first:
        return
    parts = urlsplit(first)
    if normalize_host(parts.hostname or "") == normalize_host(ctx.target.host):
        return
    yield Issue(
        location=http.url,
        evidence=f"{http.url} redirects first to {first}, not to HTTPS on "
        f"{ctx.target.host}",
        details={"first_redirect": first, "left_scope": http.left_scope is not None},
    )
