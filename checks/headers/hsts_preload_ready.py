"""headers.hsts_preload_ready"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.hsts import ONE_YEAR, https_hsts


@check(
    id="headers.hsts_preload_ready",
    title="The HSTS policy does not meet the preload-list requirements",
    severity=Severity.INFO,
    cwe=(523,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        To have browsers enforce HTTPS even on the first visit, meet the preload
        requirements and submit the registrable domain at hstspreload.org:
          Strict-Transport-Security: max-age=31536000; includeSubDomains; preload
        and redirect http:// to https:// on the same host first. Preloading is
        hard to undo: every subdomain must serve HTTPS for good.
    """,
    references=("https://hstspreload.org/#submission-requirements",),
)
def hsts_preload_ready(ctx: CheckContext) -> Iterator[Issue]:
    """A preloaded domain is HTTPS-only from a citizen's very first visit; without
    it the first request to a typed address can still be intercepted. ASVS 5.0
    3.7.4 (L3) asks for it; BSSN SPBE guidance recommends HTTPS everywhere."""
    site = ctx.get(Site)
    https = site.https_ok
    if https is None:
        raise Skip("no HTTPS response to judge")
    policy = https_hsts(https, ctx.target.host)
    if policy is None:
        raise Skip("no HSTS header (see https.hsts_missing)")
    missing = []
    if policy.max_age is None or policy.max_age < ONE_YEAR:
        missing.append(f"max-age ≥ {ONE_YEAR}")
    if not policy.include_subdomains:
        missing.append("includeSubDomains")
    if not policy.preload:
        missing.append("preload")
    http = site.http
    if http is not None and http.ok:
        # No redirect at all (plain HTTP serving content) fails the requirement too.
        first = http.redirects[0].location if http.redirects else http.left_scope
        if urlsplit(first or http.final_url).scheme != "https":
            missing.append("first redirect from HTTP goes to HTTPS")
    if not missing:
        return
    yield Issue(location=policy.url,
                evidence=f"Strict-Transport-Security: {policy.raw} (missing: "
                f"{', '.join(missing)})",
                details={"missing": missing, "max_age": policy.max_age})
