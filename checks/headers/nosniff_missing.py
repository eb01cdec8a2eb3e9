"""headers.nosniff_missing"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.page import judged
from ._snippets import set_header


@check(
    id="headers.nosniff_missing",
    title="X-Content-Type-Options: nosniff is not sent",
    severity=Severity.LOW,
    cwe=(693,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation=f"""
        Send the header on every response (uploads and downloads especially):
        {set_header("X-Content-Type-Options", "nosniff")}
    """,
    references=("https://fetch.spec.whatwg.org/#x-content-type-options-header",),
)
def nosniff_missing(ctx: CheckContext) -> Iterator[Issue]:
    """Without nosniff a browser may guess that an uploaded "image" or a text file
    is HTML or script and run it, turning file uploads into cross-site scripting."""
    resp = judged(ctx.get(Site))
    values = resp.headers_all("X-Content-Type-Options")
    # Browsers take the first value of the (comma-joined) header.
    first = values[0].split(",")[0].strip().lower() if values else ""
    if first == "nosniff":
        return
    yield Issue(
        location=resp.final_url,
        evidence=f"X-Content-Type-Options: {values[0]}" if values
        else "no X-Content-Type-Options header",
        details={"value": values[0] if values else None},
    )
