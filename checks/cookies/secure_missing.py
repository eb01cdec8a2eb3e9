"""cookies.secure_missing"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.cookies import is_session_like, site_cookies
from .._web.hsts import https_hsts


@check(
    id="cookies.secure_missing",
    title="A cookie is set without the Secure attribute",
    severity=Severity.MEDIUM,
    cwe=(614,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Mark every cookie Secure (and prefer the __Host- prefix for session cookies):
          PHP:     session.cookie_secure = 1 (php.ini) ; Laravel: SESSION_SECURE_COOKIE=true
          nginx:   proxy_cookie_flags ~ secure;            (nginx ≥ 1.19.3)
          Apache:  Header always edit Set-Cookie "^(.*)$" "$1; Secure"
          IIS:     <system.web><httpCookies requireSSL="true" /></system.web>
        and keep HSTS on, so browsers never send a request over plain HTTP at all.
    """,
    references=(
        "https://www.rfc-editor.org/rfc/rfc6265#section-4.1.2.5",
        "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_"
        "Security_Testing/06-Session_Management_Testing/02-Testing_for_Cookies_Attributes",
    ),
    tags=("session",),
)
def secure_missing(ctx: CheckContext) -> Iterator[Issue]:
    """A cookie without Secure is also sent over plain HTTP, where anyone on the
    network path (public Wi-Fi at a service counter) can copy it; a session cookie
    copied this way is the officer's or citizen's login. HIGH for session cookies
    (MEDIUM when HSTS narrows the window), LOW for other cookies."""
    site = ctx.get(Site)
    https = site.https_ok
    if https is None:
        raise Skip("no HTTPS response: cookies cannot be Secure on a plain-HTTP-only site "
                   "(see https.unavailable)")
    hsts = https_hsts(https, ctx.target.host) is not None
    for cookie in site_cookies(site, ctx.target.host):
        if cookie.secure:
            continue
        session = is_session_like(cookie.name)
        severity = (Severity.MEDIUM if hsts else Severity.HIGH) if session else Severity.LOW
        yield Issue(
            location=cookie.url,
            key=cookie.name,
            evidence=cookie.describe() + (" (session cookie)" if session else ""),
            severity=severity,
            details={"cookie": cookie.name, "session_like": session, "hsts": hsts},
        )
