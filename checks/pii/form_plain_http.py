"""pii.form_plain_http"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.pii.web import identifier_fields
from egov_audit.probes.content import PersonalData

from ._common import NEEDS


@check(
    id="pii.form_plain_http",
    judges=Judged.HTML_PAGES,
    title="A form collecting NIK, KK or phone numbers is served or submitted over plain HTTP",
    severity=Severity.HIGH,
    cwe=(319, 311),
    needs=NEEDS,
    confidence=Confidence.CERTAIN,
    tags=("uu-pdp", "transport"),
    remediation="""
        Serve the form only over HTTPS and post it to an https:// action. Redirect every
        plain-HTTP request to HTTPS (nginx: `return 301 https://$host$request_uri;`;
        Apache: `Redirect permanent / https://example.go.id/`; IIS: URL Rewrite "HTTP to
        HTTPS"), then send Strict-Transport-Security so browsers never fall back.
    """,
    references=("https://cwe.mitre.org/data/definitions/319.html",
                "https://owasp.org/www-project-application-security-verification-standard/"),
)
def form_plain_http(ctx: CheckContext) -> Iterator[Issue]:
    """Identifiers typed into a form on a plain-HTTP page, or sent to a plain-HTTP
    address, cross the network readable and alterable by anyone on the path (public
    Wi-Fi, a compromised router), contrary to UU PDP Pasal 35 and 39."""
    seen: set[tuple[str, str]] = set()
    for form in ctx.get(PersonalData).forms:
        fields = identifier_fields(form)
        page_plain = form.page.startswith("http://")
        action_plain = form.action.startswith("http://")
        if not fields or not (page_plain or action_plain) or (form.page, form.action) in seen:
            continue
        seen.add((form.page, form.action))
        how = []
        if page_plain:
            how.append(f"the page {form.page} is served over plain HTTP")
        if action_plain:
            how.append(f"it submits ({form.method.upper()}) to {form.action}")
        yield Issue(
            location=form.page,
            key=form.action,
            evidence=f"form collecting {', '.join(fields)}: {' and '.join(how)}",
            details={"fields": fields, "action": form.action, "method": form.method,
                     "page_plain_http": page_plain, "action_plain_http": action_plain},
        )
