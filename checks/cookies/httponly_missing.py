"""cookies.httponly_missing"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.cookies import is_session_like, site_cookies


@check(
    id="cookies.httponly_missing",
    title="A session cookie is readable by JavaScript (HttpOnly missing)",
    severity=Severity.MEDIUM,
    cwe=(1004,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.FIRM,
    remediation="""
        Set HttpOnly on session and authentication cookies:
          PHP:     session.cookie_httponly = 1 ; Laravel: 'http_only' => true (config/session.php)
          Java:    <session-config><cookie-config><http-only>true</http-only>...
          nginx:   proxy_cookie_flags ~ httponly;          (nginx ≥ 1.19.3)
          Apache:  Header always edit Set-Cookie "^(PHPSESSID=.*)$" "$1; HttpOnly"
          IIS:     <system.web><httpCookies httpOnlyCookies="true" /></system.web>
        CSRF cookies that the page's script must read (XSRF-TOKEN) are exempt.
    """,
    references=("https://owasp.org/www-community/HttpOnly",),
    tags=("session",),
)
def httponly_missing(ctx: CheckContext) -> Iterator[Issue]:
    """Any cross-site scripting flaw, or any compromised third-party script, can read
    a session cookie that lacks HttpOnly and send it away, taking over the session."""
    site = ctx.get(Site)
    for cookie in site_cookies(site, ctx.target.host):
        if cookie.httponly or not is_session_like(cookie.name):
            continue
        yield Issue(
            location=cookie.url,
            key=cookie.name,
            evidence=cookie.describe(),
            details={"cookie": cookie.name},
        )
