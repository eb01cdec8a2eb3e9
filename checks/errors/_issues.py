"""One finding per error signature, listing where it was seen."""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue
from egov_audit.page import page_of
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


def _where(m: Match, linked: dict[str, str | None]) -> str:
    resp = m.probed.response
    page = linked.get(resp.url)
    return (f"{m.probed.label}: GET {resp.url} → {resp.status}"
            + (f", linked from {page}" if page else ""))


def _request(m: Match, linked: dict[str, str | None]) -> dict[str, object]:
    resp = m.probed.response
    out: dict[str, object] = {"request": m.probed.label, "url": resp.url, "status": resp.status}
    if linked.get(resp.url):
        out["linked_from"] = linked[resp.url]
    return out


def linked_from(crawl: Crawl, url: str) -> str | None:
    """The first crawled page that links to ``url``: where a visitor clicks to
    meet the error. Pages are read again only for the few answers that matched."""
    for page in crawl.pages:
        if url in {link.replace(" ", "%20") for link in page_of(page).crawl.links}:
            return page.final_url
    return None


def issues(ctx: CheckContext, check: str, *, exclusive: bool = False) -> Iterator[Issue]:
    """``exclusive``: skip responses another error check already reports."""
    crawl = ctx.get(Crawl)
    matches = scan(check, ctx.get(ErrorPages), crawl)
    if exclusive:
        matches = [m for m in matches if not covered_by_others(check, m.probed.response.text)]
    linked = {m.probed.response.url: linked_from(crawl, m.probed.response.url)
              for m in matches if m.probed.label == "crawled link"}
    by_signature: dict[str, list[Match]] = {}
    for m in matches:
        by_signature.setdefault(m.signature.name, []).append(m)
    for name, group in by_signature.items():
        first = group[0]
        yield Issue(
            location=first.probed.response.url,
            key=name,
            evidence=(
                f"{name} — {_where(first, linked)}: “{first.quote}”"
                + ("".join(f"\nalso: {_where(m, linked)}" for m in group[1:5]))
            ),
            details={
                "signature": name,
                "requests": [_request(m, linked) for m in group],
            },
        )
