"""headers.permissions_policy_missing"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.page import judged_document
from ._snippets import set_header

STARTER = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


@check(
    id="headers.permissions_policy_missing",
    title="No Permissions-Policy limits powerful browser features",
    severity=Severity.LOW,
    cwe=(693,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation=f"""
        Deny the features the site does not use (allow-list those it does, e.g.
        geolocation=(self) for a map of service points):
        {set_header("Permissions-Policy", STARTER)}
    """,
    references=("https://www.w3.org/TR/permissions-policy/",),
)
def permissions_policy_missing(ctx: CheckContext) -> Iterator[Issue]:
    """Without a Permissions-Policy, injected or third-party script (and every
    embedded frame that is granted it) can ask citizens for camera, microphone or
    location access in the name of the government site."""
    resp = judged_document(ctx.get(Site))
    if resp.headers_all("Permissions-Policy"):
        return
    legacy = resp.headers_all("Feature-Policy")
    yield Issue(
        location=resp.final_url,
        evidence="no Permissions-Policy header"
        + (f" (only the deprecated Feature-Policy: {legacy[0][:120]})" if legacy else ""),
        details={"feature_policy": legacy[0] if legacy else None},
    )
