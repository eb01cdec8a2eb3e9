"""pii.identifier_in_url"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, unquote, urlsplit

from egov_audit.check import CheckContext, Issue, Sensitive, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.pii import KIND_NAMES, scan_text
from egov_audit.pii.web import identifier_fields
from egov_audit.probes.content import PersonalData

from ._common import NEEDS

_REPORTED = frozenset({"nik", "kk", "npwp", "nisn", "bpjs", "passport", "card", "account",
                       "phone", "email", "nip"})


def _decoded(value: str) -> str:
    """``value`` percent-decoded until nothing changes (``%2533`` → ``%33`` → ``3``)."""
    for _ in range(3):
        decoded = unquote(value)
        if decoded == value:
            break
        value = decoded
    return value


@check(
    id="pii.identifier_in_url",
    judges=Judged.SITE,
    title="Personal identifiers travel in URLs (query strings or GET forms)",
    severity=Severity.MEDIUM,
    cwe=(598, 359),
    needs=NEEDS,
    confidence=Confidence.FIRM,
    tags=("uu-pdp",),
    remediation="""
        Send identifiers in the body of a POST request over HTTPS, never in the address:
        change `<form method="get">` to `method="post"`, and look records up by an opaque,
        random id instead of the NIK. Until then, keep query strings out of access logs
        (nginx: a log_format without $request_uri/$args; Apache: a LogFormat with %U
        instead of %r) and send `Referrer-Policy: no-referrer` on these pages.
    """,
    references=("https://cwe.mitre.org/data/definitions/598.html",
                "https://owasp.org/www-community/vulnerabilities/Information_exposure_through_query_strings_in_url"),
)
def identifier_in_url(ctx: CheckContext) -> Iterator[Issue]:
    """An identifier in a URL is copied into server and proxy logs, browser history,
    bookmarks, analytics and the Referer header sent to other sites."""
    data = ctx.get(PersonalData)
    for url in data.urls:
        parts = urlsplit(url)
        found: list[tuple[str, str, str]] = []  # (kind, value, parameter)
        for name, value in parse_qsl(parts.query, keep_blank_values=False):
            found.extend((h.kind, h.value, name) for h in scan_text(_decoded(value), name)
                         if h.kind in _REPORTED)
        found.extend((h.kind, h.value, "path")
                     for h in scan_text(_decoded(unquote(parts.path))) if h.kind in _REPORTED)
        if not found:
            continue
        kinds = sorted({KIND_NAMES.get(k, k) for k, _, _ in found})
        params = sorted({p for _, _, p in found})
        # The URL is printed as the server wrote it (the redactor masks the identifiers in
        # it, encoded or not); the values found are named so they are masked precisely.
        yield Issue(
            location=url,
            key=url,
            evidence=f"{', '.join(kinds)} in the URL {url} (in {', '.join(params)})",
            details={"counts": {k: sum(1 for f in found if f[0] == k) for k, _, _ in found},
                     "total": len(found), "parameters": params},
            sensitive=tuple(Sensitive(k, v) for k, v, _ in found),
        )
    for form in data.forms:
        fields = identifier_fields(form)
        if fields and form.method == "get":
            yield Issue(
                location=form.page,
                key="form:" + form.action,
                evidence=f"form on {form.page} sends {', '.join(fields)} with method GET: "
                f"the values end up in the URL {form.action}?…",
                details={"fields": fields, "action": form.action, "method": "get"},
            )
