"""headers.cross_origin_isolation"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.page import judged

COOP_OK = frozenset({"same-origin", "same-origin-allow-popups", "noopener-allow-popups"})
CORP_OK = frozenset({"same-origin", "same-site"})


def coop(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


@check(
    id="headers.cross_origin_isolation",
    title="Cross-Origin-Opener-Policy or Cross-Origin-Resource-Policy is not set",
    severity=Severity.INFO,
    cwe=(693,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        For pages with logged-in sessions, isolate the browsing context and the
        resources from other sites:
          nginx:  add_header Cross-Origin-Opener-Policy "same-origin" always;
                  add_header Cross-Origin-Resource-Policy "same-origin" always;
          Apache: Header always set Cross-Origin-Opener-Policy "same-origin"
                  Header always set Cross-Origin-Resource-Policy "same-origin"
          IIS:    <add name="Cross-Origin-Opener-Policy" value="same-origin" />
                  <add name="Cross-Origin-Resource-Policy" value="same-origin" />
        Use same-origin-allow-popups if the site opens payment or SSO pop-ups.
    """,
    references=(
        "https://html.spec.whatwg.org/multipage/browsers.html#cross-origin-opener-policies",
        "https://fetch.spec.whatwg.org/#cross-origin-resource-policy-header",
    ),
)
def cross_origin_isolation(ctx: CheckContext) -> Iterator[Issue]:
    """Defence in depth against cross-site leaks and Spectre-style reads: without
    COOP another site that opens the page keeps a handle on its window; without
    CORP other sites may embed its responses into their own process."""
    resp = judged(ctx.get(Site))
    missing = []
    if coop(resp.header("Cross-Origin-Opener-Policy")) not in COOP_OK:
        missing.append("Cross-Origin-Opener-Policy")
    if coop(resp.header("Cross-Origin-Resource-Policy")) not in CORP_OK:
        missing.append("Cross-Origin-Resource-Policy")
    if not missing:
        return
    yield Issue(location=resp.final_url,
                evidence="not set (or not restrictive): " + ", ".join(missing),
                details={"missing": missing})
