"""Referrer-Policy parsing (W3C Referrer Policy §4.1 and §8.1)."""

from __future__ import annotations

from egov_audit.probes.http import HttpResponse

from .._web.markup import markup

KNOWN = frozenset({
    "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin",
    "strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url",
})
# Send the full URL (path and query) to other sites.
LEAKING = frozenset({"unsafe-url", "no-referrer-when-downgrade"})
# Never send more than the origin to other sites.
PRIVATE = frozenset({"no-referrer", "same-origin", "strict-origin",
                     "strict-origin-when-cross-origin"})


def effective_policy(resp: HttpResponse) -> tuple[str | None, str]:
    """(policy, where) — the last recognised token wins, as in browsers; a
    <meta name="referrer"> overrides the header for the document."""
    policy: str | None = None
    where = ""
    for raw in resp.headers_all("Referrer-Policy"):
        for token in raw.split(","):
            token = token.strip().lower()
            if token in KNOWN:
                policy, where = token, "header"
    for content in markup(resp).meta(name="referrer"):
        token = content.strip().lower()
        if token in KNOWN:
            policy, where = token, "meta"
    return policy, where
