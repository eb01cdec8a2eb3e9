"""headers.csp_object_src"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web import csp as _csp
from .._web.page import csp_evidence, enforced_policies, judged


@check(
    id="headers.csp_object_src",
    title="Content-Security-Policy does not set object-src 'none'",
    severity=Severity.LOW,
    cwe=(693,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Add object-src 'none' (or default-src 'none' with explicit allowances):
          Content-Security-Policy: ...; object-src 'none'
        No current government site needs <object>/<embed> plugins.
    """,
    references=("https://www.w3.org/TR/CSP3/#directive-object-src",),
    tags=("csp",),
)
def csp_object_src(ctx: CheckContext) -> Iterator[Issue]:
    """Plugin content (<object>, <embed>) is not covered by script-src; without
    object-src 'none' it is a known way around an otherwise strict script policy."""
    resp = judged(ctx.get(Site))
    policies = enforced_policies(resp)
    if not policies:
        raise Skip("no enforced Content-Security-Policy (see headers.csp_missing)")
    if any(_csp.object_src_none(p) for p in policies):
        return
    yield Issue(location=resp.final_url, evidence=csp_evidence(policies))
