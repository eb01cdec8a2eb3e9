"""headers.referrer_policy_unsafe"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.page import judged
from ._referrer import LEAKING, effective_policy


@check(
    id="headers.referrer_policy_unsafe",
    title="Referrer-Policy sends full URLs to other sites (unsafe-url or "
    "no-referrer-when-downgrade)",
    severity=Severity.LOW,
    cwe=(200, 598),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Replace the policy with strict-origin-when-cross-origin (or no-referrer):
          nginx:  add_header Referrer-Policy "strict-origin-when-cross-origin" always;
          Apache: Header always set Referrer-Policy "strict-origin-when-cross-origin"
          IIS:    <add name="Referrer-Policy" value="strict-origin-when-cross-origin" />
    """,
    references=("https://www.w3.org/TR/referrer-policy/#referrer-policies",),
)
def referrer_policy_unsafe(ctx: CheckContext) -> Iterator[Issue]:
    """These policies hand the complete URL, query string included, to every
    third-party script, image and link target (analytics, CDNs, social widgets);
    unsafe-url does so even over plain HTTP. Personal data in URLs then leaves the
    institution (UU PDP Pasal 36); MEDIUM when the service handles personal data."""
    resp = judged(ctx.get(Site))
    policy, where = effective_policy(resp)
    if policy not in LEAKING:
        return
    personal = ctx.target.service.data_classification in ("personal", "specific")
    yield Issue(
        location=resp.final_url,
        evidence=(f"Referrer-Policy: {policy}" if where == "header"
                  else f"<meta name=\"referrer\" content=\"{policy}\">"),
        severity=Severity.MEDIUM if personal and policy == "unsafe-url" else None,
        details={"policy": policy, "source": where},
    )
