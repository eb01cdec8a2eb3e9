"""https.hsts_no_include_subdomains"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.hsts import https_hsts


@check(
    id="https.hsts_no_include_subdomains",
    judges=Judged.ENTRY_PAGE,
    title="HSTS policy does not cover subdomains (includeSubDomains missing)",
    severity=Severity.LOW,
    cwe=(523,),
    needs=(Site,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Add includeSubDomains once every subdomain serves HTTPS:
          Strict-Transport-Security: max-age=31536000; includeSubDomains
        City domains have many subdomains (one per service); inventory them first,
        since the directive makes plain-HTTP-only subdomains unreachable.
    """,
    references=("https://www.rfc-editor.org/rfc/rfc6797#section-6.1.2",),
)
def hsts_no_include_subdomains(ctx: CheckContext) -> Iterator[Issue]:
    """Without includeSubDomains an attacker can use a plain-HTTP subdomain to set
    or read cookies scoped to the parent domain."""
    site = ctx.get(Site)
    https = site.https_ok
    if https is None:
        raise Skip("no HTTPS response to judge")
    policy = https_hsts(https, ctx.target.host)
    if policy is None:
        raise Skip("no HSTS header (see https.hsts_missing)")
    if policy.include_subdomains:
        return
    yield Issue(
        location=policy.url,
        evidence=f"Strict-Transport-Security: {policy.raw}",
        details={"max_age": policy.max_age},
    )
