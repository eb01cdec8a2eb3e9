"""cookies.broad_domain"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site
from egov_audit.scope import normalize_host

from .._web.cookies import is_session_like, site_cookies


@check(
    id="cookies.broad_domain",
    title="A cookie is scoped to a parent domain, so every sibling subdomain receives it",
    severity=Severity.LOW,
    cwe=(1275, 200),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Leave out the Domain attribute (the cookie then goes to this host only),
        or better use the __Host- prefix, which forbids Domain:
          PHP:     session.cookie_domain = ""        ; Laravel: SESSION_DOMAIN=null
          IIS:     <httpCookies domain="" />
        Only single sign-on cookies need a parent domain, and then only the SSO
        host should set them.
    """,
    references=("https://www.rfc-editor.org/rfc/rfc6265#section-8.6",),
    tags=("session",),
)
def broad_domain(ctx: CheckContext) -> Iterator[Issue]:
    """A cookie with Domain=kota.go.id reaches every *.kota.go.id host, including
    the forgotten, unpatched ones: whoever controls any of them (or a subdomain
    takeover) can read or overwrite the session. MEDIUM for session cookies."""
    host = normalize_host(ctx.target.host)
    if _is_ip(host):
        return  # Domain does not apply to IP addresses
    for cookie in site_cookies(ctx.get(Site), host):
        if cookie.domain is None:
            continue
        domain = cookie.domain.strip().lstrip(".").lower()
        if not domain or domain == host or not host.endswith("." + domain):
            continue  # same host, or a foreign domain the browser would reject
        session = is_session_like(cookie.name)
        yield Issue(
            location=cookie.url,
            key=cookie.name,
            evidence=f"{cookie.describe()} — sent to every host under {domain}, not only {host}",
            severity=Severity.MEDIUM if session else None,
            details={"cookie": cookie.name, "domain": domain, "host": host},
        )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
