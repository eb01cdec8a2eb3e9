"""One finding per error signature, listing where it was seen."""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue
from egov_audit.probes.crawl import Crawl
from egov_audit.probes.error_pages import ErrorPages

from ._signatures import Match, covered_by_others, scan

NEEDS = (ErrorPages, Crawl)

# The fix is the same whatever the error page showed; one text, so the four
# checks (and their translations) cannot drift apart.
PRODUCTION_ERRORS = """
Show a generic error page in production and log the details server-side:
  PHP:     display_errors = Off, log_errors = On (php.ini)
  Laravel: APP_DEBUG=false;  Django: DEBUG = False;  Flask: debug off
  ASP.NET: <customErrors mode="RemoteOnly"/>, <httpErrors errorMode="DetailedLocalOnly"/>
  Spring:  server.error.include-stacktrace=never
  nginx:   proxy_intercept_errors on; error_page 500 502 503 /50x.html;
  Apache:  ErrorDocument 500 /error.html
"""


def _where(m: Match) -> str:
    resp = m.probed.response
    return f"{m.probed.label}: GET {resp.url} → {resp.status}"


def issues(ctx: CheckContext, check: str, *, exclusive: bool = False) -> Iterator[Issue]:
    """``exclusive``: skip responses another error check already reports."""
    matches = scan(check, ctx.get(ErrorPages), ctx.get(Crawl))
    if exclusive:
        matches = [m for m in matches if not covered_by_others(check, m.probed.response.text)]
    by_signature: dict[str, list[Match]] = {}
    for m in matches:
        by_signature.setdefault(m.signature.name, []).append(m)
    for name, group in by_signature.items():
        first = group[0]
        yield Issue(
            location=first.probed.response.url,
            key=name,
            evidence=(
                f"{name} — {_where(first)}: “{first.quote}”"
                + ("".join(f"\nalso: {_where(m)}" for m in group[1:5]))
            ),
            details={
                "signature": name,
                "requests": [{"request": m.probed.label, "url": m.probed.response.url,
                              "status": m.probed.response.status} for m in group],
            },
        )
