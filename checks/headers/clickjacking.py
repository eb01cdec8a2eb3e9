"""headers.clickjacking"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.page import judged_document
from ._framing import frame_ancestors, frame_ancestors_open, xfo_value
from ._snippets import set_header


@check(
    id="headers.clickjacking",
    title="The page can be framed by any site (no X-Frame-Options, no frame-ancestors)",
    severity=Severity.MEDIUM,
    cwe=(1021,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation=f"""
        Forbid framing by other sites with CSP frame-ancestors (modern) and
        X-Frame-Options (older browsers):
        {set_header("Content-Security-Policy", "frame-ancestors 'self'")}
        {set_header("X-Frame-Options", "SAMEORIGIN")}
        frame-ancestors only works in a header, never in <meta>.
    """,
    references=(
        "https://cheatsheetseries.owasp.org/cheatsheets/Clickjacking_Defense_Cheat_Sheet.html",
        "https://www.w3.org/TR/CSP3/#directive-frame-ancestors",
    ),
)
def clickjacking(ctx: CheckContext) -> Iterator[Issue]:
    """A hostile page can load the site in an invisible frame and trick a logged-in
    officer or citizen into clicking buttons (approve, delete, submit) they cannot
    see."""
    resp = judged_document(ctx.get(Site))
    policies = frame_ancestors(resp)
    if policies and not all(frame_ancestors_open(p) for p in policies):
        return
    if not policies and xfo_value(resp):
        return
    raw_xfo = resp.headers_all("X-Frame-Options")
    if policies:
        evidence = "frame-ancestors allows any site: " + policies[0].raw[:200]
    elif raw_xfo:
        evidence = f"X-Frame-Options: {', '.join(raw_xfo)} (not DENY/SAMEORIGIN: ignored by " \
                   "browsers) and no CSP frame-ancestors"
    else:
        evidence = "no X-Frame-Options header and no CSP frame-ancestors directive"
    yield Issue(location=resp.final_url, evidence=evidence,
                details={"x_frame_options": raw_xfo})
