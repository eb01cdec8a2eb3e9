"""https.hsts_short_max_age"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.hsts import ONE_YEAR, https_hsts


@check(
    id="https.hsts_short_max_age",
    judges=Judged.ENTRY_PAGE,
    title="HSTS max-age is shorter than one year, missing or zero",
    severity=Severity.LOW,
    cwe=(523,),
    needs=(Site,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Set max-age to at least 31536000 seconds (one year), e.g.
          Strict-Transport-Security: max-age=31536000; includeSubDomains
        A max-age of 0 tells browsers to forget the policy: use it only to retire HSTS.
    """,
    references=(
        "https://www.rfc-editor.org/rfc/rfc6797#section-6.1.1",
        "https://hstspreload.org/",
    ),
)
def hsts_short_max_age(ctx: CheckContext) -> Iterator[Issue]:
    """A short policy expires between visits, leaving returning citizens exposed to
    SSL stripping again; max-age=0 or a missing max-age disables HSTS outright."""
    site = ctx.get(Site)
    https = site.https_ok
    if https is None:
        raise Skip("no HTTPS response to judge")
    policy = https_hsts(https, ctx.target.host)
    if policy is None:
        raise Skip("no HSTS header (see https.hsts_missing)")
    minimum = int(ctx.setting("min_max_age", ONE_YEAR))
    if policy.max_age is not None and policy.max_age >= minimum:
        return
    disabled = policy.max_age in (None, 0)
    yield Issue(
        location=policy.url,
        evidence=f"Strict-Transport-Security: {policy.raw}"
        + (" (max-age missing or zero: HSTS is disabled)" if disabled else
           f" (max-age {policy.max_age} < {minimum})"),
        severity=Severity.MEDIUM if disabled else None,
        details={"max_age": policy.max_age, "minimum": minimum},
    )
