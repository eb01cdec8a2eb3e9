"""headers.referrer_policy_missing"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.page import judged_document
from ._referrer import effective_policy
from ._snippets import set_header


@check(
    id="headers.referrer_policy_missing",
    title="No Referrer-Policy is set",
    severity=Severity.LOW,
    cwe=(200,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation=f"""
        Set an explicit policy that never sends paths or query strings to other sites:
        {set_header("Referrer-Policy", "strict-origin-when-cross-origin")}
        Use no-referrer or same-origin for applications whose URLs contain case
        numbers, NIK or other personal data.
    """,
    references=("https://www.w3.org/TR/referrer-policy/",),
)
def referrer_policy_missing(ctx: CheckContext) -> Iterator[Issue]:
    """Without a policy the visitor's browser default decides what is sent to third
    parties; older and embedded browsers send the full URL, which on service portals
    often carries case numbers or identifiers (UU PDP Pasal 36)."""
    resp = judged_document(ctx.get(Site))
    policy, _ = effective_policy(resp)
    if policy is not None:
        return
    raw = resp.headers_all("Referrer-Policy")
    yield Issue(
        location=resp.final_url,
        evidence=f"Referrer-Policy: {', '.join(raw)} (no recognised policy)" if raw
        else "no Referrer-Policy header and no <meta name=\"referrer\">",
    )
