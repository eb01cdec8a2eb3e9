"""Framing protection: X-Frame-Options and CSP frame-ancestors."""

from __future__ import annotations

from egov_audit.probes.http import HttpResponse

from .._web import csp as _csp


def xfo_value(resp: HttpResponse) -> str | None:
    """The X-Frame-Options value browsers honour (DENY or SAMEORIGIN), else None.

    Several values or a comma list are treated as invalid, like browsers do
    when they disagree; ALLOW-FROM is unsupported by current browsers.
    """
    values = [v.strip().upper() for raw in resp.headers_all("X-Frame-Options")
              for v in raw.split(",") if v.strip()]
    if not values or len(set(values)) != 1:
        return None
    return values[0] if values[0] in ("DENY", "SAMEORIGIN") else None


def frame_ancestors(resp: HttpResponse) -> list[_csp.Policy]:
    """Enforced header policies that carry frame-ancestors (meta cannot)."""
    return [p for p in _csp.parse_header(resp.headers_all("Content-Security-Policy"))
            if p.has("frame-ancestors")]


def frame_ancestors_open(policy: _csp.Policy) -> bool:
    """frame-ancestors that allows any site (*, https:, http:)."""
    tokens = {t.lower() for t in policy.directives.get("frame-ancestors", ())}
    return bool(tokens & {"*", "https:", "http:"})
