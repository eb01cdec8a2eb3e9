"""headers.csp_base_uri"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.page import csp_evidence, enforced_policies, judged


@check(
    id="headers.csp_base_uri",
    title="Content-Security-Policy does not restrict base-uri",
    severity=Severity.LOW,
    cwe=(693,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Add base-uri 'none' (or 'self' when the page uses a <base> element):
          Content-Security-Policy: ...; base-uri 'none'
        base-uri has no fallback to default-src, so it must be set explicitly.
    """,
    references=("https://www.w3.org/TR/CSP3/#directive-base-uri",),
    tags=("csp",),
)
def csp_base_uri(ctx: CheckContext) -> Iterator[Issue]:
    """An injected <base href> re-points every relative script URL of the page to an
    attacker's server, bypassing nonce- and path-based script policies."""
    resp = judged(ctx.get(Site))
    policies = enforced_policies(resp)
    if not policies:
        raise Skip("no enforced Content-Security-Policy (see headers.csp_missing)")
    if any(p.has("base-uri") for p in policies):
        return
    yield Issue(location=resp.final_url, evidence=csp_evidence(policies))
