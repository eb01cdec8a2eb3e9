"""cookies.session_cacheable"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.http import header_values
from egov_audit.probes.site import Site

from .._web.cookies import cookie_response, is_session_like, site_cookies


def cache_directives(headers: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in header_values(headers, "Cache-Control"):
        for part in raw.split(","):
            name, _, value = part.strip().partition("=")
            if name:
                out.setdefault(name.strip().lower(), value.strip().strip('"'))
    return out


@check(
    id="cookies.session_cacheable",
    title="A response that sets a session cookie may be stored by caches (no Cache-Control: "
    "no-store)",
    severity=Severity.LOW,
    cwe=(524, 525),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.FIRM,
    remediation="""
        Send Cache-Control: no-store on responses that set or depend on a session:
          nginx:  add_header Cache-Control "no-store" always;   (in the application's location)
          Apache: Header always set Cache-Control "no-store" "expr=%{resp:Set-Cookie} != ''"
          IIS:    <add name="Cache-Control" value="no-store" />
          PHP:    session.cache_limiter = nocache  (or header('Cache-Control: no-store'))
    """,
    references=(
        "https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.5",
        "https://owasp.org/www-community/attacks/Cache_Poisoning",
    ),
    tags=("session",),
)
def session_cacheable(ctx: CheckContext) -> Iterator[Issue]:
    """A shared cache (a CDN, an office proxy) that stores such a response hands the
    same session cookie and page to the next visitor: one citizen sees another's
    session. MEDIUM when the response is explicitly cacheable (public, s-maxage,
    max-age > 0)."""
    site = ctx.get(Site)
    for cookie in site_cookies(site, ctx.target.host):
        if not is_session_like(cookie.name):
            continue
        directives = cache_directives(cookie_response(site, cookie))
        if "no-store" in directives:
            continue
        max_age = directives.get("max-age", "0")
        explicit = "public" in directives or "s-maxage" in directives or (
            max_age.isdigit() and int(max_age) > 0 and "private" not in directives
        )
        shown = ", ".join(f"{k}={v}" if v else k for k, v in directives.items()) or "(none)"
        yield Issue(
            location=cookie.url,
            key=cookie.name,
            evidence=f"{cookie.describe()} with Cache-Control: {shown}",
            severity=Severity.MEDIUM if explicit else None,
            details={"cookie": cookie.name, "cache_control": directives},
        )
