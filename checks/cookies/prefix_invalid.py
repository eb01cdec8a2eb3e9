"""cookies.prefix_invalid"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.cookies import SetCookie, site_cookies


def prefix_problems(cookie: SetCookie) -> list[str]:
    """Why a browser would refuse a __Secure-/__Host- cookie (RFC 6265bis §4.1.3)."""
    name = cookie.name.lower()  # browsers match the prefixes case-insensitively
    problems = []
    if name.startswith(("__secure-", "__host-")):
        if not cookie.secure:
            problems.append("no Secure attribute")
        if cookie.scheme != "https":
            problems.append("set over plain HTTP")
    if name.startswith("__host-"):
        if cookie.domain is not None:
            problems.append("has a Domain attribute")
        if cookie.path != "/":
            problems.append("Path is not /")
    return problems


@check(
    id="cookies.prefix_invalid",
    title="A __Host- or __Secure- cookie breaks its prefix rules (browsers drop it)",
    severity=Severity.LOW,
    cwe=(565, 614),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        A __Secure- cookie must be set with Secure from an HTTPS page; a __Host-
        cookie additionally needs Path=/ and no Domain attribute:
          Set-Cookie: __Host-session=...; Secure; HttpOnly; SameSite=Lax; Path=/
    """,
    references=("https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie"
                "#cookie_prefixes",),
    tags=("session",),
)
def prefix_invalid(ctx: CheckContext) -> Iterator[Issue]:
    """Browsers silently reject a prefixed cookie that breaks the rules, so the
    application either loses its session or falls back to a weaker cookie; the
    protection the prefix was chosen for is absent."""
    site = ctx.get(Site)
    for cookie in site_cookies(site, ctx.target.host):
        problems = prefix_problems(cookie)
        if not problems:
            continue
        yield Issue(
            location=cookie.url,
            key=cookie.name,
            evidence=f"{cookie.describe()} — {', '.join(problems)}",
            details={"cookie": cookie.name, "problems": problems},
        )
