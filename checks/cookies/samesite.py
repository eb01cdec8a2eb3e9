"""cookies.samesite"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.cookies import is_csrf_like, is_session_like, site_cookies

VALID = {"strict", "lax", "none"}


@check(
    id="cookies.samesite",
    title="A session cookie has no valid SameSite attribute, or SameSite=None without Secure",
    severity=Severity.LOW,
    cwe=(1275,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Give session and CSRF cookies SameSite=Lax (or Strict for back-office
        applications); use SameSite=None only for cookies that must travel in
        cross-site requests (SSO), and always together with Secure:
          PHP:     session.cookie_samesite = "Lax" ; Laravel: 'same_site' => 'lax'
          nginx:   proxy_cookie_flags ~ samesite=lax;      (nginx ≥ 1.19.3)
          Apache:  Header always edit Set-Cookie "^(.*)$" "$1; SameSite=Lax"
          IIS:     <system.web><sessionState cookieSameSite="Lax" /></system.web>
    """,
    references=("https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html"
                "#name-the-samesite-attribute-2",),
    tags=("session",),
)
def samesite(ctx: CheckContext) -> Iterator[Issue]:
    """Without SameSite, browsers other than Chromium attach the session cookie to
    requests that other sites trigger, which is what cross-site request forgery
    needs; SameSite=None without Secure is rejected outright by current browsers."""
    site = ctx.get(Site)
    for cookie in site_cookies(site, ctx.target.host):
        relevant = is_session_like(cookie.name) or is_csrf_like(cookie.name)
        value = (cookie.samesite or "").strip().lower()
        if value == "none" and not cookie.secure:
            problem, severity = "SameSite=None without Secure (browsers reject the cookie)", None
        elif not relevant:
            continue
        elif cookie.samesite is None:
            problem, severity = "no SameSite attribute", None
        elif value not in VALID:
            problem, severity = f"invalid SameSite value {cookie.samesite!r}", None
        else:
            continue
        yield Issue(
            location=cookie.url,
            key=cookie.name,
            evidence=f"{cookie.describe()} — {problem}",
            severity=severity,
            details={"cookie": cookie.name, "problem": problem},
        )
